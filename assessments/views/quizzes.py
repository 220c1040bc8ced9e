"""Staff-site quiz pages: start page, attempt page(s) and result page.

Thin views: the services start, save and grade attempts; the selectors build what the pages
show. A learner only ever reaches their own attempts (anyone else's id answers 404).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from courses.selectors import can_open_course, enrolment_for
from lms.permissions import role_required

from ..forms.quizzes import AttemptPageForm
from ..models import AttemptState
from ..selectors.quizzes import (
    attempt_for_user,
    attempt_pages,
    attempt_review,
    attempt_slot_views,
    live_quizzes,
    quiz_status,
    response_summary,
)
from ..services.quizzes import attempt_save, attempt_start, attempt_submit, quiz_course


def _quiz_for_learner(request, quiz_id: int):
    quiz = get_object_or_404(live_quizzes(), pk=quiz_id)
    course = quiz_course(quiz)
    if course is not None:
        enrolment = enrolment_for(user=request.user, course_id=course.pk)
        if not can_open_course(user=request.user, course=course, enrolment=enrolment):
            raise PermissionDenied
    return quiz, course


@role_required()
@require_http_methods(["GET", "POST"])
def quiz_start(request, quiz_id: int):
    """The quiz's rules and the person's attempts; POST starts (or resumes) an attempt."""
    quiz, course = _quiz_for_learner(request, quiz_id)
    if request.method == "POST":
        try:
            attempt = attempt_start(user=request.user, quiz=quiz)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("assessments:quiz_start", quiz_id=quiz.pk)
        return redirect("assessments:attempt", attempt_id=attempt.pk)
    status = quiz_status(user=request.user, quiz=quiz)
    question_count = quiz.fixed_questions.count() + sum(
        rule.count for rule in quiz.draw_rules.all()
    )
    return render(
        request,
        "assessments/quiz/start.html",
        {"quiz": quiz, "course": course, "status": status, "question_count": question_count},
    )


def _remaining_minutes(attempt) -> int | None:
    if attempt.deadline is None:
        return None
    seconds = (attempt.deadline - timezone.now()).total_seconds()
    return max(0, int((seconds + 59) // 60))


@role_required()
@require_http_methods(["GET", "POST"])
def attempt_page(request, attempt_id: int):
    """One page of an open attempt. "Save" keeps the answers, "Submit" grades the attempt."""
    attempt = attempt_for_user(user=request.user, attempt_id=attempt_id)
    if attempt is None:
        raise Http404
    if attempt.state != AttemptState.IN_PROGRESS:
        return redirect("assessments:attempt_result", attempt_id=attempt.pk)
    if attempt.deadline is not None and timezone.now() > attempt.deadline:
        attempt_submit(attempt=attempt)
        messages.warning(request, _("Time ran out. Your answers saved in time were graded."))
        return redirect("assessments:attempt_result", attempt_id=attempt.pk)
    pages = attempt_pages(attempt)
    try:
        page = min(max(int(request.GET.get("page", 1)), 1), pages)
    except ValueError:
        page = 1
    views = attempt_slot_views(attempt, page=page)
    form = AttemptPageForm(request.POST or None, slot_views=views)
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action", "save")
        if action == "submit":
            attempt = attempt_submit(attempt=attempt, responses=form.responses())
            if attempt.timed_out:
                messages.warning(
                    request, _("Time ran out. Your answers saved in time were graded.")
                )
            return redirect("assessments:attempt_result", attempt_id=attempt.pk)
        try:
            attempt = attempt_save(attempt=attempt, responses=form.responses())
        except ValidationError:
            return redirect("assessments:attempt_result", attempt_id=attempt.pk)
        if attempt.state != AttemptState.IN_PROGRESS:
            messages.warning(request, _("Time ran out. Your answers saved in time were graded."))
            return redirect("assessments:attempt_result", attempt_id=attempt.pk)
        target = page
        if action == "next":
            target = min(page + 1, pages)
        elif action == "previous":
            target = max(page - 1, 1)
        messages.success(request, _("Your answers are saved."))
        return redirect(f"{request.path}?page={target}")
    return render(
        request,
        "assessments/quiz/attempt.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "form": form,
            "page": page,
            "pages": pages,
            "remaining_minutes": _remaining_minutes(attempt),
        },
    )


@role_required()
def attempt_result(request, attempt_id: int):
    """The outcome of a submitted attempt, showing what the quiz settings allow."""
    attempt = attempt_for_user(user=request.user, attempt_id=attempt_id)
    if attempt is None:
        raise Http404
    if attempt.state == AttemptState.IN_PROGRESS:
        return redirect("assessments:attempt", attempt_id=attempt.pk)
    quiz = attempt.quiz
    review = attempt_review(attempt) if (quiz.show_correct_answers or quiz.show_feedback) else []
    rows = [(view, response_summary(view)) for view in review]
    status = quiz_status(user=request.user, quiz=quiz)
    return render(
        request,
        "assessments/quiz/result.html",
        {"attempt": attempt, "quiz": quiz, "rows": rows, "status": status},
    )
