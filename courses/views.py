"""Staff-site views of courses: the catalogue, /my-learning/, and the POST endpoints of the
course and lesson pages (enrol, mark a lesson complete, answer a knowledge check).

Course and lesson pages themselves are served by Wagtail (``CoursePage.serve``,
``LessonPage.serve``). Every POST here redirects, so a reload or the back button never
submits twice.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lms.permissions import role_required

from . import selectors, services
from .filters import CourseCatalogueFilterSet
from .models import CoursePage, EnrolmentSource, LessonPage

CATALOGUE_PAGE_SIZE = 12


@require_GET
@role_required()
def catalogue(request):
    """The course catalogue: filters (GET, so the URL remembers them), search, pagination."""
    filterset = CourseCatalogueFilterSet(
        request.GET or None, queryset=selectors.courses_for_user(request.user), request=request
    )
    paginator = Paginator(filterset.qs, CATALOGUE_PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "courses/catalogue.html",
        {
            "catalogue_page": selectors.catalogue_page(),
            "filterset": filterset,
            "form": filterset.form,
            "page_obj": page_obj,
            "courses": page_obj.object_list,
            "query_string": query.urlencode(),
            "filtered": bool(request.GET.keys() - {"page"}),
        },
    )


@require_GET
@role_required()
def my_learning(request):
    """The person's own learning, plus panels other apps add (certificates, …)."""
    learning = selectors.my_learning(user=request.user)
    panels = selectors.my_learning_panels(request)
    return render(request, "courses/my_learning.html", {"learning": learning, "panels": panels})


@require_POST
@role_required()
def enrol(request, course_id: int):
    """Self-enrolment, then straight to the first lesson (or where the person left off)."""
    course = get_object_or_404(CoursePage.objects.live(), pk=course_id)
    try:
        services.enrolment_create(user=request.user, course=course, source=EnrolmentSource.SELF)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(course.get_url(request))
    context = selectors.course_page_context(user=request.user, course=course)
    next_lesson = context["next_lesson"]
    messages.success(request, _("You are enrolled on “%(course)s”.") % {"course": course.title})
    return redirect((next_lesson or course).get_url(request))


def _lesson_or_404(request, lesson_id: int) -> LessonPage:
    lesson = get_object_or_404(LessonPage.objects.live(), pk=lesson_id)
    course = lesson.get_parent().specific
    enrolment = selectors.enrolment_for(user=request.user, course_id=course.pk)
    if not selectors.can_open_course(user=request.user, course=course, enrolment=enrolment):
        raise PermissionDenied
    return lesson


@require_POST
@role_required()
def lesson_complete(request, lesson_id: int):
    """Mark a lesson complete and continue to the next one (or back to the course)."""
    lesson = _lesson_or_404(request, lesson_id)
    try:
        result = services.lesson_complete(user=request.user, lesson=lesson)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(lesson.get_url(request))
    context = selectors.lesson_page_context(user=request.user, lesson=lesson)
    course = context["course"]
    if result.course_completed_now:
        messages.success(
            request,
            _("Well done: you have completed “%(course)s”.") % {"course": course.title},
        )
        return redirect(course.get_url(request))
    if context["next_lesson"] is not None:
        return redirect(context["next_lesson"].get_url(request))
    messages.info(request, _("You have reached the end of the lessons."))
    return redirect(course.get_url(request))


@require_POST
@role_required()
def knowledge_check(request, lesson_id: int, block_id: str):
    """Grade a knowledge-check answer on the server; the lesson shows the feedback."""
    lesson = _lesson_or_404(request, lesson_id)
    block = selectors.knowledge_check_block(lesson, block_id)
    if block is None:
        raise PermissionDenied
    anchor = f"#kc-{block_id}"
    try:
        choice_index = int(request.POST.get("answer", ""))
    except ValueError:
        choice_index = -1
    if selectors.knowledge_check_grade(block=block, choice_index=choice_index) is None:
        messages.error(request, _("Choose one of the answers, then check it."))
        return redirect(lesson.get_url(request) + anchor)
    answers = request.session.get(selectors.KNOWLEDGE_CHECK_SESSION_KEY, {})
    answers.setdefault(str(lesson.pk), {})[block_id] = choice_index
    request.session[selectors.KNOWLEDGE_CHECK_SESSION_KEY] = answers
    return redirect(lesson.get_url(request) + anchor)
