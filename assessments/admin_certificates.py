"""Wagtail admin of certificates and the skills check (imported by assessments.wagtail_hooks).

Self-assessment statements are edited here by content editors. HR's certificate screens (list,
revoke, evidence packs) and the skills overview live on the staff site, where they share the
filter and the permission checks with the rest of the app; the admin menu links to them.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from lms.permissions import has_role
from lms.roles import Role

from .models import SelfAssessmentStatement


class StatementPermissionPolicy(ModelPermissionPolicy):
    """Content editors manage statements. Nobody deletes one through the admin: answers hang
    off it, so a statement that is no longer wanted is made inactive instead."""

    def user_has_permission(self, user, action):
        if action == "delete":
            return False
        return has_role(user, Role.CONTENT_EDITOR) or super().user_has_permission(user, action)


class SelfAssessmentStatementViewSet(ModelViewSet):
    """The "I can …" statements of the digital skills check."""

    model = SelfAssessmentStatement
    icon = "list-ul"
    menu_label = _("Skills check statements")
    menu_order = 260
    add_to_admin_menu = True
    form_fields = ["competence", "text", "sort_order", "is_active"]
    list_display = ["text", "competence", "is_active", "sort_order"]
    list_filter = ["is_active", "competence__area"]
    search_fields = ["text", "competence__name", "competence__code"]
    ordering = ["competence__area__sort_order", "competence__sort_order", "sort_order", "pk"]
    copy_view_enabled = False


# Registered for the model (Wagtail 8 looks policies up here; a policy set on the viewset is
# deprecated), before the viewset below registers its permissions.
register_permission_policy(
    SelfAssessmentStatement, StatementPermissionPolicy(SelfAssessmentStatement), exact_class=True
)


@hooks.register("register_admin_viewset")
def register_statement_viewset():
    return SelfAssessmentStatementViewSet("selfassessment_statements")


class RoleMenuItem(MenuItem):
    """A link from the admin menu to a staff-site screen, shown to the given roles."""

    def __init__(self, *args, roles: tuple[Role, ...], **kwargs):
        super().__init__(*args, **kwargs)
        self.roles = roles

    def is_shown(self, request):
        return has_role(request.user, *self.roles)


@hooks.register("register_admin_menu_item")
def register_certificates_menu_item():
    return RoleMenuItem(
        _("Certificates"),
        reverse("assessments:certificate_list"),
        icon_name="doc-full",
        order=261,
        roles=(Role.HR_ADMIN,),
    )


@hooks.register("register_admin_menu_item")
def register_evidence_packs_menu_item():
    return RoleMenuItem(
        _("Certificate evidence packs"),
        reverse("assessments:certificate_exports"),
        icon_name="download",
        order=262,
        roles=(Role.HR_ADMIN,),
    )


@hooks.register("register_admin_menu_item")
def register_skills_overview_menu_item():
    return RoleMenuItem(
        _("Digital skills overview"),
        reverse("assessments:skills_overview"),
        icon_name="table",
        order=263,
        roles=(Role.HR_ADMIN, Role.CHANGE_OFFICE),
    )
