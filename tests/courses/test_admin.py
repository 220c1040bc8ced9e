"""Wagtail admin screens of courses, and who may use them."""

from __future__ import annotations

import pytest

from lms.roles import Role
from lms.services import roles_sync
from tests.factories import make_staff

from .factories import finish_lessons, make_course

pytestmark = pytest.mark.django_db

ENROLMENTS = "/admin/courses_enrolments/"


@pytest.fixture
def hr_client(client):
    roles_sync()
    profile = make_staff(Role.HR_ADMIN, user__username="hr-courses", hr_all_departments=True)
    client.force_login(profile.user)
    return client


def test_hr_sees_enrolments_read_only(hr_client, learner):
    course = make_course("Spotting phishing emails")
    finish_lessons(learner, course, 1)
    response = hr_client.get(ENROLMENTS)
    assert response.status_code == 200
    assert "Spotting phishing emails" in response.content.decode()
    response = hr_client.get(ENROLMENTS, {"course": course.pk, "completed": "false"})
    assert response.status_code == 200
    assert hr_client.get(ENROLMENTS + "new/").status_code in (302, 403)
    assert hr_client.get("/admin/courses_lesson_progress/").status_code == 200


def test_superuser_cannot_edit_enrolments_either(admin_client, learner):
    course = make_course()
    finish_lessons(learner, course, 1)
    page = admin_client.get(ENROLMENTS).content.decode()
    assert ENROLMENTS + "new/" not in page
    assert admin_client.get(ENROLMENTS + "new/").status_code in (302, 403)


def test_job_role_targets_and_frameworks_screens(hr_client, admin_client):
    assert hr_client.get("/admin/courses_job_role_targets/").status_code == 200
    page = admin_client.get("/admin/courses_competences/", {"q": "privacy"}).content.decode()
    assert "Protecting personal data and privacy" in page
    assert admin_client.get("/admin/courses_frameworks/").status_code == 200


def test_learner_has_no_admin(learner_client):
    response = learner_client.get(ENROLMENTS)
    assert response.status_code in (302, 403)
