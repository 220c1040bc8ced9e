"""Admin forms of HR: a staff profile with its user account, and the roster upload."""

from __future__ import annotations

import re

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminDateInput

from lms.models import Curriculum, Department, JobRole, RoleFamily, StaffProfile
from lms.permissions import hr_department_scope

User = get_user_model()


class StaffProfileAdminForm(WagtailAdminModelForm):
    """The profile plus the linked user's name, e-mail and active state, and "mark as leaver"."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"))
    is_active = forms.BooleanField(label=_("Can sign in"), required=False, initial=True)
    mark_leaver = forms.BooleanField(
        label=_("Mark as leaver"),
        required=False,
        help_text=_("They can no longer sign in; all their training history is kept."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.instance, "user", None) if self.instance.user_id else None
        if user is not None:
            self.fields["first_name"].initial = user.first_name
            self.fields["last_name"].initial = user.last_name
            self.fields["email"].initial = user.email
            self.fields["is_active"].initial = user.is_active
        scope = hr_department_scope(self.for_user) if self.for_user else None
        if scope is not None and "department" in self.fields:
            self.fields["department"].queryset = Department.objects.filter(pk__in=scope)
            self.fields["department"].required = True

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        clash = User.objects.filter(email__iexact=email)
        if self.instance.user_id:
            clash = clash.exclude(pk=self.instance.user_id)
        if clash.exists():
            raise forms.ValidationError(_("Another person already uses this e-mail address."))
        return email


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Roster file"), help_text=_("CSV (UTF-8) or XLSX, with the columns documented.")
    )
    deactivate_missing = forms.BooleanField(
        label=_("Mark active staff missing from the file as leavers"), required=False
    )


class AssignmentRuleAdminForm(WagtailAdminModelForm):
    """An assignment rule; role families as checkboxes."""

    role_families = forms.MultipleChoiceField(
        label=_("Role families"),
        required=False,
        choices=RoleFamily.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean(self):
        data = super().clean()
        # Said here, at the field, rather than as the model constraint's bare message.
        if bool(data.get("course")) == bool(data.get("curriculum")):
            self.add_error("course", _("Choose either a course or a curriculum (one of them)."))
        return data


class AssignTrainingForm(forms.Form):
    """The admin's one-off "Assign training": a course or curriculum to a set of people."""

    course = forms.ModelChoiceField(label=_("Course"), queryset=None, required=False)
    curriculum = forms.ModelChoiceField(
        label=_("Curriculum"), queryset=Curriculum.objects.none(), required=False
    )
    departments = forms.ModelMultipleChoiceField(
        label=_("Departments"),
        queryset=Department.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    include_subdepartments = forms.BooleanField(
        label=_("Include sub-departments"), required=False, initial=True
    )
    job_roles = forms.ModelMultipleChoiceField(
        label=_("Job roles"),
        queryset=JobRole.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("With departments too: only people with these roles in those departments."),
    )
    people = forms.CharField(
        label=_("Individual people"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Employee IDs or e-mail addresses, separated by commas or new lines."),
    )
    due_date = forms.DateField(label=_("Due date"), required=False, widget=AdminDateInput)
    required = forms.BooleanField(
        label=_("Required"),
        required=False,
        initial=True,
        help_text=_("Untick to recommend the training instead."),
    )

    def __init__(self, *args, scope: set[int] | None = None, **kwargs):
        from courses.models import CoursePage

        super().__init__(*args, **kwargs)
        self.scope = scope
        self.fields["course"].queryset = CoursePage.objects.live().order_by("title")
        self.fields["curriculum"].queryset = Curriculum.objects.filter(is_active=True).order_by(
            "name"
        )
        departments = Department.objects.order_by("name")
        self.fields["departments"].queryset = (
            departments if scope is None else departments.filter(pk__in=scope)
        )
        self.fields["job_roles"].queryset = JobRole.objects.order_by("name")

    def clean_people(self) -> list[int]:
        """Profile ids of the people listed; unknown (or out-of-scope) entries are an error."""
        tokens = [t.strip() for t in re.split(r"[,;\s]+", self.cleaned_data["people"]) if t.strip()]
        if not tokens:
            return []
        profiles = StaffProfile.objects.filter(
            Q(employee_id__in=tokens) | Q(user__email__in=[t.lower() for t in tokens])
        )
        if self.scope is not None:
            profiles = profiles.filter(department_id__in=self.scope)
        found = {}
        for pk, employee_id, email in profiles.values_list("pk", "employee_id", "user__email"):
            found[employee_id] = pk
            found[(email or "").lower()] = pk
        unknown = [t for t in tokens if t not in found and t.lower() not in found]
        if unknown:
            raise forms.ValidationError(
                _("No member of staff you manage has this ID or e-mail: %(values)s.")
                % {"values": ", ".join(unknown)}
            )
        return sorted({found.get(t) or found[t.lower()] for t in tokens})

    def clean(self):
        data = super().clean()
        if bool(data.get("course")) == bool(data.get("curriculum")):
            raise forms.ValidationError(_("Choose either a course or a curriculum (one of them)."))
        if not (data.get("departments") or data.get("job_roles") or data.get("people")):
            if not self.has_error("people"):
                raise forms.ValidationError(
                    _("Choose who gets the training: departments, job roles or people.")
                )
        return data
