"""Course and lesson pages, enrolment, lesson completion and knowledge checks (staff site)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from courses.models import Enrolment, LessonProgress

from .factories import finish_lessons, knowledge_check, lessons_of, make_course

pytestmark = pytest.mark.django_db


def sample_panel(request, page):
    """A course-page panel for tests."""
    return {"template": "courses/tests_panel.html", "context": {"text": f"Quiz for {page.title}"}}


def hidden_panel(request, page):
    return None


@pytest.fixture
def panel_template(settings, tmp_path):
    (tmp_path / "courses").mkdir()
    (tmp_path / "courses" / "tests_panel.html").write_text(
        '<section class="test-panel">{{ text }} / {{ request.user.username }}</section>'
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]


# --- Anonymous visitors --------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in_with_a_reason(client):
    course = make_course()
    lesson = lessons_of(course)[0]
    for url in (
        course.url,
        lesson.url,
        reverse("courses:catalogue"),
        reverse("courses:my_learning"),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url
    response = client.get(course.url, follow=True)
    assert "Courses are for city staff" in response.content.decode()


def test_anonymous_cannot_post(client):
    course = make_course()
    lesson = lessons_of(course)[0]
    response = client.post(reverse("courses:lesson_complete", args=[lesson.pk]))
    assert response.status_code == 302
    response = client.post(reverse("courses:enrol", args=[course.pk]))
    assert response.status_code == 302
    assert not Enrolment.objects.exists()


# --- Learning a course ---------------------------------------------------------------------


def test_enrol_go_through_lessons_and_complete(learner_client, learner):
    course = make_course(lessons=2)
    first, second = lessons_of(course)

    page = learner_client.get(course.url).content.decode()
    assert "Enrol and start" in page
    assert reverse("courses:enrol", args=[course.pk]) in page

    response = learner_client.post(reverse("courses:enrol", args=[course.pk]))
    assert response.status_code == 302
    assert response["Location"] == first.url

    page = learner_client.get(first.url).content.decode()
    assert "Lesson 1 of 2" in page
    assert "Mark as complete and continue" in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert f'href="{second.url}"' in page  # next

    response = learner_client.post(reverse("courses:lesson_complete", args=[first.pk]))
    assert response["Location"] == second.url
    # Back button + resubmit: nothing is recorded twice.
    learner_client.post(reverse("courses:lesson_complete", args=[first.pk]))
    assert LessonProgress.objects.filter(lesson=first).count() == 1

    page = learner_client.get(second.url).content.decode()
    assert "Lesson 2 of 2" in page
    assert f'href="{first.url}"' in page  # previous
    assert "Mark as complete and finish" in page

    response = learner_client.post(reverse("courses:lesson_complete", args=[second.pk]))
    assert response["Location"] == course.url
    page = learner_client.get(course.url).content.decode()
    assert "You completed this course on" in page
    assert "2 of 2 lessons done (100%)" in page
    assert Enrolment.objects.get(user=learner).completed_at is not None

    page = learner_client.get(reverse("courses:my_learning")).content.decode()
    completed = page.split('id="completed-heading"')[1].split("</section>")[0]
    assert course.title in completed


def test_course_page_shows_progress_ticks_and_continue(learner_client, learner):
    course = make_course(lessons=3)
    finish_lessons(learner, course, 1)
    page = learner_client.get(course.url).content.decode()
    assert "1 of 3 lessons done (33%)" in page
    assert page.count(">Done</span>") == 1
    assert "Continue" in page
    assert "2 lesson(s) still to finish." in page


def test_lesson_complete_needs_post(learner_client):
    lesson = lessons_of(make_course())[0]
    response = learner_client.get(reverse("courses:lesson_complete", args=[lesson.pk]))
    assert response.status_code == 405


def test_assignment_only_course_is_closed_to_others(learner_client, learner):
    course = make_course(allow_self_enrol=False)
    lesson = lessons_of(course)[0]
    page = learner_client.get(course.url).content.decode()
    assert "by assignment only" in page
    assert "Enrol and start" not in page
    assert learner_client.get(lesson.url).status_code == 403
    response = learner_client.post(reverse("courses:lesson_complete", args=[lesson.pk]))
    assert response.status_code == 403
    response = learner_client.post(reverse("courses:enrol", args=[course.pk]), follow=True)
    assert "by assignment only" in response.content.decode()
    assert not Enrolment.objects.filter(user=learner).exists()


def test_unknown_lesson_is_404(learner_client):
    response = learner_client.post(reverse("courses:lesson_complete", args=[999999]))
    assert response.status_code == 404


def test_nobody_sees_someone_elses_progress(client, learner, other_learner):
    course = make_course(lessons=2)
    finish_lessons(learner, course)
    client.force_login(other_learner)
    page = client.get(course.url).content.decode()
    assert "0 of 2" not in page  # not enrolled: no progress at all
    assert "You completed this course" not in page
    assert "Enrol and start" in page
    page = client.get(reverse("courses:my_learning")).content.decode()
    assert course.title not in page.split('id="completed-heading"')[1].split("</section>")[0]


# --- Knowledge checks ---------------------------------------------------------------------


def test_knowledge_check_is_graded_on_the_server(learner_client):
    course = make_course(lessons=1, body=[("knowledge_check", knowledge_check(correct=1))])
    lesson = lessons_of(course)[0]
    block_id = lesson.body[0].id
    page = learner_client.get(lesson.url).content.decode()
    assert "Which link is safe?" in page
    assert "Feedback 1" not in page and "Correct" not in page  # no answers in the HTML
    url = reverse("courses:knowledge_check", args=[lesson.pk, block_id])
    assert url in page

    response = learner_client.post(url, {"answer": "0"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#kc-{block_id}")
    page = learner_client.get(lesson.url).content.decode()
    assert "Not quite" in page and "Feedback 0" in page

    learner_client.post(url, {"answer": "1"})
    page = learner_client.get(lesson.url).content.decode()
    assert "Correct" in page and "Feedback 1" in page and "Because it is." in page


def test_knowledge_check_bad_input(learner_client):
    course = make_course(lessons=1, body=[("knowledge_check", knowledge_check())])
    lesson = lessons_of(course)[0]
    block_id = lesson.body[0].id
    url = reverse("courses:knowledge_check", args=[lesson.pk, block_id])
    response = learner_client.post(url, {"answer": "7"}, follow=True)
    assert "Choose one of the answers" in response.content.decode()
    bad = reverse("courses:knowledge_check", args=[lesson.pk, "nope"])
    assert learner_client.post(bad, {"answer": "1"}).status_code == 403


# --- Panels other apps add -------------------------------------------------------------------


def test_course_page_renders_panels_from_settings(learner_client, settings, panel_template):
    settings.COURSE_PAGE_PANELS = [
        "tests.courses.test_views.sample_panel",
        "tests.courses.test_views.hidden_panel",
    ]
    course = make_course(title="Phishing")
    page = learner_client.get(course.url).content.decode()
    assert '<section class="test-panel">Quiz for Phishing / learner1</section>' in page


def test_a_panel_that_cannot_be_imported_raises(learner_client, settings):
    settings.COURSE_PAGE_PANELS = ["no_such_app.panels.quiz_panel"]
    course = make_course()
    with pytest.raises(ImproperlyConfigured):
        learner_client.get(course.url)
