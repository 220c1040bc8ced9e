"""Readiness figures and the red / amber / green status with its reasons."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from champions.models import (
    RAG,
    Champion,
    ChampionStatus,
    Feedback,
    ReadinessThresholds,
    ServicePhase,
)
from champions.selectors.readiness import readiness_evaluate, service_readiness
from champions.selectors.rollouts import (
    affected_staff_queryset,
    service_get_by_slug,
    services_for_department,
)
from lms.services import staff_mark_leaver
from tests.champions.factories import complete_course, make_course, make_service
from tests.factories import DepartmentFactory, JobRoleFactory, make_staff

pytestmark = pytest.mark.django_db


def thresholds(**overrides) -> ReadinessThresholds:
    values = {
        "green_trained_percent": 90,
        "amber_trained_percent": 70,
        "green_max_open_concerns": 3,
        "amber_max_open_concerns": 10,
        "imminent_days": 7,
        "imminent_min_trained_percent": 70,
    }
    values.update(overrides)
    return ReadinessThresholds(**values)


def evaluate(**overrides):
    values = {
        "trained_percent": 95,
        "required_course_count": 1,
        "affected_staff": 40,
        "champions": 2,
        "champions_needed": 2,
        "staff_per_champion": 25,
        "open_concerns": 0,
        "days_to_go_live": 30,
        "thresholds": thresholds(),
    }
    values.update(overrides)
    return readiness_evaluate(**values)


class TestStatusThresholds:
    def test_green_when_trained_coverage_and_concerns_are_all_met(self):
        status, reasons = evaluate(trained_percent=90, open_concerns=3)

        assert status == RAG.GREEN
        assert reasons == [
            "Ready: 90% trained (target 90%), champion coverage met and 3 open concerns."
        ]

    def test_amber_when_trained_is_between_the_amber_and_green_shares(self):
        status, reasons = evaluate(trained_percent=75)

        assert status == RAG.AMBER
        assert reasons == [
            "Only 75% of affected staff have completed the required training (target 90%)."
        ]

    def test_amber_when_champion_coverage_is_not_met(self):
        status, reasons = evaluate(champions=1, champions_needed=3)

        assert status == RAG.AMBER
        assert reasons == [
            "Champion coverage is not met: 1 of 3 champions needed "
            "(one for every 25 affected staff)."
        ]

    def test_amber_with_more_open_concerns_than_green_allows(self):
        status, reasons = evaluate(open_concerns=4)

        assert status == RAG.AMBER
        assert reasons == ["4 open concerns (at most 3 for green)."]

    def test_amber_when_no_training_is_required(self):
        status, reasons = evaluate(trained_percent=None, required_course_count=0)

        assert status == RAG.AMBER
        assert "No required training is set" in reasons[0]

    def test_red_when_trained_is_below_the_amber_share(self):
        status, reasons = evaluate(trained_percent=62, champions=0, champions_needed=2)

        assert status == RAG.RED
        assert reasons[0] == (
            "Only 62% of affected staff have completed the required training (target 90%)."
        )
        assert "Champion coverage is not met: 0 of 2" in reasons[1]

    def test_red_with_more_open_concerns_than_amber_allows(self):
        status, reasons = evaluate(open_concerns=11)

        assert status == RAG.RED
        assert reasons == ["11 open concerns (at most 10 for amber)."]

    def test_red_when_go_live_is_close_and_too_few_are_trained(self):
        status, reasons = evaluate(
            trained_percent=80,
            days_to_go_live=5,
            thresholds=thresholds(imminent_min_trained_percent=85),
        )

        assert status == RAG.RED
        assert reasons == [
            "Go-live is in 5 days and only 80% are trained "
            "(at least 85% are needed this close to go-live).",
            "Only 80% of affected staff have completed the required training (target 90%).",
        ]

    def test_the_close_to_go_live_rule_does_not_apply_further_out(self):
        status, _reasons = evaluate(
            trained_percent=80,
            days_to_go_live=8,
            thresholds=thresholds(imminent_min_trained_percent=85),
        )

        assert status == RAG.AMBER

    def test_thresholds_are_configurable(self):
        status, reasons = evaluate(
            trained_percent=80, thresholds=thresholds(green_trained_percent=80)
        )

        assert status == RAG.GREEN
        assert "target 80%" in reasons[0]

    def test_thresholds_setting_refuses_amber_above_green(self):
        from django.core.exceptions import ValidationError

        with pytest.raises(ValidationError) as error:
            thresholds(amber_trained_percent=95).clean()

        assert "amber_trained_percent" in error.value.message_dict


@pytest.fixture
def org():
    """Permits (with a counter below it) and Parks; a frontline and a manager role."""
    permits = DepartmentFactory(name="Permits & Licensing")
    counter = DepartmentFactory(name="Building Permits Counter", parent=permits)
    parks = DepartmentFactory(name="Parks & Recreation")
    other = DepartmentFactory(name="Finance")
    return {
        "permits": permits,
        "counter": counter,
        "parks": parks,
        "other": other,
        "technician": JobRoleFactory(name="Permit Technician"),
        "director": JobRoleFactory(name="Department Director"),
    }


def _staff(department, job_role, count):
    return [make_staff(department=department, job_role=job_role).user for _ in range(count)]


def _build(org, *, permits_staff=4, parks_staff=2):
    course_a = make_course("Online permits basics")
    course_b = make_course("Taking payments online")
    service = make_service(
        name="Online building permits",
        phase=ServicePhase.PLANNING,
        go_live_date=timezone.localdate() + dt.timedelta(days=30),
        departments=[org["permits"], (org["parks"], timezone.localdate() + dt.timedelta(days=5))],
        affected_job_roles=[org["technician"]],
        required_courses=[course_a, course_b],
        staff_per_champion=2,
    )
    counter_staff = _staff(org["counter"], org["technician"], permits_staff)
    parks_staff_users = _staff(org["parks"], org["technician"], parks_staff)
    return service, course_a, course_b, counter_staff, parks_staff_users


class TestServiceReadiness:
    def test_affected_staff_are_active_staff_in_departments_and_roles(self, org):
        service, *_rest, counter_staff, parks = _build(org)
        make_staff(department=org["counter"], job_role=org["director"])  # other job role
        make_staff(department=org["other"], job_role=org["technician"])  # other department
        staff_mark_leaver(profile=counter_staff[0].profile)

        affected = set(affected_staff_queryset(service).values_list("user_id", flat=True))

        assert affected == {u.pk for u in counter_staff[1:] + parks}

    def test_figures_per_department_roll_up_sub_departments(self, org):
        service, course_a, course_b, counter_staff, parks = _build(org)
        for user in counter_staff[:3]:
            complete_course(user, course_a)
            complete_course(user, course_b)
        complete_course(counter_staff[3], course_a)  # half done: not trained
        complete_course(
            parks[0], course_a, expires_at=timezone.now() - dt.timedelta(days=1)
        )  # expired certificate
        Champion.objects.create(
            user=counter_staff[0],
            service=service,
            department=org["counter"],
            status=ChampionStatus.APPROVED,
        )
        Champion.objects.create(
            user=counter_staff[1],
            service=service,
            department=org["permits"],
            status=ChampionStatus.NOMINATED,
        )
        for department in (org["permits"], org["counter"], None):
            Feedback.objects.create(
                service=service, department=department, kind="concern", title="t", body="b"
            )
        Feedback.objects.create(
            service=service,
            department=org["parks"],
            kind="concern",
            status="done",
            title="t",
            body="b",
        )

        readiness = service_readiness(service_get_by_slug(service.slug), thresholds=thresholds())

        parks_row, permits = readiness.departments  # ordered by department name
        assert (parks_row.department_name, permits.department_name) == (
            "Parks & Recreation",
            "Permits & Licensing",
        )
        assert permits.affected_staff == 4
        assert permits.trained_staff == 3
        assert permits.trained_percent == 75
        assert permits.certificates_held == 7
        assert (permits.champions, permits.champions_needed) == (1, 2)
        assert permits.open_concerns == 2
        assert permits.days_to_go_live == 30
        assert permits.status == RAG.AMBER
        assert parks_row.affected_staff == 2
        assert parks_row.trained_staff == 0
        assert parks_row.certificates_held == 0
        assert parks_row.open_concerns == 0
        assert parks_row.days_to_go_live == 5
        assert parks_row.status == RAG.RED
        assert any("Go-live is in 5 days" in reason for reason in parks_row.reasons)
        assert readiness.unattributed_open_concerns == 1
        assert readiness.open_concerns == 3
        assert readiness.status == RAG.RED
        assert readiness.trained_percent == 50

    def test_services_for_department_includes_parent_departments(self, org):
        service, *_rest = _build(org)

        assert list(services_for_department(org["counter"].pk)) == [service]
        assert list(services_for_department(org["other"].pk)) == []
