"""Staff-site quiz pages: who may open what, the flow, the course panel, query budgets."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from assessments.models import Attempt, AttemptState
from assessments.panels_quiz import course_quiz_panel
from assessments.services.quizzes import attempt_start, attempt_submit
from tests.assessments.factories import (
    answer,
    content,
    make_course,
    make_question,
    make_quiz,
)

pytestmark = pytest.mark.django_db


def _start_url(quiz):
    return reverse("assessments:quiz_start", kwargs={"quiz_id": quiz.pk})


def _attempt_url(attempt):
    return reverse("assessments:attempt", kwargs={"attempt_id": attempt.pk})


def _result_url(attempt):
    return reverse("assessments:attempt_result", kwargs={"attempt_id": attempt.pk})


def test_anonymous_is_sent_to_sign_in(client):
    quiz = make_quiz(questions=[make_question()])
    response = client.get(_start_url(quiz))
    assert response.status_code == 302 and "login" in response["Location"]


def test_closed_quiz_is_404_and_assignment_only_course_is_403(learner_client):
    closed = make_quiz(questions=[make_question()], is_live=False)
    assert learner_client.get(_start_url(closed)).status_code == 404
    private = make_quiz(course=make_course(allow_self_enrol=False), questions=[make_question()])
    assert learner_client.get(_start_url(private)).status_code == 403


def test_another_learners_attempt_is_404(client, learner, other_learner):
    quiz = make_quiz(questions=[make_question()])
    attempt = attempt_start(user=other_learner, quiz=quiz)
    client.force_login(learner)
    assert client.get(_attempt_url(attempt)).status_code == 404
    assert client.post(_attempt_url(attempt), {"q1": "0", "action": "submit"}).status_code == 404
    attempt_submit(attempt=attempt)
    assert client.get(_result_url(attempt)).status_code == 404


def test_correct_answers_never_reach_the_page_before_submitting(learner_client):
    body = content(
        "short_text", "Which word?", answers=[answer("SECRETANSWER", 1.0, "FEEDBACKTEXT")]
    )
    quiz = make_quiz(questions=[make_question(body=body)])
    response = learner_client.post(_start_url(quiz))
    page = learner_client.get(response["Location"]).content.decode()
    assert "Which word?" in page
    assert "SECRETANSWER" not in page and "FEEDBACKTEXT" not in page


def test_take_fail_retry_pass_flow(learner_client, learner):
    quiz = make_quiz(questions=[make_question(), make_question()], pass_mark=100)
    start = learner_client.get(_start_url(quiz))
    assert start.status_code == 200 and b"Start the quiz" in start.content
    attempt_url = learner_client.post(_start_url(quiz))["Location"]
    page = learner_client.get(attempt_url)
    assert page.status_code == 200
    assert b"<legend" in page.content and b'name="q1"' in page.content
    result_url = learner_client.post(attempt_url, {"q1": "0", "q2": "1", "action": "submit"})[
        "Location"
    ]
    result = learner_client.get(result_url)
    assert b"You did not pass this time" in result.content and b"50%" in result.content
    attempt_url = learner_client.post(_start_url(quiz))["Location"]
    # Save the first answer, resume, then submit the second.
    learner_client.post(attempt_url, {"q1": "0", "action": "save"})
    resumed = learner_client.get(attempt_url)
    assert b'value="0" checked' in resumed.content
    result_url = learner_client.post(attempt_url, {"q1": "0", "q2": "0", "action": "submit"})[
        "Location"
    ]
    assert b"You passed" in learner_client.get(result_url).content
    assert Attempt.objects.filter(user=learner, passed=True).count() == 1
    # Posting the submit again changes nothing and leads to the result.
    again = learner_client.post(attempt_url, {"q1": "1", "q2": "1", "action": "submit"})
    assert again["Location"] == result_url
    assert Attempt.objects.get(pk=result_url.split("/")[-3]).passed


def test_pages_of_questions(learner_client):
    quiz = make_quiz(questions=[make_question() for _ in range(3)], questions_per_page=2)
    attempt_url = learner_client.post(_start_url(quiz))["Location"]
    first = learner_client.get(attempt_url)
    assert b'name="q1"' in first.content and b'name="q3"' not in first.content
    response = learner_client.post(attempt_url + "?page=1", {"q1": "0", "action": "next"})
    assert response["Location"].endswith("?page=2")
    second = learner_client.get(response["Location"])
    assert b'name="q3"' in second.content and b"Page 2 of 2" in second.content


def test_time_ran_out_page_grades_and_shows_result(learner_client, learner):
    quiz = make_quiz(questions=[make_question()], time_limit_minutes=5)
    attempt = attempt_start(user=learner, quiz=quiz, now=timezone.now() - dt.timedelta(minutes=6))
    response = learner_client.post(_attempt_url(attempt), {"q1": "0", "action": "submit"})
    assert response["Location"] == _result_url(attempt)
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.SUBMITTED and attempt.timed_out and attempt.score == 0
    assert b"Time ran out" in learner_client.get(response["Location"]).content


def test_result_page_shows_only_what_the_quiz_allows(learner_client, learner):
    quiz = make_quiz(
        questions=[make_question()],
        show_score=False,
        show_correct_answers=False,
        show_feedback=False,
    )
    attempt = attempt_submit(attempt=attempt_start(user=learner, quiz=quiz), responses={1: 1})
    page = learner_client.get(_result_url(attempt)).content.decode()
    assert "You scored" not in page and "Right answer" not in page and "Never." not in page
    quiz.show_score = quiz.show_correct_answers = quiz.show_feedback = True
    quiz.save()
    page = learner_client.get(_result_url(attempt)).content.decode()
    assert "You scored" in page and "Right answer" in page and "Never." in page


@pytest.mark.parametrize("size", [2, 8])
def test_attempt_and_result_pages_query_budget(
    learner_client, learner, size, django_assert_max_num_queries
):
    quiz = make_quiz(questions=[make_question() for _ in range(size)])
    attempt = attempt_start(user=learner, quiz=quiz)
    with django_assert_max_num_queries(14):
        assert learner_client.get(_attempt_url(attempt)).status_code == 200
    attempt_submit(attempt=attempt, responses=dict.fromkeys(range(1, size + 1), 0))
    with django_assert_max_num_queries(14):
        assert learner_client.get(_result_url(attempt)).status_code == 200
    with django_assert_max_num_queries(14):
        assert learner_client.get(_start_url(quiz)).status_code == 200


@pytest.mark.parametrize("attempts", [1, 5])
def test_course_quiz_panel(learner, attempts, django_assert_max_num_queries):
    course = make_course()
    quiz = make_quiz(course=course, questions=[make_question()], attempts_allowed=0)
    for _ in range(attempts):
        attempt_submit(attempt=attempt_start(user=learner, quiz=quiz), responses={1: 0})
    request = RequestFactory().get("/")
    request.user = learner
    with django_assert_max_num_queries(3):
        panel = course_quiz_panel(request, course)
    assert panel["template"] == "assessments/quiz/includes/course_quiz_panel.html"
    assert panel["context"]["quiz"] == quiz
    assert panel["context"]["quiz_status"].passed
    assert panel["context"]["quiz_status"].attempts_used == attempts
    assert course_quiz_panel(request, make_course()) is None
