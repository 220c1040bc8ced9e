"""Wagtail admin of assessments: the question bank (categories, questions, import, export) and
quizzes (with inline fixed questions and random-draw rules, reports and preview)."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from lms.permissions import has_role
from lms.roles import Role

from .filters import QuestionFilterSet, QuizFilterSet
from .forms.questions import QuestionAdminForm
from .models import Question, QuestionCategory, Quiz
from .services.questions import question_create, question_update
from .views.admin import (
    QuestionBankExportView,
    QuestionBankImportView,
    QuizItemAnalysisView,
    QuizPreviewView,
    QuizReportsView,
)


class QuestionCreateView(generic.CreateView):
    def save_instance(self):
        form = self.form
        return question_create(
            category=form.cleaned_data["category"],
            name=form.cleaned_data["name"],
            content=form.content,
            competences=list(form.cleaned_data.get("competences") or []),
            actor=self.request.user,
        )


class QuestionEditView(generic.EditView):
    def save_instance(self):
        form = self.form
        question = form.instance
        return question_update(
            question=question,
            content=form.content,
            competences=list(form.cleaned_data.get("competences") or []),
            actor=self.request.user,
        )


class QuestionCategoryViewSet(ModelViewSet):
    """Folders of the question bank."""

    model = QuestionCategory
    icon = "folder-open-inverse"
    menu_label = _("Question categories")
    form_fields = ["name", "description"]
    search_fields = ["name", "description"]
    list_display = ["name", "description"]
    ordering = ["name"]
    copy_view_enabled = False


class QuestionViewSet(ModelViewSet):
    """Questions; a changed question gets a new version and attempts keep theirs."""

    model = Question
    icon = "help"
    menu_label = _("Questions")
    add_view_class = QuestionCreateView
    edit_view_class = QuestionEditView
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("category"), FieldPanel("name")]),
            FieldPanel("text"),
            FieldPanel("answers"),
            FieldRowPanel([FieldPanel("case_sensitive"), FieldPanel("shuffle")]),
            MultiFieldPanel(
                [
                    FieldPanel("general_feedback"),
                    FieldPanel("correct_feedback"),
                    FieldPanel("partially_correct_feedback"),
                    FieldPanel("incorrect_feedback"),
                ],
                heading=_("Feedback"),
            ),
            FieldPanel("competences"),
            FieldPanel("is_active"),
        ],
        base_form_class=QuestionAdminForm,
    )
    filterset_class = QuestionFilterSet
    search_fields = ["name"]
    list_display = [
        "name",
        "category",
        Column("qtype", label=_("Type"), accessor="get_qtype_display"),
        Column("is_active", label=_("In use")),
        "updated_at",
    ]
    list_per_page = 50
    ordering = ["category__name", "name"]
    copy_view_enabled = False

    def get_queryset(self, request):
        return Question.objects.select_related("category")


class QuizViewSet(ModelViewSet):
    """Quizzes with their fixed questions and random-draw rules inline."""

    model = Quiz
    icon = "tasks"
    menu_label = _("Quizzes")
    filterset_class = QuizFilterSet
    search_fields = ["title"]
    list_display = ["title", "course", "lesson", "pass_mark", Column("is_live", label=_("Open"))]
    ordering = ["title"]
    copy_view_enabled = False

    def get_queryset(self, request):
        return Quiz.objects.select_related("course", "lesson")


class AssessmentsViewSetGroup(ViewSetGroup):
    items = (
        QuizViewSet("assessments_quizzes"),
        QuestionViewSet("assessments_questions"),
        QuestionCategoryViewSet("assessments_question_categories"),
    )
    menu_label = _("Quizzes & questions")
    menu_icon = "tasks"
    menu_order = 250


class _RoleMenuItem(MenuItem):
    def __init__(self, *args, roles: tuple[Role, ...], **kwargs):
        super().__init__(*args, **kwargs)
        self.roles = roles

    def is_shown(self, request):
        return has_role(request.user, *self.roles)


@hooks.register("register_admin_viewset")
def register_assessments_viewsets():
    return AssessmentsViewSetGroup()


@hooks.register("register_admin_urls")
def register_assessments_admin_urls():
    return [
        path(
            "question-bank/import/",
            QuestionBankImportView.as_view(),
            name="assessments_bank_import",
        ),
        path(
            "question-bank/export/",
            QuestionBankExportView.as_view(),
            name="assessments_bank_export",
        ),
        path("quiz-reports/", QuizReportsView.as_view(), name="assessments_quiz_reports"),
        path(
            "quiz-reports/<int:quiz_id>/items/",
            QuizItemAnalysisView.as_view(),
            name="assessments_quiz_item_analysis",
        ),
        path(
            "quiz-reports/<int:quiz_id>/preview/",
            QuizPreviewView.as_view(),
            name="assessments_quiz_preview",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_quiz_reports_menu_item():
    return _RoleMenuItem(
        _("Quiz item analysis"),
        reverse("assessments_quiz_reports"),
        icon_name="table",
        order=700,
        roles=(Role.CONTENT_EDITOR, Role.HR_ADMIN),
    )


@hooks.register("register_admin_menu_item")
def register_bank_import_menu_item():
    return _RoleMenuItem(
        _("Import / export questions"),
        reverse("assessments_bank_import"),
        icon_name="upload",
        order=251,
        roles=(Role.CONTENT_EDITOR,),
    )


# Certificates and self-assessment admin screens (another engineer's module).
from . import admin_certificates  # noqa: E402, F401
