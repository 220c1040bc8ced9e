"""Reminder e-mails: due soon, overdue, the weekly line-manager digest, and "due date moved".

One e-mail of each kind per person per day, delivered exactly once even if a worker is killed
mid-run (the tasks are ``acks_late`` + ``reject_on_worker_lost``, so a killed run is run again):

1. **Claim.** The ``ReminderLog`` rows of the e-mail (one for the e-mail, one per assignment it
   covers) are written and committed in their own transaction. The unique constraints let only
   one run claim a person's e-mail of a kind for a day.
2. **Send**, inside a small transaction that locks the claim row (``select_for_update`` with
   ``skip_locked``), then **mark**: ``sent_at`` is set on the claim's rows and that transaction
   commits. A concurrent run skips a claim another worker is sending.
3. **Resume.** Each run first re-sends today's claims of its kind whose ``sent_at`` is still
   empty (a worker died between claim and mark, or the mail server refused the message), then
   claims new ones. Claims with ``sent_at`` set are never sent again.

Residual window: a worker killed after the SMTP server accepted the message but before the
``sent_at`` transaction committed leaves the claim unmarked, so the next run sends that one
reminder a second time. We prefer a duplicate reminder to a missing one.

People are processed in ascending user id, so a run is deterministic (and a test can stop it
half-way).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.models import (
    Assignment,
    AssignmentStatus,
    ReminderKind,
    ReminderLog,
    StaffStatus,
)

from .filters import COMPLETED_Q

logger = logging.getLogger(__name__)


def municipality_settings():
    """The site settings of the default site (reminder lead days, cadence, digest weekday)."""
    from wagtail.models import Site

    from cms.models import MunicipalitySettings

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return MunicipalitySettings.load()
    return MunicipalitySettings.for_site(site)


def absolute_url(path: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _open_assignments():
    """Active, not completed assignments of people who can still sign in."""
    return (
        Assignment.objects.filter(
            status=AssignmentStatus.ACTIVE,
            user__is_active=True,
            user__profile__status=StaffStatus.ACTIVE,
        )
        .exclude(COMPLETED_Q)
        .select_related("user", "course")
        .order_by("user_id", "due_date", "pk")
    )


def reminder_claim(
    *, user_id: int, kind: str, assignment_ids: list[int], date: dt.date
) -> int | None:
    """Claim the e-mail of ``kind`` for a person today; returns the claim's id, or None.

    None means a claim of this kind exists for the person today already (sent, or pending and
    resumed by ``_resume``). Commits in its own transaction (callers must not be inside one), so
    the claim survives a crash between here and the send.
    """
    try:
        with transaction.atomic():
            claim = ReminderLog.objects.create(
                user_id=user_id, kind=kind, assignment=None, date=date
            )
            ReminderLog.objects.bulk_create(
                [
                    ReminderLog(user_id=user_id, kind=kind, assignment_id=pk, date=date)
                    for pk in assignment_ids
                ],
                ignore_conflicts=True,
            )
    except IntegrityError:
        return None
    return claim.pk


def _send(*, user, subject: str, template: str, context: dict) -> bool:
    context = {
        "user": user,
        "site_name": settings.SITE_NAME,
        "my_learning_url": absolute_url("/my-learning/"),
        **context,
    }
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"lms/emails/{template}.txt", context),
        to=[user.email],
    )
    message.attach_alternative(
        render_to_string(f"lms/emails/{template}.html", context), "text/html"
    )
    try:
        message.send()
    except Exception:  # one bad address or a mail hiccup must not stop everyone else's reminders
        logger.exception("reminder_send_failed kind=%s user=%s", template, user.pk)
        return False
    return True


def _deliver(*, claim_id: int, user, subject: str, template: str, context: dict) -> bool:
    """Send the e-mail of a claim unless it went already, then mark the claim sent.

    The claim row stays locked while sending, so two runs never send the same claim at once;
    a failed send leaves ``sent_at`` empty for the next run to retry.
    """
    with transaction.atomic():
        claim = (
            ReminderLog.objects.select_for_update(skip_locked=True)
            .filter(pk=claim_id, sent_at__isnull=True)
            .first()
        )
        if claim is None:
            return False
        if not _send(user=user, subject=subject, template=template, context=context):
            return False
        ReminderLog.objects.filter(user_id=claim.user_id, kind=claim.kind, date=claim.date).update(
            sent_at=timezone.now()
        )
    return True


def _pending_claims(*, kind: str, date: dt.date) -> dict[int, int]:
    """Today's unsent claims of ``kind``: {user id: claim id}, in user id order."""
    rows = (
        ReminderLog.objects.filter(
            kind=kind, date=date, assignment__isnull=True, sent_at__isnull=True
        )
        .order_by("user_id")
        .values_list("user_id", "pk")
    )
    return dict(rows)


def _resume(*, kind: str, date: dt.date, subject: str, template: str, extra: dict) -> int:
    """Send again today's interrupted claims of ``kind`` (about the assignments they cover).

    Assignments completed or withdrawn since the claim are left out; a claim with nothing left
    to say is not sent.
    """
    pending = _pending_claims(kind=kind, date=date)
    if not pending:
        return 0
    claimed = ReminderLog.objects.filter(assignment=OuterRef("pk"), kind=kind, date=date)
    by_user = _by_user(
        _open_assignments().filter(user_id__in=list(pending)).filter(Exists(claimed))
    )
    sent = 0
    for user_id, claim_id in pending.items():
        assignments = by_user.get(user_id)
        if not assignments:
            continue
        sent += _deliver(
            claim_id=claim_id,
            user=assignments[0].user,
            subject=subject,
            template=template,
            context={"items": _items(assignments), **extra},
        )
    return sent


def _handled(*, kind: str, today: dt.date, since: dt.date | None = None) -> Exists:
    """An assignment already reminded of (sent), or claimed today (resumed by ``_resume``)."""
    logs = ReminderLog.objects.filter(assignment=OuterRef("pk"), kind=kind).filter(
        Q(sent_at__isnull=False) | Q(date=today)
    )
    if since is not None:
        logs = logs.filter(date__gt=since)
    return Exists(logs)


def _items(assignments) -> list[dict]:
    return [
        {
            "course": assignment.course.title,
            "url": absolute_url(assignment.course.url or "/"),
            "due_date": assignment.due_date,
            "required": assignment.required,
        }
        for assignment in assignments
    ]


def _by_user(rows) -> dict[int, list[Assignment]]:
    grouped: dict[int, list[Assignment]] = defaultdict(list)
    for row in rows:
        if row.user.email:
            grouped[row.user_id].append(row)
    return grouped


def reminders_send_upcoming(*, today: dt.date | None = None) -> int:
    """E-mail people whose training falls due within the lead days (once per assignment)."""
    today = today or timezone.localdate()
    kind, subject, template = ReminderKind.UPCOMING, _("Training due soon"), "reminder_upcoming"
    sent = _resume(kind=kind, date=today, subject=subject, template=template, extra={})
    lead = municipality_settings().reminder_days_before_due
    rows = (
        _open_assignments()
        .filter(due_date__gte=today, due_date__lte=today + dt.timedelta(days=lead))
        .exclude(_handled(kind=kind, today=today))
    )
    for user_id, assignments in _by_user(rows).items():
        claim_id = reminder_claim(
            user_id=user_id, kind=kind, assignment_ids=[a.pk for a in assignments], date=today
        )
        if claim_id is None:
            continue
        sent += _deliver(
            claim_id=claim_id,
            user=assignments[0].user,
            subject=subject,
            template=template,
            context={"items": _items(assignments)},
        )
    return sent


def reminders_send_overdue(*, today: dt.date | None = None) -> int:
    """E-mail people with overdue training, every N days while it stays overdue."""
    today = today or timezone.localdate()
    kind, subject, template = ReminderKind.OVERDUE, _("Training overdue"), "reminder_overdue"
    extra = {"today": today}
    sent = _resume(kind=kind, date=today, subject=subject, template=template, extra=extra)
    every = max(1, municipality_settings().overdue_reminder_every_days)
    rows = (
        _open_assignments()
        .filter(due_date__lt=today)
        .exclude(_handled(kind=kind, today=today, since=today - dt.timedelta(days=every)))
    )
    for user_id, assignments in _by_user(rows).items():
        claim_id = reminder_claim(
            user_id=user_id, kind=kind, assignment_ids=[a.pk for a in assignments], date=today
        )
        if claim_id is None:
            continue
        sent += _deliver(
            claim_id=claim_id,
            user=assignments[0].user,
            subject=subject,
            template=template,
            context={"items": _items(assignments), **extra},
        )
    return sent


def manager_digest_send(*, today: dt.date | None = None, force: bool = False) -> int:
    """E-mail each line manager the overdue training of their direct reports.

    Runs daily and sends only on the weekday chosen in the site settings (unless ``force``).
    A manager's digest claimed earlier today but never marked sent is sent again.
    """
    today = today or timezone.localdate()
    if not force and today.weekday() != municipality_settings().manager_digest_weekday:
        return 0
    rows = (
        _open_assignments()
        .filter(
            due_date__lt=today,
            user__profile__manager__isnull=False,
            user__profile__manager__status=StaffStatus.ACTIVE,
            user__profile__manager__user__is_active=True,
        )
        .select_related("user__profile__manager__user")
    )
    by_manager: dict[int, list[Assignment]] = defaultdict(list)
    managers = {}
    for row in rows:
        manager_user = row.user.profile.manager.user
        if manager_user.email:
            managers[manager_user.pk] = manager_user
            by_manager[manager_user.pk].append(row)
    pending = _pending_claims(kind=ReminderKind.MANAGER_DIGEST, date=today)
    sent = 0
    for manager_id in sorted(by_manager):
        claim_id = pending.get(manager_id) or reminder_claim(
            user_id=manager_id, kind=ReminderKind.MANAGER_DIGEST, assignment_ids=[], date=today
        )
        if claim_id is None:
            continue
        people: dict[int, dict] = {}
        for assignment in by_manager[manager_id]:
            person = people.setdefault(
                assignment.user_id,
                {"name": assignment.user.get_full_name() or assignment.user.get_username()},
            )
            person.setdefault("items", []).extend(_items([assignment]))
        sent += _deliver(
            claim_id=claim_id,
            user=managers[manager_id],
            subject=_("Your team's overdue training"),
            template="manager_digest",
            context={
                "people": sorted(people.values(), key=lambda p: p["name"]),
                "my_team_url": absolute_url("/my-team/"),
                "today": today,
            },
        )
    return sent


def due_date_moved_send(*, rule_id: int, user_ids: list[int], today: dt.date | None = None) -> int:
    """Tell each person once that the due date of their training from a rule has moved."""
    today = today or timezone.localdate()
    kind = ReminderKind.DUE_DATE_MOVED
    subject, template = _("The due date of your training has changed"), "due_date_moved"
    sent = _resume(kind=kind, date=today, subject=subject, template=template, extra={})
    rows = _open_assignments().filter(rule_id=rule_id, user_id__in=user_ids)
    for user_id, assignments in _by_user(rows).items():
        claim_id = reminder_claim(
            user_id=user_id, kind=kind, assignment_ids=[a.pk for a in assignments], date=today
        )
        if claim_id is None:
            continue
        sent += _deliver(
            claim_id=claim_id,
            user=assignments[0].user,
            subject=subject,
            template=template,
            context={"items": _items(assignments)},
        )
    return sent


def reminders_run(*, today: dt.date | None = None) -> dict:
    """The daily reminder run: "due soon" then "overdue" e-mails; returns how many were sent.

    Safe to run twice a day or after a crash: each e-mail is claimed in ``ReminderLog`` first,
    interrupted claims are sent again, sent ones never.
    """
    today = today or timezone.localdate()
    return {
        "upcoming": reminders_send_upcoming(today=today),
        "overdue": reminders_send_overdue(today=today),
    }
