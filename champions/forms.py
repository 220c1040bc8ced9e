"""Forms of service rollouts: the Wagtail admin's service form."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm


class ServiceAdminForm(WagtailAdminModelForm):
    """The service form of the admin: one row per affected department, go-live dates sane."""

    def clean(self):
        cleaned = super().clean()
        formset = self.formsets.get("department_rollouts")
        if formset is None:
            return cleaned
        for form in formset.forms:
            form.is_valid()  # the inline rows are otherwise only cleaned after this form
        seen = set()
        for form in formset.forms:
            if not hasattr(form, "cleaned_data") or formset._should_delete_form(form):
                continue
            department = form.cleaned_data.get("department")
            if department is None:
                continue
            if department.pk in seen:
                form.add_error(
                    "department",
                    ValidationError(
                        _("%(department)s is listed twice. Keep one row per department."),
                        params={"department": department},
                        code="duplicate_department",
                    ),
                )
            seen.add(department.pk)
        return cleaned
