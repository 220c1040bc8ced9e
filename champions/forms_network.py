"""Forms of the champion network and the feedback loop. They parse input; services decide."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from lms.models import Department

from .models import (
    Badge,
    Champion,
    ChampionStatus,
    FeedbackKind,
    FeedbackStatus,
    Service,
    ServicePhase,
)
from .services.feedback import CHANGE_OFFICE_STATUSES
from .services.network import Decision

User = get_user_model()

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.get_username()


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.get_username()


class ChampionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.service.name} · {obj.department.name}"


def _input(**attrs):
    return forms.TextInput(attrs={"class": "usa-input", **attrs})


def _select():
    return forms.Select(attrs={"class": "usa-select"})


def _textarea(rows: int = 4):
    return forms.Textarea(attrs={"class": "usa-textarea", "rows": rows})


def active_services():
    return Service.objects.exclude(phase=ServicePhase.RETIRED).order_by("name")


class NominationForm(forms.Form):
    nominee = PersonChoiceField(
        label=_("Who"), queryset=User.objects.none(), widget=_select(), empty_label=None
    )
    service = forms.ModelChoiceField(
        label=_("Service"), queryset=Service.objects.none(), widget=_select()
    )
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.order_by("name"),
        required=False,
        widget=_select(),
        help_text=_("Leave empty for the person's own department."),
    )
    motivation = forms.CharField(
        label=_("Why would they make a good champion?"),
        required=False,
        max_length=2000,
        widget=_textarea(),
    )

    def __init__(self, *args, user, reports, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nominee"].queryset = User.objects.filter(
            pk__in=[user.pk, *[r.user_id for r in reports]]
        ).order_by("last_name", "first_name")
        self.fields["nominee"].initial = user.pk
        self.fields["service"].queryset = active_services()


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(Decision.APPROVE, _("Approve")), (Decision.DECLINE, _("Decline"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=_textarea(3),
        help_text=_("Required when you decline. The nominee reads it."),
    )


class MenteeAddForm(forms.Form):
    mentee = PersonChoiceField(label=_("Colleague"), queryset=User.objects.none(), widget=_select())

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentee"].queryset = User.objects.filter(
            pk__in=candidates.values("user_id")
        ).order_by("last_name", "first_name")


class MentoringSessionForm(forms.Form):
    champion = ChampionChoiceField(
        label=_("Service"), queryset=Champion.objects.none(), widget=_select(), empty_label=None
    )
    held_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"class": "usa-input", "type": "date"})
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"),
        min_value=1,
        max_value=480,
        widget=forms.NumberInput(attrs={"class": "usa-input usa-input--small"}),
    )
    topic = forms.CharField(label=_("Topic"), max_length=200, widget=_input())
    attendees = PeopleChoiceField(
        label=_("Mentees who attended"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=_textarea())
    follow_ups = forms.CharField(label=_("Follow-ups"), required=False, widget=_textarea(3))

    def __init__(self, *args, championships, mentee_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["champion"].queryset = championships
        self.fields["attendees"].queryset = User.objects.filter(pk__in=mentee_ids).order_by(
            "last_name", "first_name"
        )


class OfficeHoursForm(forms.Form):
    champion = ChampionChoiceField(
        label=_("Service"), queryset=Champion.objects.none(), widget=_select(), empty_label=None
    )
    starts_at = forms.DateTimeField(
        label=_("Starts at"),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(
            format=DATETIME_LOCAL, attrs={"class": "usa-input", "type": "datetime-local"}
        ),
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"),
        min_value=1,
        max_value=480,
        initial=60,
        widget=forms.NumberInput(attrs={"class": "usa-input usa-input--small"}),
    )
    capacity = forms.IntegerField(
        label=_("Seats"),
        min_value=1,
        max_value=500,
        initial=8,
        widget=forms.NumberInput(attrs={"class": "usa-input usa-input--small"}),
    )
    location = forms.CharField(label=_("Location or link"), max_length=200, widget=_input())
    topic = forms.CharField(label=_("Topic"), max_length=200, required=False, widget=_input())

    def __init__(self, *args, championships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["champion"].queryset = championships


class FeedbackForm(forms.Form):
    service = forms.ModelChoiceField(
        label=_("Service"), queryset=Service.objects.none(), widget=_select()
    )
    kind = forms.ChoiceField(
        label=_("What is it?"), choices=FeedbackKind.choices, widget=forms.RadioSelect
    )
    title = forms.CharField(label=_("Summary"), max_length=200, widget=_input())
    body = forms.CharField(label=_("Details"), max_length=5000, widget=_textarea(6))
    department = forms.ModelChoiceField(
        label=_("Your department"),
        queryset=Department.objects.order_by("name"),
        widget=_select(),
        help_text=_("Your question goes to the champions of this department."),
    )
    anonymous = forms.BooleanField(
        label=_("Send anonymously"),
        required=False,
        help_text=_(
            "Your name is not stored at all. You will not get e-mails about it and it will "
            "not appear on your list; the answer is published on the service's "
            "\u201cyou said, we did\u201d page."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = active_services()


class FeedbackAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"),
        max_length=5000,
        widget=_textarea(5),
        help_text=_("Staff see this answer on the service's \u201cyou said, we did\u201d page."),
    )


class FeedbackEscalateForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the change office"),
        required=False,
        max_length=2000,
        widget=_textarea(3),
    )


class FeedbackStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Outcome"),
        choices=[(s.value, s.label) for s in FeedbackStatus if s in CHANGE_OFFICE_STATUSES],
        widget=_select(),
    )
    public_answer = forms.CharField(
        label=_("What changed, or why not"),
        max_length=5000,
        widget=_textarea(5),
        help_text=_("Published on the service's \u201cyou said, we did\u201d page."),
    )


class BadgeAwardForm(forms.Form):
    user = PersonChoiceField(label=_("Champion"), queryset=User.objects.none(), widget=_select())
    badge = forms.ModelChoiceField(
        label=_("Badge"), queryset=Badge.objects.filter(is_active=True), widget=_select()
    )
    reason = forms.CharField(label=_("What is it for?"), max_length=2000, widget=_textarea(3))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (
            User.objects.filter(championships__status=ChampionStatus.APPROVED)
            .distinct()
            .order_by("last_name", "first_name")
        )
