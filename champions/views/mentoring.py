"""Staff-site views of mentoring and drop-in office hours."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lms.permissions import role_required
from lms.roles import Role

from ..forms_network import MenteeAddForm, MentoringSessionForm, OfficeHoursForm
from ..models import Champion, Mentorship, OfficeHours
from ..selectors.mentoring import (
    mentee_candidates,
    mentee_suggestions,
    mentorship_get_for_champion_user,
    mentorships_for_champion_user,
    sessions_for_champion_user,
    upcoming_office_hours_for_user,
)
from ..selectors.network import champion_get_for_user, champions_approved_for_user
from ..services.mentoring import (
    mentoring_session_log,
    mentorship_add,
    mentorship_remove,
    office_hours_book,
    office_hours_booking_cancel,
    office_hours_create,
)
from .network import apply_errors, paginate


def _own_champion(request, champion_id: int) -> Champion:
    try:
        return champion_get_for_user(user=request.user, champion_id=champion_id)
    except Champion.DoesNotExist as exc:
        raise Http404 from exc


@role_required(Role.CHAMPION)
def mentees(request):
    """Manage mentees: current ones per service, suggestions, add anyone from the department."""
    championships = list(champions_approved_for_user(request.user))
    current = list(mentorships_for_champion_user(request.user))
    groups = []
    for champion in championships:
        groups.append(
            {
                "champion": champion,
                "mentorships": [m for m in current if m.champion_id == champion.pk],
                "suggestions": list(mentee_suggestions(champion, limit=20)),
                "form": MenteeAddForm(
                    candidates=mentee_candidates(champion), prefix=f"c{champion.pk}"
                ),
            }
        )
    return render(request, "champions/network/mentees.html", {"groups": groups})


@role_required(Role.CHAMPION)
@require_POST
def mentee_add(request, champion_id: int):
    """Add a mentee to one of the person's own championships."""
    champion = _own_champion(request, champion_id)
    form = MenteeAddForm(
        request.POST, candidates=mentee_candidates(champion), prefix=f"c{champion.pk}"
    )
    if form.is_valid():
        try:
            mentorship_add(
                champion=champion, mentee=form.cleaned_data["mentee"], actor=request.user
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Mentee added."))
    else:
        messages.error(request, _("Choose a colleague from your department without a mentor."))
    return redirect("champions:mentees")


@role_required(Role.CHAMPION)
@require_POST
def mentee_remove(request, pk: int):
    """Stop mentoring someone (only one's own mentees)."""
    try:
        mentorship = mentorships_for_champion_user(request.user).get(pk=pk)
    except Mentorship.DoesNotExist as exc:
        raise Http404 from exc
    mentorship_remove(mentorship=mentorship, actor=request.user)
    messages.success(request, _("Mentee removed."))
    return redirect("champions:mentees")


@role_required(Role.CHAMPION)
def mentee_detail(request, pk: int):
    """One mentee's required-course status for the service; another champion's mentee → 404."""
    try:
        progress = mentorship_get_for_champion_user(user=request.user, mentorship_id=pk)
    except Mentorship.DoesNotExist as exc:
        raise Http404 from exc
    return render(request, "champions/network/mentee_detail.html", {"progress": progress})


@role_required(Role.CHAMPION)
def sessions(request):
    """The mentoring sessions the champion logged."""
    page, query = paginate(request, sessions_for_champion_user(request.user))
    return render(request, "champions/network/sessions.html", {"page": page, "query": query})


@role_required(Role.CHAMPION)
@require_http_methods(["GET", "POST"])
def session_create(request):
    """Log a mentoring session: date, duration, topic, mentees who came, notes, follow-ups."""
    championships = champions_approved_for_user(request.user)
    mentee_ids = list(
        mentorships_for_champion_user(request.user).values_list("mentee_id", flat=True)
    )
    form = MentoringSessionForm(
        request.POST or None, championships=championships, mentee_ids=mentee_ids
    )
    if request.method == "POST" and form.is_valid():
        try:
            mentoring_session_log(**form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Session logged."))
            return redirect("champions:sessions")
    return render(
        request,
        "champions/network/session_form.html",
        {"form": form, "has_mentees": bool(mentee_ids)},
    )


@role_required(Role.CHAMPION)
@require_http_methods(["GET", "POST"])
def office_hours_new(request):
    """Offer a drop-in session with a number of seats."""
    form = OfficeHoursForm(
        request.POST or None, championships=champions_approved_for_user(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            office_hours_create(**form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Drop-in session published."))
            return redirect("champions:hub")
    return render(request, "champions/network/office_hours_form.html", {"form": form})


@role_required()
def office_hours_list(request):
    """Upcoming drop-in sessions any member of staff can book."""
    page, query = paginate(request, upcoming_office_hours_for_user(request.user))
    return render(request, "champions/network/office_hours.html", {"page": page, "query": query})


def _office_hours_or_404(pk: int) -> OfficeHours:
    try:
        return OfficeHours.objects.get(pk=pk)
    except OfficeHours.DoesNotExist as exc:
        raise Http404 from exc


@role_required()
@require_POST
def office_hours_book_view(request, pk: int):
    """Book a seat (no overbooking: the service locks the session while counting)."""
    office_hours = _office_hours_or_404(pk)
    try:
        office_hours_book(office_hours_id=office_hours.pk, user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Your seat is booked."))
    return redirect("champions:office_hours")


@role_required()
@require_POST
def office_hours_cancel_view(request, pk: int):
    """Give a seat back."""
    office_hours = _office_hours_or_404(pk)
    if office_hours_booking_cancel(office_hours_id=office_hours.pk, user=request.user):
        messages.success(request, _("Your booking is cancelled."))
    return redirect("champions:office_hours")
