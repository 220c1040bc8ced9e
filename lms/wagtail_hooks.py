"""Wagtail admin of the organisation and HR: departments, job roles, staff (scoped to an HR
admin's departments), curricula, assignment rules, roster imports, and the compliance report."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, InlinePanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from .hr import admin_views
from .hr.filters import AssignmentAdminFilterSet, StaffFilterSet
from .hr.forms import AssignmentRuleAdminForm, StaffProfileAdminForm
from .hr.services import (
    assignment_delete,
    assignment_rule_save_from_form,
    staff_save_from_form,
)
from .models import Assignment, AssignmentRule, Curriculum, Department, JobRole, StaffProfile
from .permissions import has_role, hr_department_scope
from .roles import Role


class DepartmentFilterSet(WagtailFilterSet):
    class Meta:
        model = Department
        fields = ["parent"]


class JobRoleFilterSet(WagtailFilterSet):
    class Meta:
        model = JobRole
        fields = ["family"]


class DepartmentViewSet(ModelViewSet):
    model = Department
    icon = "group"
    menu_label = _("Departments")
    form_fields = ["name", "code", "parent"]
    list_display = ["name", "code", "parent"]
    search_fields = ["name", "code"]
    filterset_class = DepartmentFilterSet
    copy_view_enabled = False


class JobRoleViewSet(ModelViewSet):
    model = JobRole
    icon = "tag"
    menu_label = _("Job roles")
    form_fields = ["name", "family", "description"]
    list_display = ["name", Column("family", label=_("Family"), accessor="get_family_display")]
    search_fields = ["name"]
    filterset_class = JobRoleFilterSet
    copy_view_enabled = False


def _scoped_staff(request, queryset):
    scope = hr_department_scope(request.user)
    return queryset if scope is None else queryset.filter(department_id__in=scope)


class StaffIndexView(generic.IndexView):
    def get_base_queryset(self):
        queryset = super().get_base_queryset().select_related("user", "department", "job_role")
        return _scoped_staff(self.request, queryset)


class StaffCreateView(generic.CreateView):
    def save_instance(self):
        return staff_save_from_form(form=self.form, actor=self.request.user)


class StaffEditView(generic.EditView):
    def get_object(self, queryset=None):
        queryset = _scoped_staff(self.request, StaffProfile.objects.select_related("user"))
        return super().get_object(queryset=queryset)

    def save_instance(self):
        return staff_save_from_form(form=self.form, actor=self.request.user)


class StaffProfileViewSet(ModelViewSet):
    model = StaffProfile
    icon = "user"
    menu_label = _("Staff")
    index_view_class = StaffIndexView
    add_view_class = StaffCreateView
    edit_view_class = StaffEditView
    edit_handler = ObjectList(
        [
            FieldPanel("first_name"),
            FieldPanel("last_name"),
            FieldPanel("email"),
            FieldPanel("employee_id"),
            FieldPanel("department"),
            FieldPanel("job_role"),
            FieldPanel("manager"),
            FieldPanel("location"),
            FieldPanel("start_date"),
            FieldPanel("is_active"),
            FieldPanel("mark_leaver"),
            FieldPanel("hr_all_departments"),
            FieldPanel("hr_departments"),
        ],
        base_form_class=StaffProfileAdminForm,
    )
    list_display = [
        Column("full_name", label=_("Name")),
        "employee_id",
        "department",
        "job_role",
        Column("status", label=_("Status"), accessor="get_status_display"),
    ]
    search_fields = ["employee_id", "user__first_name", "user__last_name", "user__email"]
    filterset_class = StaffFilterSet
    copy_view_enabled = False
    inspect_view_enabled = False


class CurriculumViewSet(ModelViewSet):
    model = Curriculum
    icon = "list-ol"
    menu_label = _("Curricula")
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("description"),
            FieldPanel("is_active"),
            InlinePanel("items", label=_("Courses, in order")),
        ]
    )
    list_display = ["name", "is_active"]
    search_fields = ["name", "description"]
    copy_view_enabled = False


class _RuleSaveMixin:
    """Rules are organisation-wide: only HR admins of every department create or edit them
    (an HR admin limited to some departments uses "Assign training", which is scoped)."""

    def dispatch(self, request, *args, **kwargs):
        if hr_department_scope(request.user) is not None:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def save_instance(self):
        return assignment_rule_save_from_form(form=self.form, actor=self.request.user)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError:
            # The service put its errors on the form; nothing was saved (atomic).
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class RuleCreateView(_RuleSaveMixin, generic.CreateView):
    pass


class RuleEditView(_RuleSaveMixin, generic.EditView):
    pass


class AssignmentRuleFilterSet(WagtailFilterSet):
    class Meta:
        model = AssignmentRule
        fields = ["is_active", "required", "course", "curriculum", "due_mode"]


class AssignmentRuleViewSet(ModelViewSet):
    model = AssignmentRule
    icon = "clipboard-list"
    menu_label = _("Assignment rules")
    add_view_class = RuleCreateView
    edit_view_class = RuleEditView
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("course"),
            FieldPanel("curriculum"),
            FieldPanel("everyone"),
            FieldPanel("departments"),
            FieldPanel("include_subdepartments"),
            FieldPanel("job_roles"),
            FieldPanel("role_families"),
            FieldPanel("people"),
            FieldPanel("staff_filter"),
            FieldPanel("required"),
            FieldPanel("due_mode"),
            FieldPanel("due_date"),
            FieldPanel("due_days"),
            FieldPanel("service"),
            FieldPanel("recertify_months"),
            FieldPanel("is_active"),
        ],
        base_form_class=AssignmentRuleAdminForm,
    )
    list_display = ["name", "course", "curriculum", "required", "is_active"]
    search_fields = ["name"]
    filterset_class = AssignmentRuleFilterSet
    copy_view_enabled = False
    delete_view_enabled = False


def _scoped_assignments(request, queryset):
    scope = hr_department_scope(request.user)
    return queryset if scope is None else queryset.filter(user__profile__department_id__in=scope)


class AssignmentIndexView(generic.IndexView):
    """Assignments of the staff in the HR admin's scope; "Assign training" as the add button."""

    def get_base_queryset(self):
        queryset = (
            super()
            .get_base_queryset()
            .select_related("user", "course", "rule", "curriculum")
            .order_by("-assigned_at", "-pk")
        )
        return _scoped_assignments(self.request, queryset)

    def get_add_url(self):
        return (
            reverse("lms_assign_training") if has_role(self.request.user, Role.HR_ADMIN) else None
        )

    @property
    def add_item_label(self):
        return _("Assign training")

    def get_edit_url(self, instance):
        return None


class AssignmentInspectView(generic.InspectView):
    def get_object(self, queryset=None):
        queryset = _scoped_assignments(self.request, Assignment.objects.all())
        return get_object_or_404(queryset, pk=self.pk)


class AssignmentDeleteView(generic.DeleteView):
    def get_object(self, queryset=None):
        if getattr(self, "object", None):
            return self.object
        queryset = _scoped_assignments(
            self.request, Assignment.objects.select_related("user", "course")
        )
        return get_object_or_404(queryset, pk=self.kwargs[self.pk_url_kwarg])

    def delete_action(self):
        assignment_delete(assignment=self.object, actor=self.request.user, request=self.request)


class AssignmentViewSet(ModelViewSet):
    """Read and remove assignments (no editing: rules and "Assign training" create them)."""

    model = Assignment
    icon = "clipboard-list"
    menu_label = _("Assignments")
    index_view_class = AssignmentIndexView
    inspect_view_class = AssignmentInspectView
    delete_view_class = AssignmentDeleteView
    inspect_view_enabled = True
    inspect_view_fields = [
        "user",
        "course",
        "cycle",
        "rule",
        "curriculum",
        "required",
        "assigned_at",
        "due_date",
        "status",
        "assigned_by",
    ]
    list_display = [
        Column("user", label=_("Person"), accessor="user"),
        "course",
        "required",
        "due_date",
        Column("status", label=_("Status"), accessor="get_status_display"),
        "rule",
    ]
    list_filter = None
    filterset_class = AssignmentAdminFilterSet
    search_fields = ["user__first_name", "user__last_name", "user__email", "course__title"]
    copy_view_enabled = False

    def get_urlpatterns(self):
        # Read and delete only: no add/edit/history pages ("Assign training" adds).
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
            path("delete/<int:pk>/", self.delete_view, name="delete"),
        ]

    def get_common_view_kwargs(self, **kwargs):
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        view_kwargs.update(
            add_url_name=None, edit_url_name=None, history_url_name=None, usage_url_name=None
        )
        return view_kwargs

    def register_admin_url_finder(self):
        # No edit page to link to.
        return None


class OrganisationGroup(ModelViewSetGroup):
    menu_label = _("Organisation")
    menu_icon = "group"
    menu_order = 250
    items = (
        StaffProfileViewSet("lms_staff"),
        DepartmentViewSet("lms_departments"),
        JobRoleViewSet("lms_job_roles"),
        CurriculumViewSet("lms_curricula"),
        AssignmentRuleViewSet("lms_assignment_rules"),
        AssignmentViewSet("lms_assignments"),
    )


@hooks.register("register_admin_viewset")
def register_organisation():
    return OrganisationGroup()


@hooks.register("register_admin_urls")
def register_roster_urls():
    return [
        path("roster-imports/", admin_views.roster_upload, name="lms_roster_upload"),
        path("roster-imports/<int:pk>/", admin_views.roster_detail, name="lms_roster_detail"),
        path("assign-training/", admin_views.assign_training, name="lms_assign_training"),
    ]


class HRMenuItem(MenuItem):
    def is_shown(self, request):
        return has_role(request.user, Role.HR_ADMIN)


@hooks.register("register_admin_menu_item")
def register_roster_menu_item():
    return HRMenuItem(
        _("Roster import"), reverse("lms_roster_upload"), icon_name="upload", order=260
    )


@hooks.register("register_admin_menu_item")
def register_compliance_menu_item():
    return HRMenuItem(
        _("Compliance report"), reverse("lms:compliance_report"), icon_name="table", order=261
    )


# The audit log and personal-data requests (site admins), registered by their own hooks.
from . import admin_security  # noqa: E402, F401
