"""Forms of the quiz pages: one attempt page, and the question-bank upload in the admin.

``AttemptPageForm`` turns posted fields into responses in the shape ``assessments.grading``
documents. Field names are ``q<position>`` (and ``q<position>_<row>`` for matching and
ordering rows), so a page never reveals anything about which option is right.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lms.uploads import validate_upload

from ..selectors.quizzes import SlotView

CHOICE_TYPES = ("single_choice", "true_false")


class AttemptPageForm(forms.Form):
    """The questions of one attempt page. Every answer is optional: a blank counts as wrong."""

    def __init__(self, *args, slot_views: list[SlotView], **kwargs):
        super().__init__(*args, **kwargs)
        self.slot_views = slot_views
        for view in slot_views:
            name = f"q{view.position}"
            saved = view.slot.response
            option_choices = [(str(o.value), o.text) for o in view.options]
            if view.qtype in CHOICE_TYPES:
                self.fields[name] = forms.ChoiceField(
                    choices=option_choices, required=False, widget=forms.RadioSelect
                )
                self.initial[name] = "" if saved is None else str(saved)
            elif view.qtype == "multiple_response":
                self.fields[name] = forms.MultipleChoiceField(
                    choices=option_choices, required=False, widget=forms.CheckboxSelectMultiple
                )
                self.initial[name] = [str(v) for v in (saved or [])]
            elif view.qtype in ("short_text", "numeric"):
                attrs = {"class": "usa-input", "autocomplete": "off"}
                if view.qtype == "numeric":
                    attrs["inputmode"] = "decimal"
                self.fields[name] = forms.CharField(
                    required=False,
                    max_length=500,
                    label=_("Your answer"),
                    widget=forms.TextInput(attrs=attrs),
                )
                self.initial[name] = saved or ""
            elif view.qtype in ("matching", "ordering"):
                saved = saved if isinstance(saved, dict) else {}
                for row_index, row_text in view.rows:
                    row_name = f"{name}_{row_index}"
                    self.fields[row_name] = forms.ChoiceField(
                        choices=[("", _("Choose…")), *option_choices],
                        required=False,
                        label=row_text,
                        widget=forms.Select(attrs={"class": "usa-select"}),
                    )
                    self.initial[row_name] = str(saved.get(str(row_index), ""))

    def groups(self) -> list[tuple[SlotView, list]]:
        """(slot view, bound fields) per question, for the template."""
        result = []
        for view in self.slot_views:
            name = f"q{view.position}"
            if view.qtype in ("matching", "ordering"):
                fields = [self[f"{name}_{row_index}"] for row_index, _text in view.rows]
            else:
                fields = [self[name]]
            result.append((view, fields))
        return result

    def responses(self) -> dict[int, object]:
        """The cleaned answers by question position (call after ``is_valid()``)."""
        data = self.cleaned_data
        result: dict[int, object] = {}
        for view in self.slot_views:
            name = f"q{view.position}"
            if view.qtype in CHOICE_TYPES:
                value = data.get(name)
                result[view.position] = int(value) if value not in (None, "") else None
            elif view.qtype == "multiple_response":
                result[view.position] = sorted(int(v) for v in data.get(name) or [])
            elif view.qtype in ("short_text", "numeric"):
                result[view.position] = (data.get(name) or "").strip()
            else:
                result[view.position] = {
                    str(row_index): int(data[f"{name}_{row_index}"])
                    for row_index, _text in view.rows
                    if data.get(f"{name}_{row_index}") not in (None, "")
                }
        return result


class QuestionBankUploadForm(forms.Form):
    """Upload a Moodle XML or GIFT file to import into the question bank."""

    file = forms.FileField(
        label=_("Question file"),
        help_text=_("A Moodle XML (.xml) or GIFT (.txt, .gift) file as Moodle exports it."),
    )
    category = forms.CharField(
        label=_("Put every question in this category"),
        required=False,
        max_length=255,
        help_text=_("Leave empty to keep the categories written in the file."),
    )
    dry_run = forms.BooleanField(label=_("Check the file only (import nothing)"), required=False)

    def clean_file(self) -> bytes:
        data, _kind = validate_upload(self.cleaned_data["file"], allowed={"xml", "gift"})
        return data


class QuestionBankExportForm(forms.Form):
    """Choose what to download as Moodle XML."""

    category = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("Category"),
        empty_label=_("The whole bank"),
        help_text=_("Sub-categories are included."),
    )

    def __init__(self, *args, **kwargs):
        from ..models import QuestionCategory

        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = QuestionCategory.objects.order_by("name")
