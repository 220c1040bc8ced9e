"""FilterSets of courses: the catalogue (staff site) and the admin lists (Wagtail admin)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from lms.cache import memoized, new_generation
from lms.models import Department, JobRole, RoleFamily
from lms.widgets import FastSelect

from .models import (
    Competence,
    CompetenceArea,
    CompetencyFramework,
    CourseCompetence,
    CoursePage,
    Difficulty,
    Enrolment,
    EnrolmentSource,
    JobRoleTarget,
    LessonProgress,
    ProficiencyLevel,
)
from .selectors import course_ids_for_role_family, courses_for_job_role

DURATION_BANDS = {
    "short": (_("15 minutes or less"), Q(estimated_minutes__lte=15)),
    "medium": (_("15 to 30 minutes"), Q(estimated_minutes__gt=15, estimated_minutes__lte=30)),
    "long": (_("30 to 60 minutes"), Q(estimated_minutes__gt=30, estimated_minutes__lte=60)),
    "longer": (_("More than an hour"), Q(estimated_minutes__gt=60)),
}

MY_STATUS_CHOICES = [
    ("not_enrolled", _("Not started")),
    ("in_progress", _("In progress")),
    ("completed", _("Completed")),
    ("assigned", _("Assigned to me")),
]

SELECT = FastSelect(attrs={"class": "usa-select"})


# The catalogue's filter choices are reference data (job roles, competences, services, levels)
# read on every catalogue request: kept in each process (``lms.cache.memoized``) under one
# generation that any change to those tables renews (receivers connected in CoursesConfig.ready).
CHOICES_GENERATION = "catalogue-choices"
CHOICE_MODELS = (
    "lms.JobRole",
    "courses.Competence",
    "courses.CompetenceArea",
    "courses.CompetencyFramework",
    "courses.ProficiencyLevel",
    "champions.Service",
)


def _remembered(name: str, load) -> list[tuple]:
    return memoized(f"catalogue-choices:{name}", CHOICES_GENERATION, load)


def choices_changed(**kwargs) -> None:
    new_generation(CHOICES_GENERATION)


def _level_choices():
    def load():
        levels = ProficiencyLevel.objects.filter(framework__is_default=True).order_by("number")
        return [(level.number, f"{level.number} – {level.group or level.name}") for level in levels]

    return _remembered("level", load)


def _area_choices():
    return _remembered(
        "area",
        lambda: [
            (area.pk, str(area))
            for area in CompetenceArea.objects.filter(framework__is_default=True)
        ],
    )


def _competence_choices():
    return _remembered(
        "competence",
        lambda: [
            (competence.pk, str(competence))
            for competence in Competence.objects.filter(framework__is_default=True)
        ],
    )


def _job_role_choices():
    return _remembered(
        "job_role",
        lambda: [(role.pk, str(role)) for role in JobRole.objects.order_by("name")],
    )


def _service_choices():
    service_model = CoursePage._meta.get_field("service").related_model
    return _remembered(
        "service",
        lambda: [(service.pk, str(service)) for service in service_model.objects.order_by("name")],
    )


class CourseCatalogueFilterSet(django_filters.FilterSet):
    """The catalogue's filters. The queryset must come from ``selectors.courses_for_user``
    (the "my status" filter reads its annotations). ``q`` (search) runs last, over the
    already-filtered courses."""

    area = django_filters.TypedChoiceFilter(
        label=_("Competence area"),
        choices=_area_choices,
        coerce=int,
        method="filter_area",
        widget=SELECT,
    )
    competence = django_filters.TypedChoiceFilter(
        label=_("Competence"),
        choices=_competence_choices,
        coerce=int,
        method="filter_competence",
        widget=SELECT,
    )
    job_role = django_filters.TypedChoiceFilter(
        label=_("Job role"),
        choices=_job_role_choices,
        coerce=int,
        method="filter_job_role",
        widget=SELECT,
    )
    role_family = django_filters.ChoiceFilter(
        label=_("Role family"),
        choices=RoleFamily.choices,
        method="filter_role_family",
        widget=SELECT,
    )
    level = django_filters.TypedChoiceFilter(
        label=_("Target level"),
        choices=_level_choices,
        coerce=int,
        field_name="target_level",
        widget=SELECT,
    )
    difficulty = django_filters.ChoiceFilter(
        label=_("Difficulty"), choices=Difficulty.choices, widget=SELECT
    )
    duration = django_filters.ChoiceFilter(
        label=_("Length"),
        choices=[(key, label) for key, (label, _q) in DURATION_BANDS.items()],
        method="filter_duration",
        widget=SELECT,
    )
    service = django_filters.TypedChoiceFilter(
        label=_("Digital service"),
        choices=_service_choices,
        coerce=int,
        field_name="service_id",
        widget=SELECT,
    )
    status = django_filters.ChoiceFilter(
        label=_("My status"), choices=MY_STATUS_CHOICES, method="filter_status", widget=SELECT
    )
    q = django_filters.CharFilter(
        label=_("Search courses"),
        method="filter_search",
        widget=forms.TextInput(attrs={"class": "usa-input", "type": "search"}),
    )

    class Meta:
        model = CoursePage
        fields: list[str] = []

    def filter_area(self, queryset, name, value):
        return queryset.filter(
            pk__in=CourseCompetence.objects.filter(competence__area_id=value).values("course_id")
        )

    def filter_competence(self, queryset, name, value):
        return queryset.filter(
            pk__in=CourseCompetence.objects.filter(competence_id=value).values("course_id")
        )

    def filter_job_role(self, queryset, name, value):
        job_role = JobRole.objects.filter(pk=value).first()
        if job_role is None:  # deleted since the choices were read
            return queryset.none()
        return queryset.filter(
            pk__in=CoursePage.objects.filter(courses_for_job_role(job_role)).values("pk")
        )

    def filter_role_family(self, queryset, name, value):
        return queryset.filter(pk__in=course_ids_for_role_family(value))

    def filter_duration(self, queryset, name, value):
        return queryset.filter(DURATION_BANDS[value][1])

    def filter_status(self, queryset, name, value):
        if value == "not_enrolled":
            return queryset.filter(my_enrolled=False, my_assigned=False)
        if value == "in_progress":
            return queryset.filter(my_enrolled=True, my_completed=False)
        if value == "completed":
            return queryset.filter(my_completed=True)
        return queryset.filter(my_assigned=True, my_completed=False)

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        # The filters above join other tables, which the search backend cannot filter on, so
        # search the live courses and keep the ids the filters let through, in rank order.
        ranked = [page.pk for page in CoursePage.objects.live().search(value)]
        if not ranked:
            return queryset.none()
        rank = Case(
            *[When(pk=pk, then=Value(position)) for position, pk in enumerate(ranked)],
            output_field=IntegerField(),
        )
        return queryset.filter(pk__in=ranked).annotate(search_rank=rank)

    @property
    def qs(self):
        queryset = super().qs
        if "search_rank" in queryset.query.annotations:
            return queryset.order_by("search_rank", "pk")
        return queryset.order_by("title", "pk")


# --- Admin -----------------------------------------------------------------------------------


class JobRoleTargetFilterSet(WagtailFilterSet):
    job_role = django_filters.ModelChoiceFilter(
        label=_("Job role"), queryset=JobRole.objects.order_by("name")
    )
    framework = django_filters.ModelChoiceFilter(
        label=_("Framework"),
        queryset=CompetencyFramework.objects.all(),
        field_name="competence__framework",
    )

    class Meta:
        model = JobRoleTarget
        fields = ["job_role", "framework", "level"]


class CompetenceFilterSet(WagtailFilterSet):
    class Meta:
        model = Competence
        fields = ["framework", "area"]


class FrameworkChildFilterSet(WagtailFilterSet):
    class Meta:
        model = CompetenceArea
        fields = ["framework"]


class LevelFilterSet(WagtailFilterSet):
    class Meta:
        model = ProficiencyLevel
        fields = ["framework"]


class EnrolmentFilterSet(WagtailFilterSet):
    course = django_filters.ModelChoiceFilter(
        label=_("Course"), queryset=CoursePage.objects.order_by("title")
    )
    source = django_filters.ChoiceFilter(label=_("Source"), choices=EnrolmentSource.choices)
    completed = django_filters.BooleanFilter(
        label=_("Completed"), field_name="completed_at", lookup_expr="isnull", exclude=True
    )
    department = django_filters.ModelChoiceFilter(
        label=_("Department"),
        queryset=Department.objects.order_by("name"),
        field_name="user__profile__department",
    )
    job_role = django_filters.ModelChoiceFilter(
        label=_("Job role"),
        queryset=JobRole.objects.order_by("name"),
        field_name="user__profile__job_role",
    )

    class Meta:
        model = Enrolment
        fields = ["course", "source", "completed", "department", "job_role"]


class LessonProgressFilterSet(WagtailFilterSet):
    course = django_filters.ModelChoiceFilter(
        label=_("Course"),
        queryset=CoursePage.objects.order_by("title"),
        field_name="enrolment__course",
    )
    department = django_filters.ModelChoiceFilter(
        label=_("Department"),
        queryset=Department.objects.order_by("name"),
        field_name="enrolment__user__profile__department",
    )
    completed_at = django_filters.DateFromToRangeFilter(label=_("Completed between"))

    class Meta:
        model = LessonProgress
        fields = ["course", "department", "completed_at"]
