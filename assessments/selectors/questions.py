"""Read-side queries of the question bank."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from ..bank_io import imported_from_content
from ..interchange import export_moodle_xml
from ..models import Question, QuestionCategory


def questions_in_category(category: QuestionCategory | None) -> QuerySet[Question]:
    """Questions of a category and its sub-categories ("A" holds "A/B"), or all of them."""
    queryset = Question.objects.all()
    if category is not None:
        queryset = queryset.filter(
            Q(category=category) | Q(category__name__startswith=f"{category.name}/")
        )
    return queryset


def question_bank_export(*, category: QuestionCategory | None = None) -> bytes:
    """The bank (or one category with its sub-categories) as a Moodle XML file.

    Each question is written in its current version, with its competences as
    ``competence:<code>`` tags, so importing the file here or into Moodle keeps them.
    """
    questions = (
        questions_in_category(category)
        .filter(current_version__isnull=False)
        .select_related("category", "current_version")
        .prefetch_related("competences")
        .order_by("category__name", "name", "pk")
    )
    return export_moodle_xml(
        imported_from_content(
            name=question.name,
            category=question.category.name,
            content=question.current_version.content,
            competence_codes=[c.code for c in question.competences.all()],
        )
        for question in questions
    )
