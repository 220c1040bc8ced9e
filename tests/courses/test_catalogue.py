"""/courses/: filters, full-text search (Wagtail database backend), pagination, query budget."""

from __future__ import annotations

import pytest
from django.urls import reverse

from courses.models import Competence, CourseCompetence
from lms.models import JobRole, RoleFamily

from .factories import finish_lessons, make_course

pytestmark = pytest.mark.django_db

URL = reverse("courses:catalogue")


def titles(client, **params) -> list[str]:
    response = client.get(URL, params)
    assert response.status_code == 200
    return [course.title for course in response.context["courses"]]


def tag(course, code: str) -> None:
    competence = Competence.objects.get(framework__slug="digcomp-2-2", code=code)
    CourseCompetence.objects.create(course=course, competence=competence)


def test_lists_live_courses_with_an_accessible_filter_form(learner_client):
    make_course("Spotting phishing emails")
    draft = make_course("Draft course")
    draft.unpublish()
    page = learner_client.get(URL).content.decode()
    assert "Spotting phishing emails" in page
    assert "Draft course" not in page
    assert '<form method="get"' in page
    assert "<legend" in page and 'for="id_area"' in page and 'type="submit"' in page


def test_filter_by_competence_area_and_competence(learner_client):
    safety = make_course("Spotting phishing emails")
    tag(safety, "4.2")
    content = make_course("Making accessible documents")
    tag(content, "3.1")
    area = Competence.objects.get(framework__slug="digcomp-2-2", code="4.2").area
    assert titles(learner_client, area=area.pk) == ["Spotting phishing emails"]
    competence = Competence.objects.get(framework__slug="digcomp-2-2", code="3.1")
    assert titles(learner_client, competence=competence.pk) == ["Making accessible documents"]


def test_filter_by_job_role_family_level_duration_difficulty(learner_client):
    clerk = JobRole.objects.create(name="Permit clerk", family=RoleFamily.FRONTLINE)
    permits = make_course(
        "Online permits portal", estimated_minutes=20, target_level=3, difficulty="intermediate"
    )
    permits.audience_job_roles.add(clerk)
    permits.save()
    make_course(
        "Supervising remote teams",
        estimated_minutes=75,
        target_level=5,
        audience_role_families=[RoleFamily.SUPERVISOR],
    )
    assert titles(learner_client, job_role=clerk.pk) == ["Online permits portal"]
    assert titles(learner_client, role_family=RoleFamily.SUPERVISOR) == ["Supervising remote teams"]
    assert titles(learner_client, level=3) == ["Online permits portal"]
    assert titles(learner_client, duration="medium") == ["Online permits portal"]
    assert titles(learner_client, duration="longer") == ["Supervising remote teams"]
    assert titles(learner_client, difficulty="intermediate") == ["Online permits portal"]


def test_filter_by_my_status(learner_client, learner):
    done = make_course("Done course", lessons=1)
    started = make_course("Started course")
    make_course("Untouched course")
    finish_lessons(learner, done)
    finish_lessons(learner, started, 1)
    assert titles(learner_client, status="completed") == ["Done course"]
    assert titles(learner_client, status="in_progress") == ["Started course"]
    assert titles(learner_client, status="not_enrolled") == ["Untouched course"]


def test_bad_filter_value_is_a_form_error(learner_client):
    make_course()
    response = learner_client.get(URL, {"duration": "forever"})
    assert response.status_code == 200
    assert response.context["form"].errors["duration"]


def test_search_alone_and_combined_with_filters(learner_client):
    phishing = make_course(
        "Spotting phishing emails", summary="Recognise fake emails asking for passwords."
    )
    tag(phishing, "4.2")
    make_course("Video calls with residents", summary="Run a calm, secure video appointment.")
    make_course("Phishing for managers", summary="Lead your team after a phishing incident.")
    assert set(titles(learner_client, q="phishing")) == {
        "Spotting phishing emails",
        "Phishing for managers",
    }
    assert titles(learner_client, q="passwords") == ["Spotting phishing emails"]
    area = Competence.objects.get(framework__slug="digcomp-2-2", code="4.2").area
    assert titles(learner_client, q="phishing", area=area.pk) == ["Spotting phishing emails"]
    assert titles(learner_client, q="zebra") == []


def test_pagination_keeps_filters(learner_client):
    for n in range(14):
        make_course(f"Course {n:02d}", slug=f"course-{n}", lessons=1, estimated_minutes=10)
    response = learner_client.get(URL, {"duration": "short"})
    page = response.content.decode()
    assert len(response.context["courses"]) == 12
    assert "duration=short&amp;page=2" in page
    assert len(titles(learner_client, duration="short", page=2)) == 2


def _catalogue_data(user, size: int) -> None:
    clerk = user.profile.job_role
    for n in range(size):
        course = make_course(f"Course {n}", slug=f"course-{n}", lessons=2)
        tag(course, "4.2")
        course.audience_job_roles.add(clerk)
        course.save()
        if n % 2:
            finish_lessons(user, course, 1)


@pytest.mark.parametrize("size", [2, 12])
@pytest.mark.parametrize("params", [{}, {"q": "course", "status": "in_progress", "level": "3"}])
def test_query_budget(learner_client, learner, django_assert_max_num_queries, size, params):
    _catalogue_data(learner, size)
    with django_assert_max_num_queries(20):
        response = learner_client.get(URL, params)
    assert response.status_code == 200


def test_filter_choices_follow_new_and_renamed_job_roles(learner_client):
    """The filter choices are cached; a new or renamed job role shows on the next request."""
    url = reverse("courses:catalogue")
    learner_client.get(url)
    role = JobRole.objects.create(name="Harbour master", family=RoleFamily.FRONTLINE)
    assert "Harbour master" in learner_client.get(url).content.decode()
    role.name = "Harbour officer"
    role.save()
    page = learner_client.get(url).content.decode()
    assert "Harbour officer" in page and "Harbour master" not in page
    course = make_course("Ferry bookings", audience_job_roles=[])
    course.audience_job_roles.set([role])
    course.save_revision().publish()
    assert titles(learner_client, job_role=role.pk) == ["Ferry bookings"]
    role.delete()
    assert "Harbour officer" not in learner_client.get(url).content.decode()
