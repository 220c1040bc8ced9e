"""Readiness of each affected department for a service's go-live, computed in SQL.

A department's readiness is: the share of its affected staff who completed every required
course, certificates held, approved champions against the target, open concerns and days to
go-live, with a red / amber / green status from ``ReadinessThresholds`` and the reasons in
words. Everything is aggregated grouped by department, so a service costs the same handful of
queries whatever the number of departments and staff.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from courses.models import CourseCompletion, Enrolment
from lms.models import Assignment, AssignmentStatus, CurriculumCourse

from ..models import (
    RAG,
    ReadinessReport,
    ReadinessSnapshot,
    ReadinessThresholds,
    Service,
)
from .network import approved_champion_counts, open_feedback_counts
from .rollouts import affected_staff_queryset, department_tree, descendants_by_root

RAG_ORDER = {RAG.GREEN: 0, RAG.AMBER: 1, RAG.RED: 2}


@dataclass
class DepartmentReadiness:
    """One affected department's figures and status."""

    department_id: int
    department_name: str
    go_live: dt.date | None
    days_to_go_live: int | None
    affected_staff: int
    assigned_staff: int
    trained_staff: int
    certificates_held: int
    champions: int
    champions_needed: int
    staff_per_champion: int
    open_concerns: int
    status: str = RAG.GREEN
    reasons: list[str] = field(default_factory=list)

    @property
    def trained_percent(self) -> int | None:
        if not self.affected_staff:
            return None
        return math.floor(100 * self.trained_staff / self.affected_staff)

    @property
    def coverage_met(self) -> bool:
        return self.champions >= self.champions_needed

    @property
    def status_label(self) -> str:
        return str(RAG(self.status).label)


@dataclass
class ServiceReadiness:
    """A service's readiness: one row per affected department and the worst status overall."""

    service: Service
    today: dt.date
    required_course_count: int
    departments: list[DepartmentReadiness]
    unattributed_open_concerns: int
    thresholds: ReadinessThresholds

    @property
    def status(self) -> str:
        if not self.departments:
            return RAG.AMBER
        return max((d.status for d in self.departments), key=lambda s: RAG_ORDER[RAG(s)])

    @property
    def status_label(self) -> str:
        return str(RAG(self.status).label)

    @property
    def affected_staff(self) -> int:
        return sum(d.affected_staff for d in self.departments)

    @property
    def trained_staff(self) -> int:
        return sum(d.trained_staff for d in self.departments)

    @property
    def trained_percent(self) -> int | None:
        total = self.affected_staff
        return math.floor(100 * self.trained_staff / total) if total else None

    @property
    def champions(self) -> int:
        return sum(d.champions for d in self.departments)

    @property
    def champions_needed(self) -> int:
        return sum(d.champions_needed for d in self.departments)

    @property
    def open_concerns(self) -> int:
        return sum(d.open_concerns for d in self.departments) + self.unattributed_open_concerns

    @property
    def days_to_go_live(self) -> int | None:
        if self.service.go_live_date is None:
            return None
        return (self.service.go_live_date - self.today).days


def readiness_evaluate(
    *,
    trained_percent: int | None,
    required_course_count: int,
    affected_staff: int,
    champions: int,
    champions_needed: int,
    staff_per_champion: int,
    open_concerns: int,
    days_to_go_live: int | None,
    thresholds: ReadinessThresholds,
) -> tuple[str, list[str]]:
    """The red / amber / green status of one department, with every reason in words.

    Green: trained ≥ the green share, champion coverage met and open concerns ≤ the green
    limit. Red: trained below the amber share, more open concerns than the amber limit, or
    go-live within ``imminent_days`` while trained is below ``imminent_min_trained_percent``.
    Anything else is amber.
    """
    red: list[str] = []
    amber: list[str] = []
    green_pct = thresholds.green_trained_percent
    if required_course_count == 0:
        amber.append(
            _("No required training is set for this service, so readiness cannot be measured.")
        )
    elif affected_staff == 0:
        amber.append(
            _(
                "No affected staff were found in this department: check its job roles and departments."
            )
        )
    elif trained_percent is not None and trained_percent < green_pct:
        message = _(
            "Only %(percent)s%% of affected staff have completed the required training "
            "(target %(target)s%%)."
        ) % {"percent": trained_percent, "target": green_pct}
        if trained_percent < thresholds.amber_trained_percent:
            red.append(message)
        else:
            amber.append(message)
        if (
            days_to_go_live is not None
            and 0 <= days_to_go_live <= thresholds.imminent_days
            and trained_percent < thresholds.imminent_min_trained_percent
        ):
            red.append(
                ngettext(
                    "Go-live is in %(days)s day and only %(percent)s%% are trained "
                    "(at least %(minimum)s%% are needed this close to go-live).",
                    "Go-live is in %(days)s days and only %(percent)s%% are trained "
                    "(at least %(minimum)s%% are needed this close to go-live).",
                    days_to_go_live,
                )
                % {
                    "days": days_to_go_live,
                    "percent": trained_percent,
                    "minimum": thresholds.imminent_min_trained_percent,
                }
            )
    if champions < champions_needed:
        amber.append(
            _(
                "Champion coverage is not met: %(champions)s of %(needed)s champions needed "
                "(one for every %(ratio)s affected staff)."
            )
            % {"champions": champions, "needed": champions_needed, "ratio": staff_per_champion}
        )
    if open_concerns > thresholds.amber_max_open_concerns:
        red.append(
            ngettext(
                "%(count)s open concern (at most %(limit)s for amber).",
                "%(count)s open concerns (at most %(limit)s for amber).",
                open_concerns,
            )
            % {"count": open_concerns, "limit": thresholds.amber_max_open_concerns}
        )
    elif open_concerns > thresholds.green_max_open_concerns:
        amber.append(
            ngettext(
                "%(count)s open concern (at most %(limit)s for green).",
                "%(count)s open concerns (at most %(limit)s for green).",
                open_concerns,
            )
            % {"count": open_concerns, "limit": thresholds.green_max_open_concerns}
        )
    if red:
        return RAG.RED, red + amber
    if amber:
        return RAG.AMBER, amber
    return RAG.GREEN, [
        _(
            "Ready: %(percent)s%% trained (target %(target)s%%), champion coverage met and "
            "%(count)s open concerns."
        )
        % {"percent": trained_percent, "target": green_pct, "count": open_concerns}
    ]


def required_course_ids(service: Service) -> list[int]:
    """Courses the service requires: listed ones and those of its required curricula.

    Reuses prefetched ``required_courses`` / ``required_curricula``; one query for the
    curricula's courses.
    """
    ids = {course.pk for course in service.required_courses.all()}
    curriculum_ids = [curriculum.pk for curriculum in service.required_curricula.all()]
    if curriculum_ids:
        ids.update(
            CurriculumCourse.objects.filter(curriculum_id__in=curriculum_ids).values_list(
                "course_id", flat=True
            )
        )
    return sorted(ids)


def _roll_up(counts: dict, mapping: dict[int, int]) -> tuple[dict[int, int], int]:
    """Add per-department counts into their affected department; the rest is unattributed."""
    result: dict[int, int] = {}
    rest = 0
    for department_id, count in counts.items():
        root = mapping.get(department_id) if department_id is not None else None
        if root is None:
            rest += count
        else:
            result[root] = result.get(root, 0) + count
    return result, rest


def service_readiness(
    service: Service, *, today: dt.date | None = None, thresholds=None
) -> ServiceReadiness:
    """Compute a service's readiness now (``service`` as from ``service_get_by_slug``)."""
    today = today or timezone.localdate()
    thresholds = thresholds or ReadinessThresholds.load()
    rollouts = list(service.department_rollouts.all())
    root_ids = [row.department_id for row in rollouts]
    job_role_ids = [role.pk for role in service.affected_job_roles.all()]
    course_ids = required_course_ids(service)
    parents = department_tree()
    mapping = descendants_by_root(root_ids, parents)

    staff = affected_staff_queryset(
        service, department_ids=root_ids, job_role_ids=job_role_ids, parents=parents
    )
    totals: dict[int, dict[str, int]] = {}
    certificates: dict[int, int] = {}
    if root_ids:
        aggregates = {"total": Count("pk")}
        if course_ids:
            done = (
                Enrolment.objects.filter(
                    user_id=OuterRef("user_id"),
                    course_id__in=course_ids,
                    completed_at__isnull=False,
                )
                .order_by()
                .values("user_id")
                .annotate(n=Count("pk"))
                .values("n")
            )
            assigned = Assignment.objects.filter(
                user_id=OuterRef("user_id"),
                course_id__in=course_ids,
                status=AssignmentStatus.ACTIVE,
            )
            staff = staff.annotate(
                done=Coalesce(Subquery(done, output_field=IntegerField()), 0),
                is_assigned=Exists(assigned),
            )
            aggregates["trained"] = Count("pk", filter=Q(done__gte=len(course_ids)))
            aggregates["assigned"] = Count("pk", filter=Q(is_assigned=True))
        rows = staff.order_by().values("department_id").annotate(**aggregates)
        for row in rows:
            bucket = totals.setdefault(
                mapping[row["department_id"]], {"total": 0, "trained": 0, "assigned": 0}
            )
            for key in ("total", "trained", "assigned"):
                bucket[key] += row.get(key, 0)
        if course_ids:
            now = timezone.now()
            cert_rows = (
                CourseCompletion.objects.filter(
                    course_id__in=course_ids,
                    user__profile__in=staff.order_by().values("pk"),
                )
                .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
                .order_by()
                .values(department_id=F("user__profile__department_id"))
                .annotate(n=Count("enrolment_id", distinct=True))
            )
            certificates, _rest = _roll_up(
                {row["department_id"]: row["n"] for row in cert_rows}, mapping
            )

    champions, _rest = _roll_up(approved_champion_counts(service.pk), mapping)
    concerns, unattributed = _roll_up(open_feedback_counts(service.pk), mapping)

    departments = []
    for row in rollouts:
        figures = totals.get(row.department_id, {"total": 0, "trained": 0, "assigned": 0})
        go_live = row.effective_go_live(service)
        ratio = row.effective_staff_per_champion(service)
        item = DepartmentReadiness(
            department_id=row.department_id,
            department_name=row.department.name,
            go_live=go_live,
            days_to_go_live=(go_live - today).days if go_live else None,
            affected_staff=figures["total"],
            assigned_staff=figures["assigned"],
            trained_staff=figures["trained"],
            certificates_held=certificates.get(row.department_id, 0),
            champions=champions.get(row.department_id, 0),
            champions_needed=math.ceil(figures["total"] / ratio) if figures["total"] else 0,
            staff_per_champion=ratio,
            open_concerns=concerns.get(row.department_id, 0),
        )
        item.status, item.reasons = readiness_evaluate(
            trained_percent=item.trained_percent,
            required_course_count=len(course_ids),
            affected_staff=item.affected_staff,
            champions=item.champions,
            champions_needed=item.champions_needed,
            staff_per_champion=ratio,
            open_concerns=item.open_concerns,
            days_to_go_live=item.days_to_go_live,
            thresholds=thresholds,
        )
        departments.append(item)
    return ServiceReadiness(
        service=service,
        today=today,
        required_course_count=len(course_ids),
        departments=departments,
        unattributed_open_concerns=unattributed,
        thresholds=thresholds,
    )


@dataclass(frozen=True)
class HistoryPoint:
    date: dt.date
    percents: list[int | None]  # one per department, in ``HistorySeries.department_names`` order
    overall: int | None


@dataclass(frozen=True)
class ReadinessHistory:
    department_names: list[str]
    points: list[HistoryPoint]


def readiness_history(service: Service, *, days: int = 60, today=None) -> ReadinessHistory:
    """Trained share per affected department and overall, per snapshot date (one query)."""
    today = today or timezone.localdate()
    rollouts = list(service.department_rollouts.all())
    order = {row.department_id: index for index, row in enumerate(rollouts)}
    names = [row.department.name for row in rollouts]
    rows = (
        ReadinessSnapshot.objects.filter(
            service=service, date__gt=today - dt.timedelta(days=days), date__lte=today
        )
        .order_by("date", "department_id")
        .values_list("date", "department_id", "affected_staff", "trained_staff")
    )
    by_date: dict[dt.date, dict[int, tuple[int, int]]] = {}
    for date, department_id, affected, trained in rows:
        if department_id in order:
            by_date.setdefault(date, {})[department_id] = (affected, trained)
    points = []
    for date, values in by_date.items():
        percents: list[int | None] = [None] * len(names)
        for department_id, (affected, trained) in values.items():
            if affected:
                percents[order[department_id]] = math.floor(100 * trained / affected)
        affected_total = sum(a for a, _t in values.values())
        trained_total = sum(t for _a, t in values.values())
        overall = math.floor(100 * trained_total / affected_total) if affected_total else None
        points.append(HistoryPoint(date, percents, overall))
    return ReadinessHistory(names, points)


@dataclass(frozen=True)
class ServiceSummary:
    service: Service
    status: str | None
    trained_percent: int | None
    as_of: dt.date | None

    @property
    def status_label(self) -> str:
        return str(RAG(self.status).label) if self.status else ""


def service_summaries(services: list[Service]) -> list[ServiceSummary]:
    """The latest snapshot of each service (one query), for the services list."""
    latest = Subquery(
        ReadinessSnapshot.objects.filter(service_id=OuterRef("service_id"))
        .order_by("-date")
        .values("date")[:1]
    )
    rows = (
        ReadinessSnapshot.objects.filter(service__in=[s.pk for s in services])
        .annotate(latest=latest)
        .filter(date=F("latest"))
        .values_list("service_id", "date", "status", "affected_staff", "trained_staff")
    )
    data: dict[int, dict] = {}
    for service_id, date, status, affected, trained in rows:
        entry = data.setdefault(
            service_id, {"date": date, "status": RAG.GREEN, "affected": 0, "trained": 0}
        )
        if RAG_ORDER[RAG(status)] > RAG_ORDER[RAG(entry["status"])]:
            entry["status"] = status
        entry["affected"] += affected
        entry["trained"] += trained
    result = []
    for service in services:
        entry = data.get(service.pk)
        if entry is None:
            result.append(ServiceSummary(service, None, None, None))
            continue
        percent = (
            math.floor(100 * entry["trained"] / entry["affected"]) if entry["affected"] else None
        )
        result.append(ServiceSummary(service, entry["status"], percent, entry["date"]))
    return result


def latest_report(service: Service) -> ReadinessReport | None:
    """The most recent go / no-go report requested for the service."""
    return ReadinessReport.objects.filter(service=service).order_by("-requested_at", "-pk").first()


def report_for_service(*, service: Service, report_id: int) -> ReadinessReport:
    """A report of this service; ``ReadinessReport.DoesNotExist`` for any other id."""
    return ReadinessReport.objects.get(service=service, pk=report_id)


def snapshot_services() -> QuerySet[Service]:
    """Services whose readiness is snapshotted daily: every one not retired."""
    from ..models import ServicePhase
    from .rollouts import services_queryset

    return (
        services_queryset()
        .exclude(phase=ServicePhase.RETIRED)
        .prefetch_related("affected_job_roles", "required_courses", "required_curricula")
    )
