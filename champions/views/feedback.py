"""Staff-site views of the feedback loop ("you said, we did")."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lms.permissions import has_role, role_required
from lms.roles import Role

from ..filters_network import FeedbackFilter
from ..forms_network import (
    FeedbackAnswerForm,
    FeedbackEscalateForm,
    FeedbackForm,
    FeedbackStatusForm,
    active_services,
)
from ..models import Feedback, FeedbackStatus, Service
from ..selectors.feedback import (
    feedback_for_responder,
    feedback_of_author,
    feedback_queue,
    you_said_we_did,
)
from ..services.feedback import (
    feedback_answer,
    feedback_create,
    feedback_escalate,
    feedback_set_status,
)
from .network import apply_errors, paginate


@role_required()
@require_http_methods(["GET", "POST"])
def create(request):
    """Raise a concern, question or idea about a service, optionally anonymously."""
    profile = getattr(request.user, "profile", None)
    initial = {"department": profile.department_id if profile is not None else None}
    if request.GET.get("service"):
        initial["service"] = request.GET["service"]
    form = FeedbackForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            feedback_create(
                user=request.user,
                service=data["service"],
                department=data["department"],
                kind=data["kind"],
                title=data["title"],
                body=data["body"],
                anonymous=data["anonymous"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if data["anonymous"]:
                messages.success(
                    request,
                    _(
                        "Thank you. Your feedback was sent without your name; look for the "
                        "answer on the service's \u201cyou said, we did\u201d page."
                    ),
                )
                return redirect("champions:you_said_we_did", slug=data["service"].slug)
            messages.success(request, _("Thank you. The champions of your department will answer."))
            return redirect("champions:feedback_mine")
    return render(
        request,
        "champions/feedback/create.html",
        {"form": form, "services": list(active_services())},
    )


@role_required()
def mine(request):
    """The items a person raised under their own name, with the answers."""
    page, query = paginate(request, feedback_of_author(request.user))
    return render(request, "champions/feedback/mine.html", {"page": page, "query": query})


@role_required(Role.CHANGE_OFFICE)
def queue(request):
    """The change office's list of all feedback, with filters (escalated items first by default)."""
    data = request.GET.copy()
    if not data:
        data["status"] = FeedbackStatus.ESCALATED
    filterset = FeedbackFilter(data, queryset=feedback_queue())
    page, query = paginate(request, filterset.qs)
    return render(
        request,
        "champions/feedback/queue.html",
        {"filter": filterset, "page": page, "query": query},
    )


def _responder_item(request, pk: int) -> Feedback:
    try:
        return feedback_for_responder(request.user).get(pk=pk)
    except Feedback.DoesNotExist as exc:
        raise Http404 from exc


def _back(request):
    if has_role(request.user, Role.CHANGE_OFFICE):
        return redirect("champions:feedback_queue")
    return redirect("champions:hub")


def _render_detail(request, feedback, **forms):
    is_change_office = has_role(request.user, Role.CHANGE_OFFICE)
    context = {
        "item": feedback,
        "is_change_office": is_change_office,
        "answer_form": forms.get("answer_form") or FeedbackAnswerForm(),
        "escalate_form": forms.get("escalate_form") or FeedbackEscalateForm(),
        "status_form": forms.get("status_form")
        or FeedbackStatusForm(
            initial={"status": feedback.status, "public_answer": feedback.public_answer}
        ),
        "can_answer": feedback.status in (FeedbackStatus.NEW, FeedbackStatus.ESCALATED),
        "can_escalate": feedback.status == FeedbackStatus.NEW,
    }
    return render(request, "champions/feedback/detail.html", context)


@role_required(Role.CHAMPION, Role.CHANGE_OFFICE)
def detail(request, pk: int):
    """An item routed to the champion (or any item, for the change office)."""
    return _render_detail(request, _responder_item(request, pk))


@role_required(Role.CHAMPION, Role.CHANGE_OFFICE)
@require_POST
def answer(request, pk: int):
    feedback = _responder_item(request, pk)
    form = FeedbackAnswerForm(request.POST)
    if form.is_valid():
        try:
            feedback_answer(
                feedback=feedback, actor=request.user, answer=form.cleaned_data["answer"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your answer is published."))
            return _back(request)
    return _render_detail(request, feedback, answer_form=form)


@role_required(Role.CHAMPION, Role.CHANGE_OFFICE)
@require_POST
def escalate(request, pk: int):
    feedback = _responder_item(request, pk)
    form = FeedbackEscalateForm(request.POST)
    if form.is_valid():
        try:
            feedback_escalate(feedback=feedback, actor=request.user, note=form.cleaned_data["note"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Passed to the change office."))
            return _back(request)
    return _render_detail(request, feedback, escalate_form=form)


@role_required(Role.CHANGE_OFFICE)
@require_POST
def set_status(request, pk: int):
    feedback = _responder_item(request, pk)
    form = FeedbackStatusForm(request.POST)
    if form.is_valid():
        try:
            feedback_set_status(feedback=feedback, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The outcome is published."))
            return redirect("champions:feedback_queue")
    return _render_detail(request, feedback, status_form=form)


@role_required()
def service_you_said_we_did(request, slug: str):
    """What staff said about a service and what was done, never who said it."""
    try:
        service = Service.objects.get(slug=slug)
    except Service.DoesNotExist as exc:
        raise Http404 from exc
    page, query = paginate(request, you_said_we_did(service))
    return render(
        request,
        "champions/feedback/you_said_we_did.html",
        {"service": service, "page": page, "query": query},
    )
