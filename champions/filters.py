"""Filters of service lists, shared by the staff-site services page and the Wagtail admin."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lms.models import Department

from .models import Service, ServicePhase


class ServiceFilterSet(django_filters.FilterSet):
    """Services by phase, affected department and name."""

    q = django_filters.CharFilter(
        label=_("Name contains"),
        method="filter_q",
        widget=forms.TextInput(attrs={"class": "usa-input"}),
    )
    phase = django_filters.ChoiceFilter(
        label=_("Phase"),
        choices=ServicePhase.choices,
        empty_label=_("Any phase"),
        widget=forms.Select(attrs={"class": "usa-select"}),
    )
    department = django_filters.ModelChoiceFilter(
        label=_("Affected department"),
        queryset=Department.objects.order_by("name"),
        field_name="department_rollouts__department",
        empty_label=_("Any department"),
        distinct=True,
        widget=forms.Select(attrs={"class": "usa-select"}),
    )

    class Meta:
        model = Service
        fields = ["q", "phase", "department"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(description__icontains=value))
