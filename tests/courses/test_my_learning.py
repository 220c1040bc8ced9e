"""/my-learning/: assigned (due dates, overdue), in progress, completed, recommended, panels."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.services import enrolments_ensure_bulk
from lms.models import Assignment, JobRole, RoleFamily

from .factories import finish_lessons, make_course

pytestmark = pytest.mark.django_db

URL = reverse("courses:my_learning")


def assign(user, course, *, due_date=None, required=True) -> Assignment:
    enrolment = enrolments_ensure_bulk(pairs=[(user.pk, course.pk)])[(user.pk, course.pk)]
    return Assignment.objects.create(
        user=user,
        course=course,
        enrolment=enrolment,
        assigned_at=timezone.now(),
        due_date=due_date,
        required=required,
    )


def my_panel(request):
    return {"template": "courses/tests_panel.html", "context": {"text": "Your certificates"}}


def section(page: str, heading_id: str) -> str:
    return page.split(f'id="{heading_id}"')[1].split("</section>")[0]


def test_sections(learner_client, learner):
    today = timezone.localdate()
    overdue = make_course("Handling personal data")
    due_later = make_course("Accessible documents")
    started = make_course("Video calls with residents")
    done = make_course("Shared documents", lessons=1)
    assign(learner, overdue, due_date=today - dt.timedelta(days=3))
    assign(learner, due_later, due_date=today + dt.timedelta(days=30))
    finish_lessons(learner, started, 1)
    finish_lessons(learner, done)

    page = learner_client.get(URL).content.decode()
    assigned = section(page, "assigned-heading")
    assert "Handling personal data" in assigned and "Accessible documents" in assigned
    assert assigned.count("Overdue") == 1
    assert assigned.index("Handling personal data") < assigned.index("Overdue")
    assert assigned.index("Overdue") < assigned.index("Accessible documents")
    assert "Video calls with residents" in section(page, "progress-heading")
    assert "1 of 3 lessons done" in section(page, "progress-heading")
    assert "Shared documents" in section(page, "completed-heading")


def test_completed_assignment_is_not_overdue(learner_client, learner):
    course = make_course(lessons=1)
    assign(learner, course, due_date=timezone.localdate() - dt.timedelta(days=3))
    finish_lessons(learner, course)
    page = learner_client.get(URL).content.decode()
    assert "Overdue" not in page
    assert course.title in section(page, "completed-heading")


def test_recommended_by_job_role_and_family(learner_client, learner):
    job_role = learner.profile.job_role
    by_role = make_course("For my role")
    by_role.audience_job_roles.add(job_role)
    by_role.save()
    make_course("For my family", audience_role_families=[job_role.family])
    other = JobRole.objects.create(name="Engineer", family=RoleFamily.SPECIALIST)
    not_mine = make_course("For engineers", audience_role_families=[other.family])
    not_mine.audience_job_roles.add(other)
    not_mine.save()
    enrolled = make_course("Already started", audience_role_families=[job_role.family])
    finish_lessons(learner, enrolled, 1)

    recommended = section(learner_client.get(URL).content.decode(), "recommended-heading")
    assert "For my role" in recommended
    assert "For my family" in recommended
    assert "For engineers" not in recommended
    assert "Already started" not in recommended


def test_panels_from_settings(learner_client, settings, tmp_path):
    (tmp_path / "courses").mkdir()
    (tmp_path / "courses" / "tests_panel.html").write_text(
        '<section class="test-panel">{{ text }}</section>'
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    settings.MY_LEARNING_PANELS = ["tests.courses.test_my_learning.my_panel"]
    page = learner_client.get(URL).content.decode()
    assert '<section class="test-panel">Your certificates</section>' in page


def _learning_data(user, size: int) -> None:
    today = timezone.localdate()
    for n in range(size):
        assign(
            user,
            make_course(f"Assigned {n}", slug=f"assigned-{n}"),
            due_date=today + dt.timedelta(days=n - 1),
        )
        finish_lessons(user, make_course(f"Started {n}", slug=f"started-{n}"), 1)
        finish_lessons(user, make_course(f"Done {n}", slug=f"done-{n}", lessons=1))
        make_course(
            f"Recommended {n}",
            slug=f"recommended-{n}",
            audience_role_families=[user.profile.job_role.family],
        )


@pytest.mark.parametrize("size", [1, 6])
def test_query_budget(learner_client, learner, django_assert_max_num_queries, size):
    _learning_data(learner, size)
    with django_assert_max_num_queries(17):
        response = learner_client.get(URL)
    assert response.status_code == 200
    assert response.content.decode().count("Started ") >= size


# The live courses behind /my-learning/ are kept per process (``courses.selectors.live_courses``)
# until any page changes: every editor action must show at once.


def test_unpublished_course_leaves_my_learning_at_once(learner_client, learner):
    course = make_course("Online permits")
    assign(learner, course)
    assert "Online permits" in section(learner_client.get(URL).content.decode(), "assigned-heading")
    course.unpublish()
    assert "Online permits" not in learner_client.get(URL).content.decode()


def test_renamed_course_shows_its_new_title_at_once(learner_client, learner):
    course = make_course("Online permits")
    assign(learner, course)
    learner_client.get(URL)
    course.title = "Online permits and licences"
    course.save_revision().publish()
    assert "Online permits and licences" in learner_client.get(URL).content.decode()


def test_new_course_for_my_role_is_recommended_at_once(learner_client, learner):
    learner_client.get(URL)
    make_course("Just published", audience_role_families=[learner.profile.job_role.family])
    page = learner_client.get(URL).content.decode()
    assert "Just published" in section(page, "recommended-heading")


def test_new_lesson_counts_at_once(learner_client, learner):
    from courses.models import LessonPage

    course = make_course("Online permits", lessons=2)
    finish_lessons(learner, course, 1)
    assert "1 of 2 lessons done" in learner_client.get(URL).content.decode()
    course.add_child(instance=LessonPage(title="Extra", slug="extra", body=[]))
    LessonPage.objects.get(slug="extra").save_revision().publish()
    assert "1 of 3 lessons done" in learner_client.get(URL).content.decode()


def test_works_without_a_cache(learner_client, learner, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    course = make_course("Online permits")
    assign(learner, course)
    assert "Online permits" in section(learner_client.get(URL).content.decode(), "assigned-heading")


def test_no_due_date_comes_last_on_every_database(learner_client, learner):
    assign(learner, make_course("Without a date"))
    assign(learner, make_course("With a date"), due_date=timezone.localdate())
    assigned = section(learner_client.get(URL).content.decode(), "assigned-heading")
    assert assigned.index("With a date") < assigned.index("Without a date")
