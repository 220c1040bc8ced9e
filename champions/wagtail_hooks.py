"""Wagtail admin for service rollouts: the services (with their affected departments inline),
filtered by phase and department. Saving goes through ``service_save_from_form`` so every
phase or go-live change is kept in the history, audited and moves the training due dates."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from .filters import ServiceFilterSet
from .forms import ServiceAdminForm
from .models import Service
from .services.rollouts import service_save_from_form


class ServiceCreateView(generic.CreateView):
    def save_instance(self):
        return service_save_from_form(form=self.form, actor=self.request.user)


class ServiceEditView(generic.EditView):
    def save_instance(self):
        return service_save_from_form(form=self.form, actor=self.request.user)


class ServiceViewSet(ModelViewSet):
    """Digital services being rolled out."""

    model = Service
    icon = "globe"
    menu_label = _("Digital services")
    menu_order = 310
    add_to_admin_menu = True
    add_view_class = ServiceCreateView
    edit_view_class = ServiceEditView
    edit_handler = ObjectList(Service.panels, base_form_class=ServiceAdminForm)
    filterset_class = ServiceFilterSet
    search_fields = ["name", "description"]
    list_display = [
        "name",
        Column("phase", label=_("Phase"), accessor="get_phase_display"),
        "go_live_date",
        "owning_department",
    ]
    ordering = ["name"]
    copy_view_enabled = False


service_viewset = ServiceViewSet("champions_services")


@hooks.register("register_admin_viewset")
def register_service_viewset():
    return service_viewset


# The champion network's admin screens (engineer B) register with the same hooks.
from . import admin_network  # noqa: E402, F401
