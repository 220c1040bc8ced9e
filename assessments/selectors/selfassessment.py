"""Read-side queries of the self-assessment: steps, a person's profile and gaps, recommended
courses, and the aggregated heat map (with a privacy threshold) for HR and the change office."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import django_filters
from django.db.models import Avg, Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from courses.models import (
    CompetenceArea,
    CompetencyFramework,
    CourseCompletion,
    CoursePage,
    JobRoleTarget,
    ProficiencyLevel,
)
from lms.models import Department, JobRole, StaffProfile, StaffStatus
from lms.permissions import has_role, hr_department_scope
from lms.roles import Role

from ..models import (
    SelfAssessment,
    SelfAssessmentAnswer,
    SelfAssessmentAreaScore,
    SelfAssessmentScore,
    SelfAssessmentStatement,
)

# Cells of the heat map built from fewer people than this are not shown (privacy).
MIN_PEOPLE_PER_CELL = 5
# With no target profile for the person's job role, recommend for competences below this.
GENERIC_TARGET_LEVEL = 3
RECOMMENDATION_LIMIT = 5


# --- Taking the check --------------------------------------------------------------------------


@dataclass
class Step:
    number: int
    area: CompetenceArea
    statements: list[SelfAssessmentStatement]


def selfassessment_steps(framework: CompetencyFramework) -> list[Step]:
    """One step per competence area that has active statements, in framework order."""
    statements = SelfAssessmentStatement.objects.filter(
        is_active=True, competence__framework=framework
    ).select_related("competence__area")
    by_area: dict[int, Step] = {}
    for statement in statements:
        area = statement.competence.area
        if area.pk not in by_area:
            by_area[area.pk] = Step(0, area, [])
        by_area[area.pk].statements.append(statement)
    steps = sorted(by_area.values(), key=lambda s: (s.area.sort_order, s.area.code))
    for number, step in enumerate(steps, start=1):
        step.number = number
    return steps


def selfassessment_levels(framework: CompetencyFramework) -> list[ProficiencyLevel]:
    return list(framework.levels.order_by("number"))


def selfassessment_open(user) -> SelfAssessment | None:
    """The person's draft sitting, if any."""
    return (
        SelfAssessment.objects.select_related("framework")
        .filter(user=user, submitted_at__isnull=True)
        .first()
    )


def selfassessment_answers(assessment: SelfAssessment) -> dict[int, int]:
    return dict(
        SelfAssessmentAnswer.objects.filter(assessment=assessment).values_list(
            "statement_id", "level"
        )
    )


def selfassessment_history(user) -> list[SelfAssessment]:
    """The person's submitted sittings, newest first."""
    return list(
        SelfAssessment.objects.filter(user=user, submitted_at__isnull=False).order_by(
            "-submitted_at", "-pk"
        )
    )


def selfassessment_latest(user) -> SelfAssessment | None:
    return SelfAssessment.objects.filter(user=user, is_latest=True).first()


# --- A person's profile ------------------------------------------------------------------------


@dataclass
class CompetenceRow:
    competence: object
    level: Decimal
    previous: Decimal | None
    target: int | None

    @property
    def change(self) -> Decimal | None:
        return None if self.previous is None else self.level - self.previous

    @property
    def gap(self) -> Decimal:
        if self.target is None or self.level >= self.target:
            return Decimal(0)
        return Decimal(self.target) - self.level


@dataclass
class AreaRow:
    area: CompetenceArea
    level: Decimal
    previous: Decimal | None
    competences: list[CompetenceRow] = field(default_factory=list)

    @property
    def change(self) -> Decimal | None:
        return None if self.previous is None else self.level - self.previous


@dataclass
class Profile:
    assessment: SelfAssessment
    previous: SelfAssessment | None
    job_role: JobRole | None
    has_targets: bool
    areas: list[AreaRow]
    recommendations: list[CoursePage]

    @property
    def gaps(self) -> list[CompetenceRow]:
        return [row for area in self.areas for row in area.competences if row.gap > 0]


def _job_role_of(user) -> JobRole | None:
    profile = StaffProfile.objects.select_related("job_role").filter(user_id=user.pk).first()
    return profile.job_role if profile is not None else None


def _targets(job_role: JobRole | None) -> dict[int, int]:
    if job_role is None:
        return {}
    return dict(
        JobRoleTarget.objects.filter(job_role=job_role).values_list("competence_id", "level")
    )


def _gap_competence_ids(levels: dict[int, Decimal], targets: dict[int, int]) -> list[int]:
    if targets:
        return [pk for pk, target in targets.items() if levels.get(pk, Decimal(0)) < target]
    return [pk for pk, level in levels.items() if level < GENERIC_TARGET_LEVEL]


def courses_for_gaps(*, user, competence_ids: list[int], limit: int = RECOMMENDATION_LIMIT):
    """Live courses that develop the most of these competences, not yet completed (1 query)."""
    if not competence_ids:
        return []
    completed = CourseCompletion.objects.filter(user=user).values("course_id")
    return list(
        CoursePage.objects.live()
        .filter(
            pk__in=CoursePage.objects.filter(
                course_competences__competence_id__in=competence_ids
            ).values("pk")
        )
        .exclude(pk__in=completed)
        .annotate(
            gap_matches=Count(
                "course_competences",
                filter=Q(course_competences__competence_id__in=competence_ids),
                distinct=True,
            )
        )
        .order_by("-gap_matches", "title", "pk")[:limit]
    )


def selfassessment_profile(*, assessment: SelfAssessment) -> Profile:
    """A submitted sitting's profile per area and competence, with the change since the
    previous sitting, the gap against the job role's targets and courses for the gaps."""
    previous = (
        SelfAssessment.objects.filter(
            user_id=assessment.user_id,
            submitted_at__isnull=False,
            submitted_at__lt=assessment.submitted_at,
        )
        .order_by("-submitted_at", "-pk")
        .first()
    )
    scores = list(
        SelfAssessmentScore.objects.filter(assessment=assessment).select_related("competence__area")
    )
    area_levels = dict(
        SelfAssessmentAreaScore.objects.filter(assessment=assessment).values_list(
            "area_id", "level"
        )
    )
    previous_levels: dict[int, Decimal] = {}
    previous_areas: dict[int, Decimal] = {}
    if previous is not None:
        previous_levels = dict(
            SelfAssessmentScore.objects.filter(assessment=previous).values_list(
                "competence_id", "level"
            )
        )
        previous_areas = dict(
            SelfAssessmentAreaScore.objects.filter(assessment=previous).values_list(
                "area_id", "level"
            )
        )
    job_role = _job_role_of(assessment.user)
    targets = _targets(job_role)
    areas: dict[int, AreaRow] = {}
    for score in sorted(
        scores,
        key=lambda s: (
            s.competence.area.sort_order,
            s.competence.area.code,
            s.competence.sort_order,
            s.competence.code,
        ),
    ):
        area = score.competence.area
        row = areas.get(area.pk)
        if row is None:
            row = areas[area.pk] = AreaRow(
                area, area_levels.get(area.pk, Decimal(0)), previous_areas.get(area.pk)
            )
        row.competences.append(
            CompetenceRow(
                score.competence,
                score.level,
                previous_levels.get(score.competence_id),
                targets.get(score.competence_id),
            )
        )
    levels = {score.competence_id: score.level for score in scores}
    recommendations = courses_for_gaps(
        user=assessment.user, competence_ids=_gap_competence_ids(levels, targets)
    )
    return Profile(
        assessment, previous, job_role, bool(targets), list(areas.values()), recommendations
    )


def recommendations_for(user) -> tuple[SelfAssessment | None, list[CoursePage]]:
    """The person's latest sitting and the courses recommended from it (4 queries)."""
    latest = selfassessment_latest(user)
    if latest is None:
        return None, []
    levels = dict(
        SelfAssessmentScore.objects.filter(assessment=latest).values_list("competence_id", "level")
    )
    targets = _targets(_job_role_of(user))
    return latest, courses_for_gaps(user=user, competence_ids=_gap_competence_ids(levels, targets))


# --- Aggregates for HR and the change office ---------------------------------------------------


def overview_scope(user) -> set[int] | None:
    """Departments whose aggregates a person may see: None = all (change office, site-wide HR)."""
    if has_role(user, Role.CHANGE_OFFICE):
        return None
    return hr_department_scope(user)


@dataclass(frozen=True)
class HeatCell:
    level: Decimal | None
    people: int
    suppressed: bool

    @property
    def css_class(self) -> str:
        if self.level is None or self.suppressed:
            return ""
        return f"cs-heat-{max(0, min(8, int(self.level.quantize(Decimal(1), 'ROUND_HALF_UP'))))}"


@dataclass(frozen=True)
class HeatRow:
    label: str
    people: int
    cells: list[HeatCell]


@dataclass(frozen=True)
class HeatMap:
    areas: list[CompetenceArea]
    rows: list[HeatRow]
    total: HeatRow | None
    min_people: int
    by: str


HEATMAP_GROUPS = {
    "department": ("assessment__user__profile__department", "user__profile__department"),
    "job_role": ("assessment__user__profile__job_role", "user__profile__job_role"),
}


def _latest_in_scope(scope: set[int] | None, framework) -> Q:
    condition = Q(
        is_latest=True,
        framework=framework,
        user__is_active=True,
        user__profile__status=StaffStatus.ACTIVE,
    )
    if scope is not None:
        condition &= Q(user__profile__department_id__in=scope)
    return condition


def _cell(level, people: int, min_people: int) -> HeatCell:
    if people < min_people:
        return HeatCell(None, people, True)
    return HeatCell(Decimal(level).quantize(Decimal("0.1")), people, False)


def skills_heatmap(
    *, scope: set[int] | None, by: str = "department", min_people: int = MIN_PEOPLE_PER_CELL
) -> HeatMap:
    """Average self-assessed level per competence area, per department or job role.

    Uses each person's latest sitting (active staff only) within ``scope``. A cell built from
    fewer than ``min_people`` people is suppressed, so nobody's answers can be singled out.
    Five queries whatever the size of the organisation.
    """
    framework = CompetencyFramework.objects.filter(is_default=True).first()
    if by not in HEATMAP_GROUPS:
        by = "department"
    if framework is None:
        return HeatMap([], [], None, min_people, by)
    score_key, person_key = HEATMAP_GROUPS[by]
    areas = list(CompetenceArea.objects.filter(framework=framework).order_by("sort_order", "code"))
    latest = SelfAssessment.objects.filter(_latest_in_scope(scope, framework))
    scores = SelfAssessmentAreaScore.objects.filter(assessment__in=latest.values("pk"))
    cell_values = {
        (row[score_key], row["area_id"]): (row["avg"], row["people"])
        for row in scores.values(score_key, "area_id").annotate(
            avg=Avg("level"), people=Count("assessment__user_id", distinct=True)
        )
    }
    people = {
        row[person_key]: row["people"]
        for row in latest.values(person_key).annotate(people=Count("user_id", distinct=True))
    }
    group_model = Department if by == "department" else JobRole
    labels = dict(
        group_model.objects.filter(pk__in=[k for k in people if k]).values_list("pk", "name")
    )
    rows = []
    for key in sorted(people, key=lambda k: (k is None, labels.get(k, ""))):
        label = labels.get(key) or str(_("Not recorded"))
        cells = [
            _cell(*cell_values[(key, area.pk)], min_people)
            if (key, area.pk) in cell_values
            else HeatCell(None, 0, True)
            for area in areas
        ]
        rows.append(HeatRow(label, people[key], cells))
    total = None
    if people:
        totals = {
            row["area_id"]: (row["avg"], row["people"])
            for row in scores.values("area_id").annotate(
                avg=Avg("level"), people=Count("assessment__user_id", distinct=True)
            )
        }
        total = HeatRow(
            str(_("Everyone shown")),
            sum(people.values()),
            [
                _cell(*totals[area.pk], min_people)
                if area.pk in totals
                else HeatCell(None, 0, True)
                for area in areas
            ],
        )
    return HeatMap(areas, rows, total, min_people, by)


# --- Individual results (needs assessments.view_individual_selfassessment) --------------------


class PeopleFilterSet(django_filters.FilterSet):
    """Filters of the individual results list."""

    department = django_filters.ModelChoiceFilter(
        label=_("Department"), queryset=Department.objects.all()
    )
    job_role = django_filters.ModelChoiceFilter(label=_("Job role"), queryset=JobRole.objects.all())

    class Meta:
        model = StaffProfile
        fields = ["department", "job_role"]

    def __init__(self, *args, scope: set[int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if scope is not None:
            self.filters["department"].queryset = Department.objects.filter(pk__in=scope)


def skills_people(*, scope: set[int] | None) -> QuerySet[StaffProfile]:
    """Active staff in scope with a submitted sitting, with their latest area scores prefetched."""
    queryset = StaffProfile.objects.filter(
        status=StaffStatus.ACTIVE, user__self_assessments__is_latest=True
    )
    if scope is not None:
        queryset = queryset.filter(department_id__in=scope)
    latest = SelfAssessment.objects.filter(is_latest=True).prefetch_related(
        Prefetch("area_scores", queryset=SelfAssessmentAreaScore.objects.order_by("area_id"))
    )
    return (
        queryset.select_related("user", "department", "job_role")
        .prefetch_related(Prefetch("user__self_assessments", queryset=latest, to_attr="latest"))
        .order_by("user__last_name", "user__first_name", "pk")
    )


def default_areas() -> list[CompetenceArea]:
    framework = CompetencyFramework.objects.filter(is_default=True).first()
    if framework is None:
        return []
    return list(CompetenceArea.objects.filter(framework=framework).order_by("sort_order", "code"))
