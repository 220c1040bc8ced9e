"""The question form of the Wagtail admin.

Options and their feedback are edited as a GIFT answer block (``assessments.bank_io``), one
option per line, so every question type can be written in one box with the syntax editors know
from Moodle. Saving goes through ``assessments.services.questions``: a changed question gets a
new version, and attempts keep the version they showed.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from ..bank_io import AnswerBlockError, content_from_gift_answers, gift_answer_block

FEEDBACK_FIELDS = (
    "general_feedback",
    "correct_feedback",
    "partially_correct_feedback",
    "incorrect_feedback",
)


class QuestionAdminForm(WagtailAdminModelForm):
    """A question's bank fields plus its content (text, options, feedback)."""

    text = forms.CharField(
        label=_("Question text"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("HTML is allowed (paragraphs, lists, bold, links)."),
    )
    answers = forms.CharField(
        label=_("Answers (GIFT syntax)"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "One per line. Single choice: “=right#feedback” and “~wrong#feedback”. Multiple "
            "response: “~%50%right” and “~%-100%wrong”. True/false: “TRUE” or “FALSE”. Short "
            "text: “=answer” lines only. Numeric: “#=30:2” (30 ± 2). Matching: “=prompt -> "
            "answer”. Ordering: “>4 ALL VERTICAL” then the items in the right order."
        ),
    )
    case_sensitive = forms.BooleanField(label=_("Short text: match case"), required=False)
    shuffle = forms.BooleanField(label=_("Options may be shuffled"), required=False, initial=True)
    general_feedback = forms.CharField(
        label=_("General feedback"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    correct_feedback = forms.CharField(
        label=_("Feedback when right"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    partially_correct_feedback = forms.CharField(
        label=_("Feedback when partly right"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    incorrect_feedback = forms.CharField(
        label=_("Feedback when wrong"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        version = self.instance.current_version if self.instance.pk else None
        if version is not None:
            content = version.content
            self.initial.setdefault("text", content.get("text", ""))
            self.initial.setdefault("answers", gift_answer_block(content))
            self.initial.setdefault("case_sensitive", content.get("case_sensitive", False))
            self.initial.setdefault("shuffle", content.get("shuffle", True))
            for name in FEEDBACK_FIELDS:
                self.initial.setdefault(name, content.get(name, ""))
        self.content: dict | None = None

    def clean(self):
        cleaned = super().clean()
        block = cleaned.get("answers")
        if not block:
            return cleaned
        try:
            parsed = content_from_gift_answers(block)
        except AnswerBlockError as error:
            self.add_error("answers", str(error))
            return cleaned
        previous = (
            self.instance.current_version.content
            if self.instance.pk and self.instance.current_version
            else {}
        )
        content = {
            "qtype": parsed["qtype"],
            "text": cleaned.get("text", ""),
            "text_format": "html",
            "choices": parsed["choices"],
            "answers": parsed["answers"],
            "case_sensitive": bool(cleaned.get("case_sensitive")),
            "pairs": parsed["pairs"],
            "order": parsed["order"],
            "shuffle": bool(cleaned.get("shuffle")),
            "default_mark": previous.get("default_mark", 1.0),
            "tags": previous.get("tags", []),
        }
        for name in FEEDBACK_FIELDS:
            content[name] = cleaned.get(name) or ""
        if not content["general_feedback"] and parsed.get("general_feedback"):
            content["general_feedback"] = parsed["general_feedback"]
        self.content = content
        return cleaned
