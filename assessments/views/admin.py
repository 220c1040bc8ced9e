"""Wagtail admin pages of the question bank and quizzes (registered in ``wagtail_hooks``):
import and export of question banks, quiz reports (item analysis) and the quiz preview."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from lms.permissions import has_role
from lms.roles import Role

from ..forms.quizzes import QuestionBankExportForm, QuestionBankUploadForm
from ..models import AttemptQuestion, Quiz
from ..selectors.questions import question_bank_export
from ..selectors.quizzes import (
    quiz_attempt_summary,
    quiz_item_analysis,
    right_answer_texts,
    slot_view,
)
from ..services.questions import question_bank_import
from ..services.quizzes import quiz_draw

EDITOR_ROLES = (Role.CONTENT_EDITOR,)
REPORT_ROLES = (Role.CONTENT_EDITOR, Role.HR_ADMIN)


class _RoleRequiredMixin:
    roles: tuple[Role, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        if not has_role(request.user, *self.roles):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class QuestionBankImportView(_RoleRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """Upload a Moodle XML or GIFT file; the report lists what was imported and skipped."""

    roles = EDITOR_ROLES
    template_name = "assessments/bank/import.html"
    page_title = _("Import questions")
    header_icon = "upload"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", QuestionBankUploadForm())
        return context

    def post(self, request, *args, **kwargs):
        form = QuestionBankUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            report = question_bank_import(
                data=form.cleaned_data["file"],
                category_name=form.cleaned_data["category"] or None,
                dry_run=form.cleaned_data["dry_run"],
                actor=request.user,
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error("file", message)
            return self.render_to_response(self.get_context_data(form=form))
        if not report.dry_run:
            messages.success(
                request,
                _("%(count)d question(s) imported.") % {"count": len(report.imported)},
            )
        return self.render_to_response(self.get_context_data(form=form, report=report))


class QuestionBankExportView(_RoleRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """Download the bank, or one category, as Moodle XML."""

    roles = EDITOR_ROLES
    template_name = "assessments/bank/export.html"
    page_title = _("Export questions")
    header_icon = "download"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", QuestionBankExportForm(self.request.GET or None))
        return context

    def post(self, request, *args, **kwargs):
        form = QuestionBankExportForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        category = form.cleaned_data["category"]
        data = question_bank_export(category=category)
        name = slugify(category.name) if category else "question-bank"
        response = HttpResponse(data, content_type="application/xml; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name or "questions"}.xml"'
        return response


class QuizReportsView(_RoleRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """Every quiz with links to its item analysis and preview."""

    roles = REPORT_ROLES
    template_name = "assessments/quiz/admin_reports.html"
    page_title = _("Quiz reports")
    header_icon = "list-ul"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["quizzes"] = Quiz.objects.select_related("course", "lesson").order_by("title", "pk")
        context["can_preview"] = has_role(self.request.user, *EDITOR_ROLES)
        return context


class QuizItemAnalysisView(_RoleRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """Per question of a quiz: attempts, how often answered right, average score."""

    roles = REPORT_ROLES
    template_name = "assessments/quiz/admin_item_analysis.html"
    header_icon = "table"

    def get_page_title(self):
        return _("Item analysis")

    def get_page_subtitle(self):
        return str(self.quiz)

    def dispatch(self, request, *args, **kwargs):
        self.quiz = get_object_or_404(Quiz, pk=kwargs["quiz_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            quiz=self.quiz,
            rows=quiz_item_analysis(self.quiz),
            summary=quiz_attempt_summary(self.quiz),
        )
        return context


class QuizPreviewView(_RoleRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """Editors: one sample draw of a quiz as a learner would get it, with the right answers.

    Nothing is saved; "Another sample" draws with a new seed.
    """

    roles = EDITOR_ROLES
    template_name = "assessments/quiz/admin_preview.html"
    header_icon = "view"

    def get_page_title(self):
        return _("Preview")

    def get_page_subtitle(self):
        return str(self.quiz)

    def dispatch(self, request, *args, **kwargs):
        self.quiz = get_object_or_404(Quiz, pk=kwargs["quiz_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            seed = int(self.request.GET["seed"])
        except (KeyError, ValueError):
            seed = secrets.randbits(31)
        views = []
        for position, item in enumerate(quiz_draw(quiz=self.quiz, seed=seed), start=1):
            slot = AttemptQuestion(position=position, version=item.version, max_mark=item.marks)
            view = slot_view(slot, seed=seed, shuffle=self.quiz.shuffle_options)
            view.right_answer = right_answer_texts(item.version.content)
            views.append(view)
        context.update(quiz=self.quiz, views=views, seed=seed)
        return context
