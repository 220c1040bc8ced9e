"""Wagtail admin of questions and quizzes: question editing creates versions, item analysis,
preview, and who may open them."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from assessments.models import Question
from assessments.services.quizzes import attempt_start, attempt_submit
from lms.roles import Role
from tests.assessments.factories import (
    make_category,
    make_question,
    make_quiz,
    single_choice_content,
)
from tests.factories import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    client.force_login(make_staff(Role.CONTENT_EDITOR).user)
    return client


def _question_post(category, **overrides):
    data = {
        "category": category.pk,
        "name": "Report phishing",
        "text": "<p>What do you do with a phishing email?</p>",
        "answers": "=Report it#Right\n~Reply#Never",
        "shuffle": "on",
        "general_feedback": "Report every suspicious email.",
        "correct_feedback": "",
        "partially_correct_feedback": "",
        "incorrect_feedback": "",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_editor_creates_and_edits_a_question_as_new_versions(editor_client):
    category = make_category("Security")
    response = editor_client.post(reverse("assessments_questions:add"), _question_post(category))
    assert response.status_code == 302, response.content.decode()[:2000]
    question = Question.objects.get()
    assert question.qtype == "single_choice"
    content = question.current_version.content
    assert content["choices"][0] == {"text": "Report it", "fraction": 1.0, "feedback": "Right"}
    assert content["general_feedback"] == "Report every suspicious email."
    edit_url = reverse("assessments_questions:edit", args=[question.pk])
    page = editor_client.get(edit_url).content.decode()
    assert "=Report it#Right" in page
    response = editor_client.post(
        edit_url, _question_post(category, answers="~%50%A\n~%50%B\n~%-100%C")
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.qtype == "multiple_response"
    assert question.versions.count() == 2 and question.current_version.number == 2


def test_unreadable_answers_are_a_field_error(editor_client):
    category = make_category("Security")
    response = editor_client.post(
        reverse("assessments_questions:add"), _question_post(category, answers="~only wrong")
    )
    assert response.status_code == 200
    assert "answers" in response.context["form"].errors
    assert not Question.objects.exists()


def test_quiz_and_question_lists_open_for_editors(editor_client):
    make_quiz(questions=[make_question()])
    for name in (
        "assessments_quizzes:index",
        "assessments_questions:index",
        "assessments_question_categories:index",
        "assessments_quizzes:add",
    ):
        assert editor_client.get(reverse(name)).status_code == 200, name


@pytest.mark.parametrize("learners", [1, 4])
def test_item_analysis_page(client, hr_admin, learners, django_assert_max_num_queries):
    quiz = make_quiz(questions=[make_question(name="Easy"), make_question(name="Hard")])
    for number in range(learners):
        user = make_staff(user__username=f"l{number}").user
        attempt_submit(attempt=attempt_start(user=user, quiz=quiz), responses={1: 0, 2: 1})
    client.force_login(hr_admin)
    url = reverse("assessments_quiz_item_analysis", kwargs={"quiz_id": quiz.pk})
    with django_assert_max_num_queries(25):
        response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200 and "Easy" in page and "Hard" in page
    assert client.get(reverse("assessments_quiz_reports")).status_code == 200
    # HR may see reports but not the preview (it shows the answers).
    preview = reverse("assessments_quiz_preview", kwargs={"quiz_id": quiz.pk})
    denied = client.get(preview)
    assert denied.status_code == 302 and denied["Location"] == "/admin/"  # Wagtail's denial


def test_preview_shows_a_reproducible_sample_with_answers(editor_client):
    category = make_category("Bank")
    for number in range(5):
        make_question(category=category, body=single_choice_content(f"Bank question {number}?"))
    quiz = make_quiz(draw=[(category, 2)])
    url = reverse("assessments_quiz_preview", kwargs={"quiz_id": quiz.pk}) + "?seed=42"
    first = editor_client.get(url).content.decode()
    assert "Right answer:" in first and "Question 2" in first
    drawn = re.findall(r"Bank question \d", first)
    assert len(drawn) == 2
    assert re.findall(r"Bank question \d", editor_client.get(url).content.decode()) == drawn


def test_reports_are_not_for_learners(learner_client):
    quiz = make_quiz(questions=[make_question()])
    url = reverse("assessments_quiz_item_analysis", kwargs={"quiz_id": quiz.pk})
    response = learner_client.get(url)
    assert response.status_code == 302 and "login" in response["Location"]


def _quiz_post(**overrides):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data

    data = {
        "title": "Phishing final quiz",
        "intro": "",
        "course": "",
        "lesson": "",
        "pass_mark": 80,
        "attempts_allowed": 3,
        "time_limit_minutes": "",
        "questions_per_page": 0,
        "shuffle_options": "on",
        "show_score": "on",
        "show_correct_answers": "on",
        "show_feedback": "on",
        "is_live": "on",
        "fixed_questions": inline_formset([]),
        "draw_rules": inline_formset([]),
    }
    data.update(overrides)
    return nested_form_data(data)


def test_editor_creates_a_quiz_with_fixed_questions_and_draw_rules(editor_client):
    from wagtail.test.utils.form_data import inline_formset

    from assessments.models import Quiz
    from tests.assessments.factories import make_course

    course = make_course()
    question = make_question()
    category = make_category("Bank")
    url = reverse("assessments_quizzes:add")
    response = editor_client.post(
        url,
        _quiz_post(
            course=course.pk,
            fixed_questions=inline_formset([{"question": question.pk, "marks": 2}]),
            draw_rules=inline_formset([{"category": category.pk, "count": 3, "marks": 1}]),
        ),
    )
    assert response.status_code == 302
    quiz = Quiz.objects.get()
    assert quiz.course_id == course.pk
    assert list(quiz.fixed_questions.values_list("question_id", "marks")) == [(question.pk, 2)]
    assert quiz.draw_rules.get().count == 3
    # A quiz must be attached to a course or a lesson: a field error, nothing saved.
    response = editor_client.post(url, _quiz_post(title="Loose quiz"))
    assert response.status_code == 200
    assert "course" in response.context["form"].errors
    assert Quiz.objects.count() == 1
