"""The audit trail in the Wagtail admin: searchable and filterable, read-only for everyone.

Site admins (and anyone granted ``lms.view_auditevent``) can list, filter and inspect events.
Nobody can add, edit or delete one from the admin — not even a superuser — because the
permission policy refuses every action other than "view" (the model refuses changes too).
"""

from __future__ import annotations

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from . import privacy
from .models import AuditEvent
from .permissions import has_role
from .roles import Role


def _action_choices():
    return [
        (action, action)
        for action in AuditEvent.objects.order_by("action")
        .values_list("action", flat=True)
        .distinct()
    ]


class AuditEventFilterSet(WagtailFilterSet):
    action = django_filters.ChoiceFilter(label=_("Action"), choices=_action_choices)
    action_group = django_filters.CharFilter(
        label=_("Action starts with"),
        method="filter_action_group",
        help_text=_("For example “auth.” or “certificate.”"),
    )
    actor = django_filters.CharFilter(
        field_name="actor_label", lookup_expr="icontains", label=_("Who")
    )
    target = django_filters.CharFilter(
        label=_("About"), method="filter_target", help_text=_("Name, type or id")
    )
    created_at = django_filters.DateFromToRangeFilter(label=_("When"), widget=DateRangePickerWidget)

    class Meta:
        model = AuditEvent
        fields = ["action", "action_group", "actor", "target", "created_at"]

    def filter_action_group(self, queryset, name, value):
        return queryset.filter(action__startswith=value.strip())

    def filter_target(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(target_label__icontains=value) | Q(target_type=value) | Q(target_id=value)
        )


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Only "view" is ever allowed; add/change/delete are refused to everyone."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return "view" in actions and self.user_has_permission(user, "view")

    def users_with_any_permission(self, actions):
        if "view" not in actions:
            return super().users_with_any_permission([]).none()
        return super().users_with_any_permission(["view"])


class AuditEventViewSet(ModelViewSet):
    model = AuditEvent
    menu_label = _("Audit log")
    icon = "list-ul"
    add_to_admin_menu = True
    menu_order = 900
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["created_at", "actor_label", "action", "target_label", "ip_address"]
    list_filter = None
    filterset_class = AuditEventFilterSet
    search_fields = ["action", "actor_label", "target_label", "target_id"]
    search_backend_name = None  # plain database lookups: the table is append-only and indexed
    inspect_view_fields = [
        "created_at",
        "actor_label",
        "action",
        "target_type",
        "target_id",
        "target_label",
        "ip_address",
        "details",
    ]
    list_per_page = 50
    list_export = [
        "created_at",
        "actor_label",
        "action",
        "target_type",
        "target_id",
        "target_label",
        "ip_address",
        "details",
    ]
    export_filename = "audit-log"
    form_fields: list[str] = []  # no add/edit form: the permission policy refuses both


register_permission_policy(AuditEvent, ReadOnlyPermissionPolicy(AuditEvent), exact_class=True)


audit_event_viewset = AuditEventViewSet("audit_log")


# --- Personal data: export one person, anonymise leavers past retention -----------------------


class PersonLookupForm(forms.Form):
    person = forms.CharField(
        label=_("Employee ID, username or e-mail"),
        max_length=254,
        help_text=_("The export holds everything CivicSkills stores about this person."),
    )

    def clean_person(self):
        value = self.cleaned_data["person"].strip()
        user = privacy.person_find(value)
        if user is None:
            raise forms.ValidationError(_("Nobody has this employee ID, username or e-mail."))
        return user


def _require_site_admin(request) -> None:
    if not has_role(request.user, Role.SITE_ADMIN):
        raise PermissionDenied


class PersonalDataView(WagtailAdminTemplateMixin, TemplateView):
    """Site admins: download a person's data export; anonymise leavers past retention."""

    template_name = "lms/admin/personal_data.html"
    page_title = _("Personal data")
    header_icon = "user"

    def dispatch(self, request, *args, **kwargs):
        _require_site_admin(request)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        due = privacy.leavers_due_for_anonymisation()
        context.update(
            form=kwargs.get("form") or PersonLookupForm(),
            due=due[:200],
            due_count=due.count(),
            retention_days=privacy.retention_days(),
        )
        return context

    def post(self, request, *args, **kwargs):
        if "anonymise" in request.POST:
            done = privacy.leavers_anonymise_due(actor=request.user)
            messages.success(
                request,
                ngettext("%(count)d leaver anonymised.", "%(count)d leavers anonymised.", len(done))
                % {"count": len(done)},
            )
            return redirect("lms_personal_data")
        form = PersonLookupForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        user = form.cleaned_data["person"]
        content = privacy.personal_data_export(user=user, actor=request.user, request=request)
        response = HttpResponse(content, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="personal-data-{user.pk}.zip"'
        return response


@hooks.register("register_admin_viewset")
def register_audit_log():
    return audit_event_viewset


@hooks.register("register_admin_urls")
def register_personal_data_urls():
    return [path("personal-data/", PersonalDataView.as_view(), name="lms_personal_data")]


class SiteAdminMenuItem(MenuItem):
    def is_shown(self, request):
        return has_role(request.user, Role.SITE_ADMIN)


@hooks.register("register_settings_menu_item")
def register_personal_data_menu_item():
    return SiteAdminMenuItem(
        _("Personal data"), reverse("lms_personal_data"), icon_name="user", order=900
    )
