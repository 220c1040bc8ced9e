"""Write-side operations of mentoring and drop-in office hours."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.audit import audit_record
from lms.models import StaffStatus
from lms.permissions import department_descendant_ids

from ..models import (
    Champion,
    ChampionStatus,
    MentoringSession,
    Mentorship,
    OfficeHours,
    OfficeHoursBooking,
)

MAX_SESSION_MINUTES = 8 * 60


def _require_approved(champion: Champion) -> None:
    if champion.status != ChampionStatus.APPROVED:
        raise ValidationError(_("Only approved champions can do this."))


@transaction.atomic
def mentorship_add(*, champion: Champion, mentee, actor) -> Mentorship:
    """Link a colleague to a champion as their mentee for the champion's service.

    The mentee must be active staff of the champion's department (or below it) and may have
    only one mentor per service.
    """
    _require_approved(champion)
    profile = getattr(mentee, "profile", None)
    if mentee.pk == champion.user_id:
        raise ValidationError({"mentee": _("You cannot be your own mentee.")})
    if (
        profile is None
        or profile.status != StaffStatus.ACTIVE
        or not mentee.is_active
        or profile.department_id not in department_descendant_ids([champion.department_id])
    ):
        raise ValidationError({"mentee": _("Choose a colleague from your department.")})
    if Mentorship.objects.filter(service_id=champion.service_id, mentee=mentee).exists():
        raise ValidationError({"mentee": _("This colleague already has a mentor for the service.")})
    mentorship = Mentorship(
        champion=champion, service_id=champion.service_id, mentee=mentee, created_by=actor
    )
    try:
        with transaction.atomic():
            mentorship.save()
    except IntegrityError as exc:  # someone else linked them a moment ago
        raise ValidationError(
            {"mentee": _("This colleague already has a mentor for the service.")}
        ) from exc
    audit_record(action="champion.mentee_added", actor=actor, target=mentorship)
    return mentorship


@transaction.atomic
def mentorship_remove(*, mentorship: Mentorship, actor) -> None:
    """End a mentorship; the colleague can then be linked to another champion."""
    audit_record(action="champion.mentee_removed", actor=actor, target=mentorship)
    mentorship.delete()


@transaction.atomic
def mentoring_session_log(
    *,
    champion: Champion,
    held_on: dt.date,
    duration_minutes: int,
    topic: str,
    attendees: Iterable,
    notes: str = "",
    follow_ups: str = "",
) -> MentoringSession:
    """Record a mentoring session a champion held with some of their mentees."""
    _require_approved(champion)
    attendees = list(attendees)
    errors: dict[str, str] = {}
    if held_on > timezone.localdate():
        errors["held_on"] = _("Log sessions that have already taken place.")
    if not 1 <= duration_minutes <= MAX_SESSION_MINUTES:
        errors["duration_minutes"] = _("Enter a duration between 1 and 480 minutes.")
    if not topic.strip():
        errors["topic"] = _("Enter the topic of the session.")
    mentee_ids = set(champion.mentorships.values_list("mentee_id", flat=True))
    if not attendees:
        errors["attendees"] = _("Choose at least one mentee who attended.")
    elif any(a.pk not in mentee_ids for a in attendees):
        errors["attendees"] = _("Attendees must be your mentees for this service.")
    if errors:
        raise ValidationError(errors)
    session = MentoringSession(
        champion=champion,
        held_on=held_on,
        duration_minutes=duration_minutes,
        topic=topic.strip(),
        notes=notes.strip(),
        follow_ups=follow_ups.strip(),
    )
    session.full_clean()
    session.save()
    session.attendees.set(attendees)
    return session


@transaction.atomic
def office_hours_create(
    *,
    champion: Champion,
    starts_at: dt.datetime,
    duration_minutes: int,
    location: str,
    capacity: int,
    topic: str = "",
) -> OfficeHours:
    """A champion offers a drop-in session with a number of seats."""
    _require_approved(champion)
    errors: dict[str, str] = {}
    if starts_at <= timezone.now():
        errors["starts_at"] = _("Choose a time in the future.")
    if not 1 <= duration_minutes <= MAX_SESSION_MINUTES:
        errors["duration_minutes"] = _("Enter a duration between 1 and 480 minutes.")
    if not 1 <= capacity <= 500:
        errors["capacity"] = _("Enter between 1 and 500 seats.")
    if errors:
        raise ValidationError(errors)
    office_hours = OfficeHours(
        champion=champion,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        location=location.strip(),
        topic=topic.strip(),
        capacity=capacity,
    )
    office_hours.full_clean()
    office_hours.save()
    return office_hours


@transaction.atomic
def office_hours_book(*, office_hours_id: int, user) -> OfficeHoursBooking:
    """Book a seat at a drop-in session; never more bookings than seats.

    The session row is locked while the seats are counted, so two people booking the last
    seat at once get one seat and one "full" between them. Booking twice returns the seat the
    person already has.
    """
    office_hours = OfficeHours.objects.select_for_update().get(pk=office_hours_id)
    existing = OfficeHoursBooking.objects.filter(office_hours=office_hours, user=user).first()
    if existing is not None:
        return existing
    if office_hours.starts_at <= timezone.now():
        raise ValidationError(_("This session has already started."))
    if office_hours.bookings.count() >= office_hours.capacity:
        raise ValidationError(_("This session is full."))
    return OfficeHoursBooking.objects.create(office_hours=office_hours, user=user)


@transaction.atomic
def office_hours_booking_cancel(*, office_hours_id: int, user) -> bool:
    """Give up a seat; returns False when the person had none."""
    office_hours = OfficeHours.objects.select_for_update().get(pk=office_hours_id)
    deleted, _detail = OfficeHoursBooking.objects.filter(
        office_hours=office_hours, user=user
    ).delete()
    return bool(deleted)
