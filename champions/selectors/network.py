"""Read-side queries of the champion network: champions, coverage, directory, recognition."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from lms.models import Department

from ..models import (
    BadgeAward,
    Champion,
    ChampionStatus,
    Feedback,
    FeedbackStatus,
    Service,
    ServiceDepartment,
)
from .rollouts import (
    affected_staff_queryset,
    department_tree,
    descendants_by_root,
    services_for_department,
)

# Feedback that still needs something done: waiting for an answer, with the change office,
# or accepted and planned.
OPEN_FEEDBACK_STATUSES = (FeedbackStatus.NEW, FeedbackStatus.ESCALATED, FeedbackStatus.PLANNED)

DEFAULT_STAFF_PER_CHAMPION = 25


def approved_champion_counts(service_id: int) -> dict[int, int]:
    """Approved champions of a service per department id (one query)."""
    rows = (
        Champion.objects.filter(service_id=service_id, status=ChampionStatus.APPROVED)
        .values("department_id")
        .annotate(n=Count("pk"))
        .order_by("department_id")
    )
    return {row["department_id"]: row["n"] for row in rows}


def open_feedback_counts(service_id: int) -> dict[int | None, int]:
    """Open feedback items of a service per department id (None: no department; one query)."""
    rows = (
        Feedback.objects.filter(service_id=service_id, status__in=OPEN_FEEDBACK_STATUSES)
        .values("department_id")
        .annotate(n=Count("pk"))
        .order_by("department_id")
    )
    return {row["department_id"]: row["n"] for row in rows}


def champions_approved_for_user(user) -> QuerySet[Champion]:
    """The approved championships a person holds, with service and department fetched."""
    return Champion.objects.filter(user=user, status=ChampionStatus.APPROVED).select_related(
        "service", "department"
    )


def champion_get_for_user(*, user, champion_id: int) -> Champion:
    """One of the person's own approved championships; ``Champion.DoesNotExist`` otherwise."""
    return champions_approved_for_user(user).get(pk=champion_id)


def nominations_queryset() -> QuerySet[Champion]:
    """Every nomination and champion, newest first, ready for the change office's list."""
    return Champion.objects.select_related(
        "user", "user__profile", "service", "department", "nominated_by", "decided_by"
    ).order_by("-nominated_at", "-pk")


def directory_queryset() -> QuerySet[Champion]:
    """Approved champions for the staff directory, by department then name."""
    return (
        Champion.objects.filter(status=ChampionStatus.APPROVED, user__is_active=True)
        .select_related("user", "service", "department")
        .order_by("department__name", "user__last_name", "user__first_name", "service__name")
    )


@dataclass(frozen=True)
class CoverageGap:
    service: Service
    department: Department
    affected_staff: int
    champions: int
    needed: int
    staff_per_champion: int

    @property
    def missing(self) -> int:
        return max(self.needed - self.champions, 0)


def coverage_gap(*, service: Service, department: Department) -> CoverageGap | None:
    """Champion coverage of the part of a service's rollout that contains ``department``.

    The rollout unit is the nearest of the department and its parents that the service
    affects (as on the readiness page). Affected staff and approved champions anywhere in that
    unit count; the target is one champion per ``staff_per_champion`` affected staff (the
    department's override, else the service's). None when the service does not affect it.
    """
    rows = {
        row.department_id: row
        for row in ServiceDepartment.objects.filter(service=service).select_related("department")
    }
    parents = department_tree()
    node: int | None = department.pk
    seen: set[int] = set()
    while node is not None and node not in rows and node not in seen:
        seen.add(node)
        node = parents.get(node)
    if node is None or node not in rows:
        return None
    unit = rows[node]
    # Staff of a sub-department that is itself affected count for that sub-department.
    mapping = descendants_by_root(list(rows), parents)
    unit_ids = [pk for pk, root in mapping.items() if root == unit.department_id]
    affected = (
        affected_staff_queryset(service, department_ids=list(rows), parents=parents)
        .filter(department_id__in=unit_ids)
        .count()
    )
    champions = Champion.objects.filter(
        service=service, department_id__in=unit_ids, status=ChampionStatus.APPROVED
    ).count()
    ratio = unit.effective_staff_per_champion(service) or DEFAULT_STAFF_PER_CHAMPION
    needed = math.ceil(affected / ratio) if affected else 0
    return CoverageGap(service, unit.department, affected, champions, needed, ratio)


def coverage_gaps_for_department(department: Department | None) -> list[CoverageGap]:
    """The services affecting a department, each with its champion coverage."""
    if department is None:
        return []
    gaps = (
        coverage_gap(service=service, department=department)
        for service in services_for_department(department.pk)
    )
    return [gap for gap in gaps if gap is not None]


@dataclass(frozen=True)
class ChampionActivity:
    sessions_held: int
    people_helped: int
    questions_answered: int
    office_hours_held: int
    badges: list[BadgeAward]


def champion_activity(user) -> ChampionActivity:
    """What a champion has done, for recognition: sessions, people helped, answers, badges.

    Two queries whatever the numbers: every count at once, then the badges. People helped
    are the distinct mentees who attended a session plus the other people who booked one of
    the champion's drop-ins. The counts are one hand-written SELECT of five scalar subqueries
    (table names from the models): the same query built with ORM subqueries cost more Python
    than everything else on the champion hub.
    """
    from django.db import connection

    from ..models import MentoringSession, OfficeHours, OfficeHoursBooking

    tables = {
        "champion": Champion._meta.db_table,
        "session": MentoringSession._meta.db_table,
        "attendee": MentoringSession.attendees.through._meta.db_table,
        "hours": OfficeHours._meta.db_table,
        "booking": OfficeHoursBooking._meta.db_table,
        "feedback": Feedback._meta.db_table,
    }
    # Only table names (from the models) are formatted in; every value is a parameter.
    t = tables
    attendees = (
        f"SELECT a.user_id FROM {t['attendee']} a "  # noqa: S608
        f"JOIN {t['session']} s ON a.mentoringsession_id = s.id "
        f"JOIN {t['champion']} c ON s.champion_id = c.id WHERE c.user_id = %s"
    )
    sql = (
        "SELECT "  # noqa: S608
        f"(SELECT COUNT(*) FROM {t['session']} s JOIN {t['champion']} c "
        "ON s.champion_id = c.id WHERE c.user_id = %s), "
        f"(SELECT COUNT(*) FROM {t['hours']} o JOIN {t['champion']} c "
        "ON o.champion_id = c.id WHERE c.user_id = %s), "
        f"(SELECT COUNT(*) FROM {t['feedback']} f WHERE f.answered_by_id = %s), "
        f"(SELECT COUNT(DISTINCT x.user_id) FROM ({attendees}) x), "
        f"(SELECT COUNT(DISTINCT b.user_id) FROM {t['booking']} b "
        f"JOIN {t['hours']} o ON b.office_hours_id = o.id "
        f"JOIN {t['champion']} c ON o.champion_id = c.id "
        f"WHERE c.user_id = %s AND b.user_id NOT IN ({attendees}))"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk] * 6)
        sessions_held, office_hours_held, answered, attendees_count, other_bookers = (
            cursor.fetchone()
        )
    return ChampionActivity(
        sessions_held=sessions_held,
        people_helped=attendees_count + other_bookers,
        questions_answered=answered,
        office_hours_held=office_hours_held,
        badges=list(
            BadgeAward.objects.filter(user=user).select_related("badge").order_by("-awarded_at")
        ),
    )


def champion_users_for(*, service_id: int, department_id: int | None) -> QuerySet:
    """Approved champions a feedback item of this service and department is routed to.

    Champions of the department itself or of any department above it (a champion of
    "Permits & Licensing" also covers its counters).
    """
    if department_id is None:
        return Champion.objects.none()
    ancestors = _ancestor_ids(department_id)
    return Champion.objects.filter(
        service_id=service_id,
        department_id__in=ancestors,
        status=ChampionStatus.APPROVED,
        user__is_active=True,
    ).select_related("user")


def _ancestor_ids(department_id: int) -> set[int]:
    parents = dict(Department.objects.values_list("pk", "parent_id"))
    result: set[int] = set()
    node: int | None = department_id
    while node is not None and node not in result:
        result.add(node)
        node = parents.get(node)
    return result


def nomination_pending_count() -> int:
    """Nominations waiting for the change office's decision."""
    return Champion.objects.filter(status=ChampionStatus.NOMINATED).count()


def champion_is_approved(*, user, service_id: int, department_id: int) -> bool:
    return Champion.objects.filter(
        Q(user=user) & Q(service_id=service_id, department_id=department_id),
        status=ChampionStatus.APPROVED,
    ).exists()
