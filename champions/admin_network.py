"""Wagtail admin of the champion network (imported by ``champions.wagtail_hooks``).

Champions and feedback are listed here with the same filters as the staff site; decisions
(approve/decline, answers, outcomes) are taken on the staff-site screens linked from the menu,
so they always go through the services. Badges are managed here; awarding one goes through
``badge_award`` too.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from lms.permissions import has_role
from lms.roles import Role

from .filters_network import FeedbackFilter, NominationFilter
from .forms_network import PersonChoiceField
from .models import Badge, BadgeAward, Champion, ChampionStatus, Feedback
from .services.network import badge_award


class ChampionViewSet(ModelViewSet):
    """Nominations and champions (read-only here: decide on the staff-site screen)."""

    model = Champion
    icon = "group"
    menu_label = _("Champions")
    filterset_class = NominationFilter
    search_fields = ["user__first_name", "user__last_name", "user__username"]
    list_display = [
        Column("user", label=_("Person")),
        "service",
        "department",
        Column("status", label=_("Status"), accessor="get_status_display"),
        "nominated_at",
    ]
    ordering = ["-nominated_at"]
    inspect_view_enabled = True
    inspect_view_fields_exclude = ["decision_notified_at"]
    copy_view_enabled = False
    form_fields = ["decision_reason"]


class FeedbackViewSet(ModelViewSet):
    """Staff feedback (read-only here: answer and decide on the staff-site screen)."""

    model = Feedback
    icon = "help"
    menu_label = _("Staff feedback")
    filterset_class = FeedbackFilter
    search_fields = ["title", "body", "public_answer"]
    list_display = [
        "title",
        "service",
        "department",
        Column("kind", label=_("Kind"), accessor="get_kind_display"),
        Column("status", label=_("Status"), accessor="get_status_display"),
        "created_at",
    ]
    ordering = ["-created_at"]
    inspect_view_enabled = True
    # The author is for the staff-site "my feedback" page, not for browsing.
    inspect_view_fields_exclude = ["author", "champions_notified", "author_notified_status"]
    copy_view_enabled = False
    form_fields = ["public_answer"]


class BadgeViewSet(ModelViewSet):
    model = Badge
    icon = "pick"
    menu_label = _("Badges")
    form_fields = ["name", "description", "is_active"]
    search_fields = ["name", "description"]
    list_display = ["name", "is_active"]
    copy_view_enabled = False


class BadgeAwardForm(WagtailAdminModelForm):
    user = PersonChoiceField(label=_("Champion"), queryset=Champion.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        self.fields["user"].queryset = (
            get_user_model()
            .objects.filter(championships__status=ChampionStatus.APPROVED)
            .distinct()
            .order_by("last_name", "first_name")
        )
        self.fields["badge"].queryset = Badge.objects.filter(is_active=True)

    class Meta:
        model = BadgeAward
        fields = ["badge", "user", "reason"]


class BadgeAwardCreateView(generic.CreateView):
    """Award through ``badge_award`` (checks, audit); its errors show on the form."""

    def save_instance(self):
        data = self.form.cleaned_data
        return badge_award(
            badge=data["badge"], user=data["user"], reason=data["reason"], actor=self.request.user
        )

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error.messages)
            return self.form_invalid(form)


class BadgeAwardViewSet(ModelViewSet):
    model = BadgeAward
    icon = "tick-inverse"
    menu_label = _("Badge awards")
    add_view_class = BadgeAwardCreateView
    edit_handler = ObjectList(
        [FieldPanel("badge"), FieldPanel("user"), FieldPanel("reason")],
        base_form_class=BadgeAwardForm,
    )
    search_fields = ["user__first_name", "user__last_name", "badge__name", "reason"]
    list_display = [Column("badge", label=_("Badge")), "user", "awarded_at"]
    ordering = ["-awarded_at"]
    copy_view_enabled = False


class ChampionNetworkGroup(ModelViewSetGroup):
    menu_label = _("Champion network")
    menu_icon = "group"
    menu_order = 320
    items = (ChampionViewSet, FeedbackViewSet, BadgeViewSet, BadgeAwardViewSet)


@hooks.register("register_admin_viewset")
def register_champion_network_viewsets():
    return ChampionNetworkGroup()


class StaffSiteMenuItem(MenuItem):
    """A link from the admin menu to a change-office screen of the staff site."""

    def is_shown(self, request):
        return has_role(request.user, Role.CHANGE_OFFICE)


@hooks.register("register_admin_menu_item")
def register_nominations_menu_item():
    return StaffSiteMenuItem(
        _("Decide nominations"),
        reverse("champions:nominations"),
        icon_name="user",
        order=321,
    )


@hooks.register("register_admin_menu_item")
def register_feedback_menu_item():
    return StaffSiteMenuItem(
        _("Answer staff feedback"),
        reverse("champions:feedback_queue"),
        icon_name="help",
        order=322,
    )
