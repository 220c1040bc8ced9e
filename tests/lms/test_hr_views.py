"""Compliance report, its exports, and the line manager's My team page: access and budgets."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from lms.hr.services import assignments_create
from lms.models import Assignment
from lms.roles import Role
from tests.factories import DepartmentFactory, make_staff
from tests.lms.factories import complete, make_course

pytestmark = pytest.mark.django_db
URL = "/hr/compliance/"


@pytest.fixture
def world():
    permits = DepartmentFactory(name="Permits")
    parks = DepartmentFactory(name="Parks")
    course = make_course("Phishing awareness")
    return permits, parks, course


def _people(department, course, count, *, overdue=False):
    people = [make_staff(department=department) for _ in range(count)]
    due = timezone.localdate() + dt.timedelta(days=-3 if overdue else 10)
    assignments_create(users=[p.user for p in people], course=course, due_date=due)
    return people


def test_urls_resolve():
    assert reverse("lms:compliance_report") == URL
    assert reverse("lms:my_team") == "/my-team/"


def test_report_access(client, learner, world):
    assert client.get(URL).status_code == 302
    client.force_login(learner)
    assert client.get(URL).status_code == 403


def test_report_counts_by_department_and_drilldown(client, hr_admin, world):
    permits, parks, course = world
    done = _people(permits, course, 2)
    _people(parks, course, 3, overdue=True)
    complete(done[0].user, course)
    client.force_login(hr_admin)
    response = client.get(URL)
    rows = {row["name"]: row for row in response.context["rows"]}
    assert rows["Permits"]["assigned"] == 2 and rows["Permits"]["completed"] == 1
    assert rows["Permits"]["percent"] == 50
    assert rows["Parks"]["overdue"] == 3 and rows["Parks"]["not_started"] == 3
    drill = client.get(URL, {"drill_department": permits.pk})
    assert drill.context["group"] == "job_role"
    role_id = drill.context["rows"][0]["id"]
    people = client.get(URL, {"drill_department": permits.pk, "drill_job_role": role_id})
    assert people.context["group"] == "person"
    filtered = client.get(URL, {"status": "overdue"})
    assert [r["name"] for r in filtered.context["rows"]] == ["Parks"]


def test_scoped_hr_admin_sees_only_their_departments(client, world):
    permits, parks, course = world
    _people(permits, course, 1)
    _people(parks, course, 1)
    scoped = make_staff(Role.HR_ADMIN, department=permits)
    scoped.hr_departments.add(permits)
    client.force_login(scoped.user)
    names = [row["name"] for row in client.get(URL).context["rows"]]
    assert names == ["Permits"]
    assert client.get(URL, {"drill_department": parks.pk}).status_code == 403
    assert client.get(URL, {"drill_department": 999999}).status_code == 404
    csv_text = b"".join(client.get(URL, {"export": "csv"}).streaming_content).decode()
    assert "Permits" in csv_text and "Parks" not in csv_text


def test_exports_neutralise_formulas(client, hr_admin, world):
    _permits, _parks, course = world
    evil = DepartmentFactory(name='=HYPERLINK("http://x")')
    _people(evil, course, 1)
    client.force_login(hr_admin)
    response = client.get(URL, {"export": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    xlsx = client.get(URL, {"export": "xlsx"})
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.cell(row=2, column=1).value.startswith("'=")


@pytest.mark.parametrize("size", [2, 12])
def test_report_query_budget(client, hr_admin, world, size, django_assert_max_num_queries):
    permits, parks, course = world
    _people(permits, course, size)
    _people(parks, course, size, overdue=True)
    client.force_login(hr_admin)
    with django_assert_max_num_queries(16):
        assert client.get(URL).status_code == 200


def test_my_team_shows_only_direct_reports(client, world):
    permits, _parks, course = world
    boss = make_staff(Role.LINE_MANAGER, department=permits)
    mine = make_staff(department=permits, manager=boss)
    other = make_staff(department=permits)
    assignments_create(
        users=[mine.user, other.user],
        course=course,
        due_date=timezone.localdate() - dt.timedelta(days=1),
    )
    client.force_login(boss.user)
    response = client.get("/my-team/")
    assert [(m.pk, m.assigned, m.overdue) for m in response.context["reports"]] == [(mine.pk, 1, 1)]
    assert client.get("/my-team/", {"person": mine.pk}).status_code == 200
    assert client.get("/my-team/", {"person": other.pk}).status_code == 404


def test_my_team_denials(client, learner):
    assert client.get("/my-team/").status_code == 302
    client.force_login(learner)
    assert client.get("/my-team/").status_code == 403


@pytest.mark.parametrize("size", [2, 60])
def test_my_team_query_budget(client, world, size, django_assert_max_num_queries):
    permits, _parks, course = world
    boss = make_staff(Role.LINE_MANAGER, department=permits)
    team = [make_staff(department=permits, manager=boss) for _ in range(size)]
    assignments_create(users=[p.user for p in team], course=course, due_date=None)
    client.force_login(boss.user)
    with django_assert_max_num_queries(14):
        assert client.get("/my-team/", {"person": team[0].pk}).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get("/my-team/", {"page": "2"}).status_code == 200
    assert Assignment.objects.count() == size


def test_my_team_is_paginated_by_fifty(client, world):
    permits, _parks, _course = world
    boss = make_staff(Role.LINE_MANAGER, department=permits)
    team = [make_staff(department=permits, manager=boss) for _ in range(53)]
    client.force_login(boss.user)
    first = client.get("/my-team/")
    assert len(first.context["reports"]) == 50
    assert first.context["page"].paginator.num_pages == 2
    assert b"usa-pagination" in first.content and b"page=2" in first.content
    second = client.get("/my-team/", {"page": "2"})
    assert len(second.context["reports"]) == 3
    shown = {m.pk for m in first.context["reports"]} | {m.pk for m in second.context["reports"]}
    assert shown == {p.pk for p in team}
    # Out-of-range or junk page numbers fall back to a real page, never an error.
    assert client.get("/my-team/", {"page": "99"}).context["page"].number == 2
    assert client.get("/my-team/", {"page": "x"}).context["page"].number == 1
    person = client.get("/my-team/", {"person": team[0].pk, "page": "2"})
    assert f"person={team[0].pk}&amp;page=1".encode() in person.content


def test_export_every_person_is_scoped_and_audited(client, world):
    from lms.models import AuditEvent

    permits, parks, course = world
    mine = _people(permits, course, 3)
    _people(parks, course, 2)
    scoped = make_staff(Role.HR_ADMIN, department=permits)
    scoped.hr_departments.add(permits)
    client.force_login(scoped.user)

    response = client.get(URL, {"export": "csv", "rows": "person"})

    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = [line for line in text.splitlines() if line]
    assert len(lines) == 1 + len(mine)  # header + one row per person in scope
    assert all(p.employee_id in text for p in mine)
    event = AuditEvent.objects.get(action="export.compliance")
    assert event.details["rows"] == len(mine)
    assert event.actor == scoped.user
