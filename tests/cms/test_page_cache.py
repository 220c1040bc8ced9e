"""Pages served from remembered routes, and the cached lookups every request makes (roles,
authenticator, municipality settings): faster, and never wrong after a change."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import PageViewRestriction, Site

from cms.models import MunicipalitySettings
from cms.routing import PAGES, _route_key, _Routes
from courses.models import Enrolment
from courses.services import enrolment_create
from lms.cache import generation
from lms.roles import Role
from lms.services import user_set_roles
from tests.courses.factories import lessons_of, make_course

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def municipality():
    """The settings row exists, as on any site past its first request (creating it renews the
    pages generation, which would make the first two requests look alike)."""
    return MunicipalitySettings.for_site(Site.objects.get(is_default_site=True))


@pytest.fixture
def course(learner):
    course = make_course("Online permits", lessons=3)
    enrolment_create(user=learner, course=course)
    return course


def _queries(client, url) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    return len(ctx.captured_queries), response


def test_second_visit_is_served_from_the_remembered_route(learner_client, course):
    lesson = lessons_of(course)[1]
    cold, first = _queries(learner_client, lesson.url)
    warm, second = _queries(learner_client, lesson.url)
    steady, third = _queries(learner_client, lesson.url)
    assert first.status_code == second.status_code == third.status_code == 200
    assert lesson.title in third.content.decode()
    assert warm < cold
    # user, lesson, the enrolment with its finished lessons (one query); the course and its
    # lessons are remembered in the process — whatever the depth of the tree
    assert steady <= 3


def test_a_lesson_costs_three_cache_round_trips(learner_client, course, cache_calls):
    lesson = lessons_of(course)[1]
    learner_client.get(lesson.url)
    learner_client.get(lesson.url)
    cache_calls.clear()
    assert learner_client.get(lesson.url).status_code == 200
    # the pages and roles generations; the session; the person's roles and authenticator
    assert cache_calls == ["get_many", "get", "get_many"]


def test_unpublished_lesson_is_gone_at_once(learner_client, course):
    lesson = lessons_of(course)[0]
    assert learner_client.get(lesson.url).status_code == 200
    lesson.unpublish()
    assert learner_client.get(lesson.url).status_code == 404


def test_renamed_course_moves_its_lessons(learner_client, course):
    lesson = lessons_of(course)[0]
    old_url = lesson.url
    assert learner_client.get(old_url).status_code == 200
    course.slug = "permits-online"
    course.save_revision().publish()
    lesson.refresh_from_db()
    assert lesson.url != old_url
    assert learner_client.get(old_url).status_code == 404
    assert learner_client.get(lesson.url).status_code == 200


def test_new_view_restriction_applies_at_once(learner_client, course):
    lesson = lessons_of(course)[0]
    assert learner_client.get(lesson.url).status_code == 200
    restriction = PageViewRestriction.objects.create(
        page=course, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get(name=Role.HR_ADMIN.value)])
    response = learner_client.get(lesson.url)
    assert response.status_code == 302  # sent to sign in as someone allowed
    restriction.delete()
    assert learner_client.get(lesson.url).status_code == 200


def test_a_stale_route_can_only_miss(learner_client, course):
    first, second = lessons_of(course)[:2]
    learner_client.get(first.url)
    # Point the remembered route of the first lesson at the second (as if ids were reused).
    routes = _Routes.for_token(generation(PAGES))
    key = _route_key(_FakeRequest(), first.url.lstrip("/"))
    site, root, _ref = routes[key]
    routes[key] = (site, root, ("courses", "lessonpage", second.pk))
    response = learner_client.get(first.url)
    assert response.status_code == 200
    assert response.context["page"].pk == first.pk


class _FakeRequest:
    def _get_raw_host(self):
        return "testserver"

    def get_port(self):
        return "80"


def test_pages_work_without_a_cache(learner_client, course, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    lesson = lessons_of(course)[0]
    for _ in range(2):
        assert learner_client.get(lesson.url).status_code == 200


def test_role_taken_away_stops_working_on_the_next_request(client, hr_admin):
    client.force_login(hr_admin)
    assert client.get("/hr/compliance/").status_code == 200
    user_set_roles(user=hr_admin, roles=[])
    assert client.get("/hr/compliance/").status_code == 403


def test_role_removed_through_the_group_side_also_counts(client, hr_admin):
    client.force_login(hr_admin)
    assert client.get("/hr/compliance/").status_code == 200
    Group.objects.get(name=Role.HR_ADMIN.value).user_set.remove(hr_admin)
    assert client.get("/hr/compliance/").status_code == 403


def test_new_authenticator_is_asked_for_at_once(learner_client, learner):
    assert learner_client.get("/my-learning/").status_code == 200
    TOTPDevice.objects.create(user=learner, name="phone", confirmed=True)
    response = learner_client.get("/my-learning/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/mfa/")


def test_municipality_name_change_shows_at_once(learner_client, municipality):
    learner_client.get("/my-learning/")
    municipality.municipality_name = "Riverton County"
    municipality.save()
    assert "Riverton County" in learner_client.get("/my-learning/").content.decode()


def test_reopening_the_same_lesson_does_not_write(learner_client, learner, course):
    first, second = lessons_of(course)[:2]
    learner_client.get(first.url)
    enrolment = Enrolment.objects.get(user=learner, course=course)
    assert enrolment.last_lesson_id == first.pk
    started, seen = enrolment.started_at, enrolment.last_activity_at
    with CaptureQueriesContext(connection) as ctx:
        learner_client.get(first.url)
    assert not [q for q in ctx.captured_queries if q["sql"].startswith("UPDATE")]
    learner_client.get(second.url)
    enrolment.refresh_from_db()
    assert enrolment.last_lesson_id == second.pk
    assert enrolment.started_at == started  # set once, never moved
    assert enrolment.last_activity_at >= seen


def test_reopening_after_a_while_refreshes_last_activity(learner_client, learner, course):
    lesson = lessons_of(course)[0]
    learner_client.get(lesson.url)
    long_ago = timezone.now() - dt.timedelta(hours=1)
    Enrolment.objects.filter(user=learner).update(last_activity_at=long_ago)
    learner_client.get(lesson.url)
    assert Enrolment.objects.get(user=learner).last_activity_at > long_ago
