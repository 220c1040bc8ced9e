"""Service rollouts: training rules tied to go-live, due dates moving, history and audit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from champions.models import (
    ServiceChange,
    ServiceChangeField,
    ServicePhase,
    ServiceTrainingRule,
)
from champions.services.rollouts import (
    service_department_set_go_live,
    service_update,
)
from lms.models import Assignment, AssignmentStatus, AuditEvent, DueMode
from lms.roles import Role
from tests.champions.factories import days_from_today, make_course, make_service
from tests.factories import DepartmentFactory, JobRoleFactory, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    permits = DepartmentFactory(name="Permits & Licensing")
    parks = DepartmentFactory(name="Parks & Recreation")
    technician = JobRoleFactory(name="Permit Technician")
    permits_staff = [make_staff(department=permits, job_role=technician).user for _ in range(2)]
    parks_staff = [make_staff(department=parks, job_role=technician).user]
    course = make_course("Online permits basics")
    actor = make_staff(Role.CHANGE_OFFICE).user
    service = make_service(
        actor=actor,
        name="Online building permits",
        phase=ServicePhase.ROLLOUT,
        go_live_date=days_from_today(40),
        departments=[permits, (parks, days_from_today(60))],
        affected_job_roles=[technician],
        required_courses=[course],
        training_due_days_before=14,
    )
    return {
        "service": service,
        "permits": permits,
        "parks": parks,
        "course": course,
        "actor": actor,
        "permits_staff": permits_staff,
        "parks_staff": parks_staff,
    }


def _due_dates(service) -> dict[int, dt.date | None]:
    return dict(
        Assignment.objects.filter(
            rule__service_training__service=service, status=AssignmentStatus.ACTIVE
        ).values_list("user_id", "due_date")
    )


class TestTrainingRules:
    def test_one_rule_per_department_and_course_due_before_its_go_live(self, setup):
        links = ServiceTrainingRule.objects.filter(service=setup["service"]).select_related("rule")
        by_department = {link.department_id: link.rule for link in links}

        assert set(by_department) == {setup["permits"].pk, setup["parks"].pk}
        permits_rule = by_department[setup["permits"].pk]
        assert permits_rule.due_mode == DueMode.FIXED
        assert permits_rule.due_date == days_from_today(40 - 14)
        assert by_department[setup["parks"].pk].due_date == days_from_today(60 - 14)
        dues = _due_dates(setup["service"])
        assert dues == {
            **{user.pk: days_from_today(26) for user in setup["permits_staff"]},
            setup["parks_staff"][0].pk: days_from_today(46),
        }

    def test_no_training_is_assigned_while_planning(self):
        course = make_course("Taking payments online")
        department = DepartmentFactory()
        make_staff(department=department)
        service = make_service(
            phase=ServicePhase.PLANNING, departments=[department], required_courses=[course]
        )

        assert not ServiceTrainingRule.objects.filter(service=service).exists()

    def test_syncing_again_changes_nothing(self, setup):
        from champions.services.rollouts import service_training_sync

        assert service_training_sync(service=setup["service"]) == 0
        assert ServiceTrainingRule.objects.filter(service=setup["service"]).count() == 2

    def test_retiring_switches_the_rules_off(self, setup):
        service_update(service=setup["service"], actor=setup["actor"], phase=ServicePhase.RETIRED)

        rules = [link.rule for link in ServiceTrainingRule.objects.filter(service=setup["service"])]
        assert rules and not any(rule.is_active for rule in rules)


class TestGoLiveMoves:
    def test_service_go_live_moves_open_due_dates_and_tells_the_people(
        self, setup, django_capture_on_commit_callbacks
    ):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            service_update(
                service=setup["service"], actor=setup["actor"], go_live_date=days_from_today(50)
            )

        dues = _due_dates(setup["service"])
        for user in setup["permits_staff"]:
            assert dues[user.pk] == days_from_today(36)
        # Parks has a go-live of its own: untouched, and not e-mailed.
        assert dues[setup["parks_staff"][0].pk] == days_from_today(46)
        recipients = sorted(address for message in mail.outbox for address in message.to)
        assert recipients == sorted(user.email for user in setup["permits_staff"])

    def test_department_go_live_moves_only_that_department(
        self, setup, django_capture_on_commit_callbacks
    ):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            service_department_set_go_live(
                service=setup["service"],
                department=setup["parks"],
                go_live_date=days_from_today(70),
                actor=setup["actor"],
            )

        dues = _due_dates(setup["service"])
        assert dues[setup["parks_staff"][0].pk] == days_from_today(56)
        assert dues[setup["permits_staff"][0].pk] == days_from_today(26)
        assert [message.to for message in mail.outbox] == [[setup["parks_staff"][0].email]]

    def test_completed_training_keeps_its_due_date(self, setup, django_capture_on_commit_callbacks):
        from tests.champions.factories import complete_course

        done = setup["permits_staff"][0]
        complete_course(done, setup["course"])
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            service_update(
                service=setup["service"], actor=setup["actor"], go_live_date=days_from_today(50)
            )

        dues = _due_dates(setup["service"])
        assert dues[done.pk] == days_from_today(26)
        assert done.email not in {address for m in mail.outbox for address in m.to}

    def test_a_department_that_is_not_affected_is_refused(self, setup):
        with pytest.raises(ValidationError):
            service_department_set_go_live(
                service=setup["service"],
                department=DepartmentFactory(name="Finance"),
                go_live_date=days_from_today(10),
                actor=setup["actor"],
            )


class TestHistory:
    def test_phase_and_go_live_changes_are_kept_and_audited(self, setup):
        service = setup["service"]
        old_go_live = service.go_live_date
        service_update(
            service=service,
            actor=setup["actor"],
            phase=ServicePhase.LIVE,
            go_live_date=days_from_today(45),
        )
        service_department_set_go_live(
            service=service,
            department=setup["parks"],
            go_live_date=days_from_today(65),
            actor=setup["actor"],
        )

        rows = list(
            ServiceChange.objects.filter(service=service)
            .order_by("pk")
            .values_list("field", "department_id", "old_value", "new_value", "changed_by_id")
        )
        assert rows == [
            (ServiceChangeField.PHASE, None, "rollout", "live", setup["actor"].pk),
            (
                ServiceChangeField.GO_LIVE_DATE,
                None,
                old_go_live.isoformat(),
                days_from_today(45).isoformat(),
                setup["actor"].pk,
            ),
            (
                ServiceChangeField.GO_LIVE_DATE,
                setup["parks"].pk,
                days_from_today(60).isoformat(),
                days_from_today(65).isoformat(),
                setup["actor"].pk,
            ),
        ]
        actions = list(
            AuditEvent.objects.filter(action__startswith="service.")
            .order_by("pk")
            .values_list("action", flat=True)
        )
        assert actions.count("service.go_live_changed") == 2
        assert "service.phase_changed" in actions

    def test_saving_without_changes_adds_no_history(self, setup):
        service_update(service=setup["service"], actor=setup["actor"], description="New text")

        assert not ServiceChange.objects.filter(service=setup["service"]).exists()


class TestAdminForm:
    """Edits in the Wagtail admin go through the service functions (history, rules)."""

    def test_admin_edit_records_history_and_moves_due_dates(
        self, setup, client, site_admin, django_capture_on_commit_callbacks
    ):
        from django.urls import reverse

        service = setup["service"]
        client.force_login(site_admin)
        url = reverse("champions_services:edit", args=[service.pk])
        response = client.get(url)
        assert response.status_code == 200
        rows = list(service.department_rollouts.order_by("pk"))
        data = {
            "name": service.name,
            "slug": service.slug,
            "description": "",
            "owning_department": "",
            "phase": ServicePhase.ROLLOUT,
            "go_live_date": days_from_today(47).isoformat(),
            "affected_job_roles": [role.pk for role in service.affected_job_roles.all()],
            "required_courses": [setup["course"].pk],
            "training_due_days_before": "14",
            "staff_per_champion": "25",
            "department_rollouts-TOTAL_FORMS": str(len(rows)),
            "department_rollouts-INITIAL_FORMS": str(len(rows)),
            "department_rollouts-MIN_NUM_FORMS": "0",
            "department_rollouts-MAX_NUM_FORMS": "1000",
        }
        for index, row in enumerate(rows):
            prefix = f"department_rollouts-{index}"
            data.update(
                {
                    f"{prefix}-id": str(row.pk),
                    f"{prefix}-ORDER": str(index + 1),
                    f"{prefix}-DELETE": "",
                    f"{prefix}-department": str(row.department_id),
                    f"{prefix}-go_live_date": row.go_live_date.isoformat()
                    if row.go_live_date
                    else "",
                    f"{prefix}-staff_per_champion": "",
                }
            )
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, data)

        assert response.status_code == 302, response.context["form"].errors
        change = ServiceChange.objects.get(service=service)
        assert (change.field, change.new_value, change.changed_by) == (
            ServiceChangeField.GO_LIVE_DATE,
            days_from_today(47).isoformat(),
            site_admin,
        )
        assert _due_dates(service)[setup["permits_staff"][0].pk] == days_from_today(33)

    def test_admin_refuses_the_same_department_twice(self, setup, client, site_admin):
        from django.urls import reverse

        client.force_login(site_admin)
        permits = setup["permits"]
        data = {
            "name": "311 app",
            "slug": "311-app",
            "phase": ServicePhase.PLANNING,
            "training_due_days_before": "14",
            "staff_per_champion": "25",
            "department_rollouts-TOTAL_FORMS": "2",
            "department_rollouts-INITIAL_FORMS": "0",
            "department_rollouts-MIN_NUM_FORMS": "0",
            "department_rollouts-MAX_NUM_FORMS": "1000",
        }
        for index in range(2):
            data.update(
                {
                    f"department_rollouts-{index}-department": str(permits.pk),
                    f"department_rollouts-{index}-ORDER": str(index + 1),
                }
            )
        response = client.post(reverse("champions_services:add"), data)

        assert response.status_code == 200
        assert not type(setup["service"]).objects.filter(slug="311-app").exists()
        assert "listed twice" in response.content.decode()
