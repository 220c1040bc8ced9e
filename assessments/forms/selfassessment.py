"""Forms of the digital-skills self-assessment."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class SelfAssessmentStepForm(forms.Form):
    """One step of the skills check: each statement of one area, rated on the framework levels.

    Fields are named ``statement_<id>``. Every statement must be rated to go on, but going
    back keeps what was rated so far.
    """

    def __init__(self, *args, statements, levels, initial_answers=None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(level.number, f"{level.number} – {level.name}") for level in levels]
        initial_answers = initial_answers or {}
        self.statements = list(statements)
        for statement in self.statements:
            self.fields[self.field_name(statement)] = forms.TypedChoiceField(
                label=statement.text,
                choices=choices,
                coerce=int,
                widget=forms.RadioSelect,
                initial=initial_answers.get(statement.pk),
                error_messages={"required": _("Choose the level that fits you best.")},
            )

    @staticmethod
    def field_name(statement) -> str:
        return f"statement_{statement.pk}"

    def answers(self) -> dict[int, int]:
        """Statement id → level, from the cleaned data."""
        return {
            statement.pk: self.cleaned_data[self.field_name(statement)]
            for statement in self.statements
            if self.cleaned_data.get(self.field_name(statement)) is not None
        }

    def rows(self):
        """(statement, bound field) pairs, for the template."""
        return [(statement, self[self.field_name(statement)]) for statement in self.statements]
