"""FilterSets shared by the admin listings, the saved staff filters of rules, and the reports."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet

from lms.models import (
    Assignment,
    AssignmentStatus,
    Curriculum,
    Department,
    JobRole,
    RoleFamily,
    StaffProfile,
    StaffStatus,
)
from lms.permissions import department_descendant_ids, hr_department_scope
from lms.widgets import FastSelect

# An assignment is complete when its cycle has a completion: the enrolment is still in that
# cycle and completed, or it has moved on to a later cycle (recertification).
COMPLETED_Q = Q(enrolment__cycle__gt=F("cycle")) | Q(
    enrolment__cycle=F("cycle"), enrolment__completed_at__isnull=False
)
STARTED_Q = Q(enrolment__cycle=F("cycle"), enrolment__started_at__isnull=False)


def overdue_q(today=None) -> Q:
    today = today or timezone.localdate()
    return Q(due_date__lt=today) & ~COMPLETED_Q


def _scoped_departments(request):
    queryset = Department.objects.all()
    if request is None:
        return queryset
    scope = hr_department_scope(request.user)
    return queryset if scope is None else queryset.filter(pk__in=scope)


class DepartmentTreeFilter(django_filters.ModelChoiceFilter):
    """A department and, unless told otherwise, every department below it."""

    def __init__(self, *args, field_path: str = "department_id", **kwargs):
        self.field_path = field_path
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(**{f"{self.field_path}__in": department_descendant_ids([value.pk])})


class StaffFilterSet(WagtailFilterSet):
    """The staff list filters: the admin listing and the "saved filter" scope of a rule."""

    department = DepartmentTreeFilter(
        label=_("Department (with sub-departments)"), queryset=Department.objects.all()
    )
    job_role = django_filters.ModelChoiceFilter(label=_("Job role"), queryset=JobRole.objects.all())
    family = django_filters.ChoiceFilter(
        label=_("Role family"), field_name="job_role__family", choices=RoleFamily.choices
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=StaffStatus.choices)
    manager = django_filters.ModelChoiceFilter(
        label=_("Line manager"),
        queryset=StaffProfile.objects.filter(reports__isnull=False)
        .select_related("user")
        .distinct(),
    )
    location = django_filters.CharFilter(label=_("Location"), lookup_expr="iexact")

    class Meta:
        model = StaffProfile
        fields = ["department", "job_role", "family", "status", "manager", "location"]

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.filters["department"].queryset = _scoped_departments(request)


class ProgressStatus:
    COMPLETED = "completed"
    IN_PROGRESS = "in_progress"
    NOT_STARTED = "not_started"
    OVERDUE = "overdue"

    choices = [
        (COMPLETED, _("Completed")),
        (IN_PROGRESS, _("In progress")),
        (NOT_STARTED, _("Not started")),
        (OVERDUE, _("Overdue")),
    ]


class ComplianceFilterSet(django_filters.FilterSet):
    """Filters of the compliance report and its CSV/XLSX exports (on active assignments)."""

    department = DepartmentTreeFilter(
        label=_("Department (with sub-departments)"),
        queryset=Department.objects.all(),
        field_path="user__profile__department_id",
    )
    job_role = django_filters.ModelChoiceFilter(
        label=_("Job role"), queryset=JobRole.objects.all(), field_name="user__profile__job_role"
    )
    course = django_filters.ModelChoiceFilter(
        label=_("Course"), queryset=None, field_name="course", empty_label=_("Any course")
    )
    curriculum = django_filters.ModelChoiceFilter(
        label=_("Curriculum"), queryset=Curriculum.objects.all(), field_name="curriculum"
    )
    required_only = django_filters.BooleanFilter(
        label=_("Required training only"),
        method="filter_required_only",
        widget=forms.CheckboxInput,
    )
    assigned_after = django_filters.DateFilter(
        label=_("Assigned on or after"),
        field_name="assigned_at__date",
        lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date", "class": "usa-input"}),
    )
    assigned_before = django_filters.DateFilter(
        label=_("Assigned on or before"),
        field_name="assigned_at__date",
        lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date", "class": "usa-input"}),
    )
    due_after = django_filters.DateFilter(
        label=_("Due on or after"),
        field_name="due_date",
        lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date", "class": "usa-input"}),
    )
    due_before = django_filters.DateFilter(
        label=_("Due on or before"),
        field_name="due_date",
        lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date", "class": "usa-input"}),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ProgressStatus.choices, method="filter_status"
    )

    class Meta:
        model = Assignment
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        from courses.models import CoursePage

        super().__init__(data, queryset, request=request, prefix=prefix)
        # The options need only a label: hundreds of them are rendered on every report page.
        self.filters["course"].queryset = CoursePage.objects.only("title").order_by("title")
        self.filters["department"].queryset = _scoped_departments(request).only("name")
        self.filters["job_role"].queryset = JobRole.objects.only("name")
        self.filters["curriculum"].queryset = Curriculum.objects.only("name")
        for name in ("department", "job_role", "course", "curriculum", "status"):
            self.filters[name].extra.setdefault("widget", FastSelect(attrs={"class": "usa-select"}))
        self.filters["required_only"].extra["widget"] = forms.CheckboxInput(
            attrs={"class": "usa-checkbox__input"}
        )

    def filter_required_only(self, queryset, name, value):
        return queryset.filter(required=True) if value else queryset

    def filter_status(self, queryset, name, value):
        if value == ProgressStatus.COMPLETED:
            return queryset.filter(COMPLETED_Q)
        if value == ProgressStatus.IN_PROGRESS:
            return queryset.filter(STARTED_Q).exclude(COMPLETED_Q)
        if value == ProgressStatus.NOT_STARTED:
            return queryset.exclude(COMPLETED_Q).exclude(STARTED_Q)
        if value == ProgressStatus.OVERDUE:
            return queryset.filter(overdue_q())
        return queryset


class AssignmentAdminFilterSet(WagtailFilterSet):
    """Filters of the admin's assignment listing."""

    department = DepartmentTreeFilter(
        label=_("Department (with sub-departments)"),
        queryset=Department.objects.all(),
        field_path="user__profile__department_id",
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=AssignmentStatus.choices)
    required = django_filters.BooleanFilter(label=_("Required"))
    due_date = django_filters.DateFromToRangeFilter(
        label=_("Due date"), widget=DateRangePickerWidget
    )

    class Meta:
        model = Assignment
        fields = ["department", "status", "required", "rule", "curriculum", "course", "due_date"]

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.filters["department"].queryset = _scoped_departments(request)
