"""Readiness pages, daily snapshots, the chart and the go / no-go PDF."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from champions.models import (
    RAG,
    Champion,
    ChampionStatus,
    ReadinessReport,
    ReadinessReportStatus,
    ReadinessSnapshot,
    ServicePhase,
)
from champions.services.readiness import readiness_report_request, readiness_snapshot_take
from champions.tasks import readiness_report_generate, readiness_snapshot_daily
from lms.roles import Role
from tests.champions.factories import complete_course, days_from_today, make_course, make_service
from tests.factories import DepartmentFactory, JobRoleFactory, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def change_office(db):
    return make_staff(Role.CHANGE_OFFICE, user__username="change1").user


@pytest.fixture
def office_client(client, change_office):
    client.force_login(change_office)
    return client


def build_service(*, departments: int = 2, staff_per_department: int = 3, name: str = "Permits"):
    """A service in rollout with ``departments`` affected departments, some staff trained."""
    technician = JobRoleFactory(name="Permit Technician")
    course = make_course(f"{name} basics")
    rows = [DepartmentFactory(name=f"{name} department {index}") for index in range(departments)]
    service = make_service(
        name=f"{name} service",
        phase=ServicePhase.ROLLOUT,
        go_live_date=days_from_today(30),
        departments=rows,
        affected_job_roles=[technician],
        required_courses=[course],
        staff_per_champion=2,
    )
    for department in rows:
        users = [
            make_staff(department=department, job_role=technician).user
            for _ in range(staff_per_department)
        ]
        complete_course(users[0], course)
        Champion.objects.create(
            user=users[-1], service=service, department=department, status=ChampionStatus.APPROVED
        )
    return service


class TestPermissions:
    def test_anonymous_is_sent_to_sign_in(self, client):
        service = build_service(departments=1, staff_per_department=2)

        for url in (
            reverse("champions:services"),
            reverse("champions:service_readiness", args=[service.slug]),
        ):
            response = client.get(url)
            assert response.status_code == 302
            assert "login" in response["Location"] or "sign-in" in response["Location"]

    def test_learner_gets_403(self, learner_client):
        service = build_service(departments=1, staff_per_department=2)

        assert learner_client.get(reverse("champions:services")).status_code == 403
        url = reverse("champions:service_readiness", args=[service.slug])
        assert learner_client.get(url).status_code == 403
        report_url = reverse("champions:readiness_report_request", args=[service.slug])
        assert learner_client.post(report_url).status_code == 403
        assert not ReadinessReport.objects.exists()

    def test_hr_admin_may_see_the_list(self, client, hr_admin):
        client.force_login(hr_admin)

        assert client.get(reverse("champions:services")).status_code == 200

    def test_unknown_service_is_404(self, office_client):
        url = reverse("champions:service_readiness", args=["no-such-service"])

        assert office_client.get(url).status_code == 404

    def test_a_report_of_another_service_is_404(self, office_client, change_office):
        one = build_service(departments=1, staff_per_department=2, name="One")
        other = build_service(departments=1, staff_per_department=2, name="Other")
        report = readiness_report_request(service=other, actor=change_office)
        readiness_report_generate.apply(kwargs={"report_id": report.pk})

        url = reverse("champions:readiness_report_download", args=[one.slug, report.pk])
        assert office_client.get(url).status_code == 404


class TestPages:
    def test_services_list_shows_latest_status(self, office_client):
        service = build_service()
        readiness_snapshot_take(service=service)

        response = office_client.get(reverse("champions:services"))

        content = response.content.decode()
        assert service.name in content
        assert "cs-rag-red" in content  # 1 of 3 trained per department

    def test_services_list_filters_by_phase(self, office_client):
        service = build_service(departments=1, staff_per_department=2)

        response = office_client.get(reverse("champions:services"), {"phase": "live"})

        assert service.name not in response.content.decode()

    def test_readiness_page_shows_figures_reasons_chart_and_table(self, office_client):
        service = build_service()
        for days_ago in (2, 1, 0):
            readiness_snapshot_take(service=service, date=days_from_today(-days_ago))

        response = office_client.get(reverse("champions:service_readiness", args=[service.slug]))

        assert response.status_code == 200
        content = response.content.decode()
        assert "Only 33% of affected staff have completed the required training" in content
        assert 'role="img"' in content and "<title" in content and "<desc" in content
        assert content.count("33%") >= 3  # reasons, figures table and history table
        assert content.count("<h1") == 1

    @pytest.mark.parametrize("departments", [2, 6])
    def test_readiness_page_query_budget(
        self, office_client, django_assert_max_num_queries, departments
    ):
        service = build_service(departments=departments, staff_per_department=departments)
        readiness_snapshot_take(service=service)
        url = reverse("champions:service_readiness", args=[service.slug])

        with django_assert_max_num_queries(23):
            response = office_client.get(url)
        assert response.status_code == 200

    @pytest.mark.parametrize("services", [1, 5])
    def test_services_list_query_budget(
        self, office_client, django_assert_max_num_queries, services
    ):
        for index in range(services):
            service = build_service(departments=2, staff_per_department=2, name=f"S{index}")
            readiness_snapshot_take(service=service)

        with django_assert_max_num_queries(14):
            response = office_client.get(reverse("champions:services"))
        assert response.status_code == 200


class TestSnapshots:
    def test_daily_snapshot_is_idempotent(self):
        service = build_service()

        readiness_snapshot_daily.apply()
        readiness_snapshot_daily.apply()

        rows = ReadinessSnapshot.objects.filter(service=service)
        assert rows.count() == 2
        row = rows.order_by("department__name").first()
        assert (row.affected_staff, row.trained_staff, row.champions, row.champions_needed) == (
            3,
            1,
            1,
            2,
        )
        assert row.status == RAG.RED
        assert row.reasons

    def test_a_second_run_updates_the_day(self):
        service = build_service(departments=1)
        readiness_snapshot_take(service=service)
        staff = service.department_rollouts.get().department.staff.filter(
            user__enrolments__isnull=True
        )
        course = service.required_courses.get()
        for profile in staff:
            complete_course(profile.user, course)

        readiness_snapshot_take(service=service)

        row = ReadinessSnapshot.objects.get(service=service)
        assert row.trained_staff == 3

    def test_retired_services_are_not_snapshotted(self):
        service = build_service(departments=1)
        service.phase = ServicePhase.RETIRED
        service.save(update_fields=["phase"])

        readiness_snapshot_daily.apply()

        assert not ReadinessSnapshot.objects.filter(service=service).exists()


class TestReport:
    def test_request_then_download_the_pdf(self, office_client, django_capture_on_commit_callbacks):
        service = build_service()
        url = reverse("champions:readiness_report_request", args=[service.slug])

        with django_capture_on_commit_callbacks(execute=True):
            response = office_client.post(url)

        assert response.status_code == 302
        report = ReadinessReport.objects.get(service=service)
        assert report.status == ReadinessReportStatus.READY
        page = office_client.get(reverse("champions:service_readiness", args=[service.slug]))
        download = reverse("champions:readiness_report_download", args=[service.slug, report.pk])
        assert download in page.content.decode()
        response = office_client.get(download)
        assert response["Content-Type"] == "application/pdf"
        pdf = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
        text = "\n".join(page.extract_text() for page in pdf.pages)
        assert service.name in text
        assert "Permits department 0" in text
        assert "Red" in text
        assert "Only 33% of affected staff" in text

    def test_pending_report_shows_being_prepared_and_is_reused(self, office_client, change_office):
        service = build_service(departments=1)
        first = readiness_report_request(service=service, actor=change_office)
        second = readiness_report_request(service=service, actor=change_office)

        assert first.pk == second.pk
        page = office_client.get(reverse("champions:service_readiness", args=[service.slug]))
        assert "is being prepared" in page.content.decode()

    def test_generating_twice_keeps_the_first_file(self, change_office):
        service = build_service(departments=1)
        report = readiness_report_request(service=service, actor=change_office)

        readiness_report_generate.apply(kwargs={"report_id": report.pk})
        report.refresh_from_db()
        name = report.file.name
        readiness_report_generate.apply(kwargs={"report_id": report.pk})
        report.refresh_from_db()

        assert report.status == ReadinessReportStatus.READY
        assert report.file.name == name

    def test_a_pending_report_cannot_be_downloaded(self, office_client, change_office):
        service = build_service(departments=1)
        report = readiness_report_request(service=service, actor=change_office)

        url = reverse("champions:readiness_report_download", args=[service.slug, report.pk])
        assert office_client.get(url).status_code == 404


def test_history_chart_lists_each_day_in_order():
    from champions.selectors.readiness import readiness_history
    from champions.selectors.rollouts import service_get_by_slug

    service = build_service(departments=1)
    for days_ago in (3, 1):
        readiness_snapshot_take(service=service, date=days_from_today(-days_ago))

    history = readiness_history(service_get_by_slug(service.slug))

    assert [point.date for point in history.points] == [
        days_from_today(-3),
        days_from_today(-1),
    ]
    assert history.points[0].overall == 33
    assert isinstance(history.points[0].date, dt.date)
