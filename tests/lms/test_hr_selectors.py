"""The compliance report's figures on a hand-built dataset, checked against a plain-Python
reference (one assignment at a time) and against numbers worked out by hand.

The dataset has every state the report counts: not started, in progress, completed, overdue,
certificates expiring in 30/60/90 days, expired or never expiring, withdrawn assignments, a
person with no department, and recertification (an enrolment in a later cycle than its
assignment counts as completed; an enrolment with several completions must not be counted
twice).
"""

import datetime as dt

import pytest
from django.utils import timezone

from courses.models import CourseCompletion, Enrolment
from lms.hr.filters import ComplianceFilterSet
from lms.hr.selectors import (
    EXPIRY_WINDOWS,
    GROUPS,
    compliance_base,
    compliance_rows,
    compliance_totals,
)
from lms.hr.services import assignment_recertify, assignments_create
from lms.models import Assignment, AssignmentStatus
from tests.factories import DepartmentFactory, JobRoleFactory, make_staff
from tests.lms.factories import complete, make_course

pytestmark = pytest.mark.django_db

COUNTS = ["assigned", "completed", "in_progress", "not_started", "overdue"] + [
    f"expiring_{days}" for days in EXPIRY_WINDOWS
]


def _days(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def _assign(profile, course, *, due: int | None):
    assignments_create(users=[profile.user], course=course, due_date=_days(due) if due else None)
    return Assignment.objects.get(user=profile.user, course=course, cycle=1)


def _start(profile, course):
    Enrolment.objects.filter(user=profile.user, course=course).update(started_at=timezone.now())


def _complete(profile, course, *, expires_in: int | None):
    completion = complete(profile.user, course)
    expires = timezone.now() + dt.timedelta(days=expires_in) if expires_in is not None else None
    CourseCompletion.objects.filter(pk=completion.pk).update(expires_at=expires)
    return completion


def _recertify(assignment, *, due: int):
    return assignment_recertify(assignment=assignment, due_date=_days(due))


@pytest.fixture
def dataset():
    """Three groups (Permits, Parks, no department) with every state; see the module doc."""
    permits = DepartmentFactory(name="Permits")
    parks = DepartmentFactory(name="Parks")
    clerk = JobRoleFactory(name="Clerk")
    inspector = JobRoleFactory(name="Inspector")
    a, b, c = make_course("Phishing"), make_course("Data protection"), make_course("First aid")

    p1 = make_staff(department=permits, job_role=clerk)
    _assign(p1, a, due=10)  # not started
    _assign(p1, b, due=-3)  # not started, overdue

    p2 = make_staff(department=permits, job_role=clerk)
    _assign(p2, a, due=-1)
    _start(p2, a)  # in progress, overdue
    _assign(p2, b, due=-5)
    _complete(p2, b, expires_in=10)  # completed late: not overdue; expiring in 30/60/90

    p3 = make_staff(department=permits, job_role=inspector)
    for course, expires_in in ((a, 45), (b, 75), (c, -5)):  # 60/90, 90 only, expired
        _assign(p3, course, due=20)
        _complete(p3, course, expires_in=expires_in)

    p4 = make_staff(department=permits, job_role=inspector)
    first = _assign(p4, a, due=-40)
    _complete(p4, a, expires_in=20)  # cycle 1: completed, expiring in 30/60/90
    _recertify(first, due=30)
    _start(p4, a)  # cycle 2: in progress
    first = _assign(p4, b, due=-400)
    _complete(p4, b, expires_in=-30)  # cycle 1: completed, expired
    second = _recertify(first, due=-20)
    _complete(p4, b, expires_in=50)  # cycle 2: completed, expiring in 60/90
    _recertify(second, due=-2)  # cycle 3: not started, overdue; the enrolment has 2 completions

    p5 = make_staff(department=parks, job_role=clerk)
    _assign(p5, a, due=-10)
    _complete(p5, a, expires_in=None)  # completed, never expires
    withdrawn = _assign(p5, b, due=-10)
    _complete(p5, b, expires_in=10)
    Assignment.objects.filter(pk=withdrawn.pk).update(status=AssignmentStatus.WITHDRAWN)

    p6 = make_staff(department=None, job_role=clerk)
    _assign(p6, a, due=None)  # not started, no due date
    _assign(p6, b, due=-10)
    _start(p6, b)  # in progress, overdue

    return {"permits": permits, "parks": parks, "courses": (a, b, c), "people": (p1, p4, p6)}


def _reference(queryset, group: str) -> dict:
    """The report's counts worked out one assignment at a time, in Python."""
    today, now = timezone.localdate(), timezone.now()
    id_field = GROUPS[group][0]
    result: dict = {}
    rows = queryset.select_related("enrolment", "user__profile").order_by("pk")
    for assignment in rows:
        enrolment = assignment.enrolment
        profile = getattr(assignment.user, "profile", None)
        key = {
            "user__profile__department_id": profile.department_id if profile else None,
            "user__profile__job_role_id": profile.job_role_id if profile else None,
            "user_id": assignment.user_id,
        }[id_field]
        completed = enrolment.cycle > assignment.cycle or (
            enrolment.cycle == assignment.cycle and enrolment.completed_at is not None
        )
        started = enrolment.cycle == assignment.cycle and enrolment.started_at is not None
        completion = CourseCompletion.objects.filter(
            enrolment=enrolment, cycle=assignment.cycle
        ).first()
        expires = completion.expires_at if completion else None
        counts = result.setdefault(key, dict.fromkeys(COUNTS, 0))
        counts["assigned"] += 1
        counts["completed"] += completed
        counts["in_progress"] += started and not completed
        counts["not_started"] += not started and not completed
        counts["overdue"] += bool(assignment.due_date and assignment.due_date < today) and (
            not completed
        )
        for days in EXPIRY_WINDOWS:
            counts[f"expiring_{days}"] += bool(
                expires and now <= expires < now + dt.timedelta(days=days)
            )
    return result


def _figures(rows: list[dict]) -> dict:
    return {row["id"]: {key: row[key] for key in COUNTS} for row in rows}


def test_department_figures_worked_out_by_hand(dataset):
    rows = compliance_rows(queryset=compliance_base(scope=None), group="department")
    by_name = {row["name"]: row for row in rows}
    assert set(by_name) == {"Permits", "Parks", None}
    assert {key: by_name["Permits"][key] for key in [*COUNTS, "percent"]} == {
        "assigned": 12,
        "completed": 7,
        "in_progress": 2,
        "not_started": 3,
        "overdue": 3,
        "expiring_30": 2,
        "expiring_60": 4,
        "expiring_90": 5,
        "percent": 58,
    }
    parks = by_name["Parks"]
    assert (parks["assigned"], parks["completed"], parks["percent"], parks["expiring_30"]) == (
        1,
        1,
        100,
        0,
    )
    nobody = by_name[None]
    assert (nobody["assigned"], nobody["in_progress"], nobody["not_started"]) == (2, 1, 1)
    assert (nobody["overdue"], nobody["percent"]) == (1, 0)
    totals = compliance_totals(rows)
    assert (totals["assigned"], totals["completed"], totals["expiring_90"]) == (15, 8, 5)
    assert totals["percent"] == 53


@pytest.mark.parametrize("group", ["department", "job_role", "person"])
def test_every_grouping_matches_the_reference(dataset, group):
    queryset = compliance_base(scope=None)
    rows = compliance_rows(queryset=queryset, group=group)
    assert _figures(rows) == _reference(queryset, group)
    for row in rows:
        expected = round(100 * row["completed"] / row["assigned"]) if row["assigned"] else 0
        assert row["percent"] == expected


@pytest.mark.parametrize(
    "data",
    [
        {"status": "completed"},
        {"status": "in_progress"},
        {"status": "not_started"},
        {"status": "overdue"},
        {"required_only": "on", "due_before": "2999-01-01"},
        {"course": "first-course"},
        {"department": "permits"},
    ],
)
def test_filters_match_the_reference(dataset, data):
    data = dict(data)
    if data.get("course") == "first-course":
        data["course"] = str(dataset["courses"][0].pk)
    if data.get("department") == "permits":
        data["department"] = str(dataset["permits"].pk)
    filterset = ComplianceFilterSet(data, queryset=compliance_base(scope=None))
    assert filterset.is_valid(), filterset.errors
    for group in ("department", "person"):
        rows = compliance_rows(queryset=filterset.qs, group=group)
        assert _figures(rows) == _reference(filterset.qs, group)


def test_scope_limits_the_rows(dataset):
    queryset = compliance_base(scope={dataset["parks"].pk})
    rows = compliance_rows(queryset=queryset, group="department")
    assert [(row["name"], row["assigned"]) for row in rows] == [("Parks", 1)]
