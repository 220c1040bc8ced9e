"""Read-side queries of HR: the compliance report and the line manager's team page.

Everything is aggregated in SQL (``Count(filter=Q(...))`` grouped by department, job role or
person), so the number of queries does not grow with the number of people.

The compliance aggregate reads each active assignment exactly once: its enrolment is a
to-one join, and the only completion joined is the one of the assignment's own cycle expiring
within the longest window (unique per enrolment and cycle). No row is multiplied, so the
counts need no DISTINCT, and PostgreSQL aggregates in parallel with a hash aggregate instead
of sorting every assignment (see ``compliance_rows``).
"""

from __future__ import annotations

import datetime as dt

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, FilteredRelation, Q, QuerySet
from django.utils import timezone

from lms.models import Assignment, AssignmentStatus, StaffProfile

from .filters import COMPLETED_Q, STARTED_Q

EXPIRY_WINDOWS = (30, 60, 90)

GROUPS = {
    "department": ("user__profile__department_id", "user__profile__department__name"),
    "job_role": ("user__profile__job_role_id", "user__profile__job_role__name"),
    "person": ("user_id", "user__last_name", "user__first_name", "user__profile__employee_id"),
}


def compliance_base(*, scope: set[int] | None) -> QuerySet[Assignment]:
    """Active assignments an HR admin may report on (``scope`` from hr_department_scope)."""
    queryset = Assignment.objects.filter(status=AssignmentStatus.ACTIVE)
    if scope is not None:
        queryset = queryset.filter(user__profile__department_id__in=scope)
    return queryset


def _expiring_completion(now: dt.datetime) -> FilteredRelation:
    """The completion of the assignment's own cycle, joined only when it expires within the
    longest window: at most one row per assignment, so the aggregate is not multiplied."""
    return FilteredRelation(
        "enrolment__completions",
        condition=Q(
            enrolment__completions__cycle=F("cycle"),
            enrolment__completions__expires_at__gte=now,
            enrolment__completions__expires_at__lt=now + dt.timedelta(days=max(EXPIRY_WINDOWS)),
        ),
    )


def _counts(*, today: dt.date, now: dt.datetime) -> dict:
    """The report's figures as conditional counts over the ``expiring`` alias's query."""
    counts = {
        "assigned": Count("pk"),
        "completed": Count("pk", filter=COMPLETED_Q),
        "in_progress": Count("pk", filter=STARTED_Q & ~COMPLETED_Q),
        "not_started": Count("pk", filter=~STARTED_Q & ~COMPLETED_Q),
        "overdue": Count("pk", filter=Q(due_date__lt=today) & ~COMPLETED_Q),
    }
    for days in EXPIRY_WINDOWS:
        # Joined only from ``now`` on; NULL (nothing expiring) never matches.
        counts[f"expiring_{days}"] = Count(
            "pk", filter=Q(expiring__expires_at__lt=now + dt.timedelta(days=days))
        )
    return counts


def compliance_rows(*, queryset: QuerySet[Assignment], group: str) -> list[dict]:
    """One row per department / job role / person with the report's counts (one query)."""
    fields = GROUPS[group]
    today, now = timezone.localdate(), timezone.now()
    rows = list(
        queryset.alias(expiring=_expiring_completion(now))
        .values(*fields)
        .annotate(**_counts(today=today, now=now))
        .order_by(*fields[1:], fields[0])
    )
    for row in rows:
        row["id"] = row[fields[0]]
        if group == "person":
            row["name"] = f"{row['user__first_name']} {row['user__last_name']}".strip()
            row["employee_id"] = row["user__profile__employee_id"]
        else:
            row["name"] = row[fields[1]]
        row["percent"] = round(100 * row["completed"] / row["assigned"]) if row["assigned"] else 0
    return rows


def compliance_totals(rows: list[dict]) -> dict:
    keys = ["assigned", "completed", "in_progress", "not_started", "overdue"] + [
        f"expiring_{days}" for days in EXPIRY_WINDOWS
    ]
    totals = {key: sum(row[key] for row in rows) for key in keys}
    totals["percent"] = (
        round(100 * totals["completed"] / totals["assigned"]) if totals["assigned"] else 0
    )
    return totals


TEAM_PAGE_SIZE = 50


def team_members(*, manager: StaffProfile) -> list[StaffProfile]:
    """A line manager's active direct reports with assigned/overdue/completed counts (one query)."""
    return list(_team(manager, timezone.localdate()))


def team_members_page(
    *, manager: StaffProfile, page_number, per_page: int = TEAM_PAGE_SIZE
) -> Page:
    """One page of ``team_members`` (a count query and one query for the page's rows)."""
    paginator = Paginator(_team(manager, timezone.localdate()), per_page)
    return paginator.get_page(page_number)


def _team(manager: StaffProfile, today: dt.date) -> QuerySet[StaffProfile]:
    prefix = "user__assignments__"
    active = Q(**{f"{prefix}status": AssignmentStatus.ACTIVE})
    completed = Q(**{f"{prefix}enrolment__cycle__gt": F(f"{prefix}cycle")}) | Q(
        **{
            f"{prefix}enrolment__cycle": F(f"{prefix}cycle"),
            f"{prefix}enrolment__completed_at__isnull": False,
        }
    )
    return (
        StaffProfile.objects.filter(manager=manager, status="active")
        .select_related("user", "department", "job_role")
        .annotate(
            assigned=Count(f"{prefix}pk", filter=active),
            completed=Count(f"{prefix}pk", filter=active & completed),
            overdue=Count(
                f"{prefix}pk",
                filter=active & Q(**{f"{prefix}due_date__lt": today}) & ~completed,
            ),
        )
        .order_by("user__last_name", "user__first_name", "pk")
    )


def team_member_assignments(*, profile: StaffProfile) -> list[Assignment]:
    """One report's active assignments with their progress (for the manager's drill-down)."""
    return list(
        Assignment.objects.filter(user_id=profile.user_id, status=AssignmentStatus.ACTIVE)
        .select_related("course", "enrolment")
        .order_by("due_date", "pk")
    )


def assign_training_people(
    *,
    scope: set[int] | None,
    departments=(),
    include_subdepartments: bool = True,
    job_roles=(),
    people=(),
) -> QuerySet[StaffProfile]:
    """Active staff picked on the admin's "Assign training" form, within an HR admin's scope.

    As in an assignment rule, departments and job roles narrow each other ("clerks in
    Permits"); people picked one by one are added to that.
    """
    from lms.models import StaffStatus
    from lms.permissions import department_descendant_ids

    base = StaffProfile.objects.filter(status=StaffStatus.ACTIVE, user__is_active=True)
    if scope is not None:
        base = base.filter(department_id__in=scope)
    department_ids = [getattr(d, "pk", d) for d in departments]
    job_role_ids = [getattr(j, "pk", j) for j in job_roles]
    criteria = Q(pk__in=[])
    if department_ids or job_role_ids:
        criteria = Q()
        if department_ids:
            if include_subdepartments:
                department_ids = sorted(department_descendant_ids(department_ids))
            criteria &= Q(department_id__in=department_ids)
        if job_role_ids:
            criteria &= Q(job_role_id__in=job_role_ids)
    criteria |= Q(pk__in=[getattr(p, "pk", p) for p in people])
    return base.filter(criteria)
