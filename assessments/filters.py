"""Filters of the question bank and quiz lists in the Wagtail admin."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from courses.models import Competence

from .models import Question, QuestionCategory, QuestionType, Quiz


class QuestionFilterSet(django_filters.FilterSet):
    """Questions by category (with sub-categories), type, competence and whether in use."""

    category = django_filters.ModelChoiceFilter(
        label=_("Category"),
        queryset=QuestionCategory.objects.order_by("name"),
        method="filter_category",
        empty_label=_("Any category"),
    )
    qtype = django_filters.ChoiceFilter(
        label=_("Type"), choices=QuestionType.choices, empty_label=_("Any type")
    )
    competences = django_filters.ModelChoiceFilter(
        label=_("Competence"),
        queryset=Competence.objects.select_related("framework").order_by("framework", "code"),
        empty_label=_("Any competence"),
    )
    is_active = django_filters.BooleanFilter(label=_("In use"))

    class Meta:
        model = Question
        fields = ["category", "qtype", "competences", "is_active"]

    def filter_category(self, queryset, name, value):
        from .selectors.questions import questions_in_category

        if not value:
            return queryset
        return queryset.filter(pk__in=questions_in_category(value).values("pk"))


class QuizFilterSet(django_filters.FilterSet):
    """Quizzes by whether they are open to learners and by what they are attached to."""

    is_live = django_filters.BooleanFilter(label=_("Open to learners"))
    final = django_filters.BooleanFilter(
        label=_("Course final quiz"), field_name="course", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = Quiz
        fields = ["is_live", "final"]
