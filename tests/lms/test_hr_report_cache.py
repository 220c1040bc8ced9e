"""The compliance report's cached department rows: served from the cache, invalidated by every
change the report counts, keyed by scope, filters and date, and never broken by the cache.

Writes run inside ``django_capture_on_commit_callbacks(execute=True)``: the invalidation
happens when the transaction commits, as it does outside tests.
"""

import datetime as dt
from unittest import mock

import pytest
from django.db import transaction
from django.utils import timezone

from courses.services import lesson_complete, lesson_visit
from lms.cache import generation
from lms.hr import report_cache
from lms.hr.roster import roster_import
from lms.hr.services import (
    assignment_delete,
    assignment_rule_create,
    assignments_create,
    recertification_sweep,
)
from lms.models import Assignment, Department
from lms.roles import Role
from tests.courses.factories import lessons_of
from tests.courses.factories import make_course as make_course_with_lessons
from tests.factories import DepartmentFactory, JobRoleFactory, make_staff
from tests.lms.factories import complete, make_course

pytestmark = pytest.mark.django_db
URL = "/hr/compliance/"


@pytest.fixture
def world():
    permits = DepartmentFactory(name="Permits")
    parks = DepartmentFactory(name="Parks")
    course = make_course("Phishing awareness")
    people = [make_staff(department=permits) for _ in range(2)]
    assignments_create(users=[p.user for p in people], course=course, due_date=timezone.localdate())
    return permits, parks, course, people


@pytest.fixture
def hr_client(client, hr_admin):
    client.force_login(hr_admin)
    return client


def _rows(client, **params) -> dict:
    response = client.get(URL, params)
    assert response.status_code == 200
    return {row["name"]: row for row in response.context["rows"]}


def _cached(client, **params) -> bool:
    return client.get(URL, params).context["cached_at"] is not None


def test_second_request_is_served_from_the_cache(hr_client, world):
    first = hr_client.get(URL)
    assert first.context["cached_at"] is None
    assert b"Figures as of" not in first.content
    second = hr_client.get(URL)
    assert second.context["cached_at"] is not None
    assert b"Figures as of" in second.content
    assert second.context["rows"] == first.context["rows"]
    assert second.context["totals"] == first.context["totals"]


def test_cached_request_skips_the_aggregate(hr_client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    hr_client.get(URL)
    with CaptureQueriesContext(connection) as queries:
        hr_client.get(URL)
    assert not [q for q in queries.captured_queries if "COUNT(" in q["sql"]]


def test_completion_invalidates(hr_client, world, django_capture_on_commit_callbacks):
    _permits, _parks, course, people = world
    assert _rows(hr_client)["Permits"]["completed"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        complete(people[0].user, course)
    assert not _cached(hr_client)
    assert _rows(hr_client)["Permits"]["completed"] == 1


def test_starting_a_lesson_and_finishing_a_course_invalidate(
    hr_client, world, django_capture_on_commit_callbacks
):
    permits, _parks, _course, _people = world
    course = make_course_with_lessons("Data protection", lessons=2)
    person = make_staff(department=permits)
    with django_capture_on_commit_callbacks(execute=True):
        assignments_create(users=[person.user], course=course, due_date=None)
    first, second = lessons_of(course)
    assert _rows(hr_client)["Permits"]["in_progress"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        lesson_visit(user=person.user, lesson=first)
    assert _rows(hr_client)["Permits"]["in_progress"] == 1
    # Re-opening a lesson of a started course changes nothing the report counts.
    _rows(hr_client)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        lesson_visit(user=person.user, lesson=second)
    assert callbacks == []
    assert _cached(hr_client)
    with django_capture_on_commit_callbacks(execute=True):
        lesson_complete(user=person.user, lesson=first)
        lesson_complete(user=person.user, lesson=second)
    row = _rows(hr_client)["Permits"]
    assert (row["in_progress"], row["completed"]) == (0, 1)


def test_assignment_and_removal_invalidate(hr_client, world, django_capture_on_commit_callbacks):
    _permits, parks, course, _people = world
    newcomer = make_staff(department=parks)
    assert "Parks" not in _rows(hr_client)
    with django_capture_on_commit_callbacks(execute=True):
        assignments_create(users=[newcomer.user], course=course, due_date=None)
    assert _rows(hr_client)["Parks"]["assigned"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        assignment_delete(assignment=Assignment.objects.get(user=newcomer.user))
    assert "Parks" not in _rows(hr_client)


def test_rule_withdrawal_invalidates(hr_client, django_capture_on_commit_callbacks):
    permits = DepartmentFactory(name="Permits")
    course = make_course("Phishing awareness")
    person = make_staff(department=permits)
    with django_capture_on_commit_callbacks(execute=True):
        assignment_rule_create(name="Permits", course=course, departments=[permits], due_days=30)
    assert _rows(hr_client)["Permits"]["assigned"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        roster_import(
            data=(
                "employee_id,first_name,last_name,email,department,job_title\n"
                f"{person.employee_id},A,B,{person.user.email},Parks,Clerk\n"
            ).encode()
        )
    rows = _rows(hr_client)
    assert "Permits" not in rows  # the rule's open assignment was withdrawn on the move
    assert Assignment.objects.get(user=person.user).status == "withdrawn"


def test_roster_move_invalidates(hr_client, world, django_capture_on_commit_callbacks):
    _permits, _parks, _course, people = world
    mover = people[0]
    assert _rows(hr_client)["Permits"]["assigned"] == 2
    with django_capture_on_commit_callbacks(execute=True):
        report = roster_import(
            data=(
                "employee_id,first_name,last_name,email,department,job_title\n"
                f"{mover.employee_id},A,B,{mover.user.email},Parks,Clerk\n"
            ).encode()
        )
    assert report.written
    rows = _rows(hr_client)
    assert (rows["Permits"]["assigned"], rows["Parks"]["assigned"]) == (1, 1)


def test_roster_dry_run_keeps_the_cache(hr_client, world, django_capture_on_commit_callbacks):
    _permits, _parks, _course, people = world
    _rows(hr_client)
    with django_capture_on_commit_callbacks(execute=True):
        roster_import(
            data=(
                "employee_id,first_name,last_name,email,department,job_title\n"
                f"{people[0].employee_id},A,B,{people[0].user.email},Parks,Clerk\n"
            ).encode(),
            dry_run=True,
        )
    assert _cached(hr_client)


def test_staff_form_move_invalidates(client, site_admin, world, django_capture_on_commit_callbacks):
    _permits, parks, _course, people = world
    mover = people[0]
    client.force_login(site_admin)
    assert _rows(client)["Permits"]["assigned"] == 2
    data = {
        "first_name": "Ana",
        "last_name": "Moved",
        "email": mover.user.email,
        "employee_id": mover.employee_id,
        "department": parks.pk,
        "job_role": JobRoleFactory(name="Gardener").pk,
        "is_active": "on",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/lms_staff/edit/{mover.pk}/", data)
    assert response.status_code == 302, response.context["form"].errors
    rows = _rows(client)
    assert (rows["Permits"]["assigned"], rows["Parks"]["assigned"]) == (1, 1)


def test_department_rename_invalidates(hr_client, world, django_capture_on_commit_callbacks):
    permits, *_rest = world
    assert "Permits" in _rows(hr_client)
    with django_capture_on_commit_callbacks(execute=True):
        department = Department.objects.get(pk=permits.pk)
        department.name = "Permits and licensing"
        department.save()
    assert set(_rows(hr_client)) == {"Permits and licensing"}


def test_recertification_invalidates(hr_client, django_capture_on_commit_callbacks):
    permits = DepartmentFactory(name="Permits")
    course = make_course("First aid")
    person = make_staff(department=permits)
    with django_capture_on_commit_callbacks(execute=True):
        assignment_rule_create(
            name="Yearly", course=course, everyone=True, due_days=30, recertify_months=12
        )
        completion = complete(person.user, course)
        completion.expires_at = timezone.now() + dt.timedelta(days=10)
        completion.save(update_fields=["expires_at"])
    before = _rows(hr_client)["Permits"]
    assert (before["assigned"], before["completed"], before["expiring_30"]) == (1, 1, 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert recertification_sweep() == 1
    after = _rows(hr_client)["Permits"]
    assert (after["assigned"], after["completed"], after["not_started"]) == (2, 1, 1)


def test_key_holds_scope_filters_and_date(client, hr_admin, world):
    permits, parks, course, _people = world
    assignments_create(
        users=[make_staff(department=parks).user],
        course=course,
        due_date=timezone.localdate() - dt.timedelta(days=1),
    )
    client.force_login(hr_admin)
    assert set(_rows(client)) == {"Permits", "Parks"}
    assert set(_rows(client, status="overdue")) == {"Parks"}
    assert _cached(client) and _cached(client, status="overdue")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with mock.patch("django.utils.timezone.localdate", return_value=tomorrow):
        response = client.get(URL)
        assert response.context["cached_at"] is None
        rows = {row["name"]: row for row in response.context["rows"]}
        assert rows["Permits"]["overdue"] == 2  # due today: overdue tomorrow
    scoped = make_staff(Role.HR_ADMIN, department=permits)
    scoped.hr_departments.add(permits)
    client.force_login(scoped.user)
    assert set(_rows(client)) == {"Permits"}


def test_invalid_filters_are_not_cached(hr_client, world):
    hr_client.get(URL, {"course": "999999"})
    assert not _cached(hr_client, course="999999")


def test_drill_downs_and_exports_are_computed(hr_client, world, django_capture_on_commit_callbacks):
    permits, _parks, course, people = world
    hr_client.get(URL)
    drill = hr_client.get(URL, {"drill_department": permits.pk})
    assert drill.context["cached_at"] is None
    Assignment.objects.filter(user=people[0].user).delete()  # no service: no invalidation
    csv_text = b"".join(hr_client.get(URL, {"export": "csv"}).streaming_content).decode()
    assert "Permits,1," in csv_text


def test_no_invalidation_on_rollback(django_capture_on_commit_callbacks):
    class Rollback(Exception):
        pass

    version = generation(report_cache.GENERATION)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Rollback):
        with transaction.atomic():
            report_cache.compliance_data_changed()
            raise Rollback
    assert generation(report_cache.GENERATION) == version
    with django_capture_on_commit_callbacks(execute=True):
        report_cache.compliance_data_changed()
    assert generation(report_cache.GENERATION) != version


def test_zero_timeout_turns_caching_off(hr_client, world, settings):
    settings.HR_COMPLIANCE_CACHE_SECONDS = 0
    hr_client.get(URL)
    assert not _cached(hr_client)


def test_fail_safe_cache_outage_computes_the_rows(
    hr_client, world, settings, django_capture_on_commit_callbacks
):
    """Nothing listens on port 1: the fail-safe backend answers "missing" to everything."""
    _permits, _parks, course, people = world
    settings.CACHES = {
        "default": {
            "BACKEND": "lms.cache.FailSafeRedisCache",
            "LOCATION": "redis://127.0.0.1:1/1",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    response = hr_client.get(URL)
    assert response.status_code == 200
    assert response.context["cached_at"] is None
    assert response.context["rows"][0]["assigned"] == 2
    with django_capture_on_commit_callbacks(execute=True):
        complete(people[0].user, course)
    assert _rows(hr_client)["Permits"]["completed"] == 1


def test_cache_errors_never_break_the_page(hr_client, world, django_capture_on_commit_callbacks):
    """A backend that raises (the plain RedisCache does while Redis is down): the rows are
    computed, and a failed invalidation is logged, not raised."""
    _permits, _parks, course, people = world
    broken = mock.Mock(spec=["get", "set", "add"])
    broken.get.side_effect = broken.set.side_effect = broken.add.side_effect = ConnectionError
    with mock.patch("django.core.cache.cache", broken):
        response = hr_client.get(URL)
        assert response.status_code == 200
        assert response.context["cached_at"] is None
        with django_capture_on_commit_callbacks(execute=True):
            complete(people[0].user, course)
        assert _rows(hr_client)["Permits"]["completed"] == 1
