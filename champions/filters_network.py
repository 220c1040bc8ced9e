"""FilterSets of the champion network's lists, shared by the staff-site pages and the admin."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from lms.models import Department

from .models import Champion, ChampionStatus, Feedback, FeedbackKind, FeedbackStatus, Service

SELECT = forms.Select(attrs={"class": "usa-select"})


class NominationFilter(django_filters.FilterSet):
    """The change office's list of nominations and champions."""

    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=ChampionStatus.choices,
        empty_label=_("Any status"),
        widget=SELECT,
    )
    service = django_filters.ModelChoiceFilter(
        label=_("Service"),
        queryset=Service.objects.order_by("name"),
        empty_label=_("Any service"),
        widget=SELECT,
    )
    department = django_filters.ModelChoiceFilter(
        label=_("Department"),
        queryset=Department.objects.order_by("name"),
        empty_label=_("Any department"),
        widget=SELECT,
    )

    class Meta:
        model = Champion
        fields = ["status", "service", "department"]


class DirectoryFilter(django_filters.FilterSet):
    """The staff directory of champions."""

    department = django_filters.ModelChoiceFilter(
        label=_("Department"),
        queryset=Department.objects.filter(champions__status=ChampionStatus.APPROVED)
        .distinct()
        .order_by("name"),
        empty_label=_("All departments"),
        widget=SELECT,
    )
    service = django_filters.ModelChoiceFilter(
        label=_("Service"),
        queryset=Service.objects.order_by("name"),
        empty_label=_("All services"),
        widget=SELECT,
    )

    class Meta:
        model = Champion
        fields = ["department", "service"]


class FeedbackFilter(django_filters.FilterSet):
    """Feedback lists of the change office and the admin."""

    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=FeedbackStatus.choices,
        empty_label=_("Any status"),
        widget=SELECT,
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=FeedbackKind.choices, empty_label=_("Any kind"), widget=SELECT
    )
    service = django_filters.ModelChoiceFilter(
        label=_("Service"),
        queryset=Service.objects.order_by("name"),
        empty_label=_("Any service"),
        widget=SELECT,
    )
    department = django_filters.ModelChoiceFilter(
        label=_("Department"),
        queryset=Department.objects.order_by("name"),
        empty_label=_("Any department"),
        widget=SELECT,
    )

    class Meta:
        model = Feedback
        fields = ["status", "kind", "service", "department"]
