"""Write-side operations of the feedback loop ("you said, we did").

Anonymous feedback stores no identity at all: no author, no IP, no audit row, and the time is
rounded to the day. Champions of the service in the author's department are told by e-mail.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.audit import audit_record
from lms.models import Department
from lms.outbox import outbox_enqueue

from .. import tasks_network  # noqa: F401  (registers the tasks queued below)
from ..models import Feedback, FeedbackKind, FeedbackStatus, Service

# Statuses the change office may set, and those that close an item.
CHANGE_OFFICE_STATUSES = (
    FeedbackStatus.ANSWERED,
    FeedbackStatus.PLANNED,
    FeedbackStatus.DONE,
    FeedbackStatus.WONT_DO,
)
RESOLVED_STATUSES = (
    FeedbackStatus.ANSWERED,
    FeedbackStatus.PLANNED,
    FeedbackStatus.DONE,
    FeedbackStatus.WONT_DO,
)
CLOSED_STATUSES = (FeedbackStatus.ANSWERED, FeedbackStatus.DONE, FeedbackStatus.WONT_DO)


def _start_of_day(value: dt.datetime) -> dt.datetime:
    local = timezone.localtime(value)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


@transaction.atomic
def feedback_create(
    *,
    user,
    service: Service,
    department: Department | None,
    kind: str,
    title: str,
    body: str,
    anonymous: bool = False,
) -> Feedback:
    """Raise a concern, question or idea about a service, routed to its champions.

    With ``anonymous`` the item keeps no trace of ``user``: the author is not stored, no audit
    row is written and the timestamps are rounded to the start of the day.
    """
    now = timezone.now()
    stamp = _start_of_day(now) if anonymous else now
    if kind not in FeedbackKind.values:
        raise ValidationError({"kind": _("Choose concern, question or idea.")})
    feedback = Feedback(
        service=service,
        department=department,
        kind=kind,
        title=title.strip(),
        body=body.strip(),
        author=None if anonymous else user,
        created_at=stamp,
        updated_at=stamp,
    )
    feedback.full_clean()
    feedback.save()
    if not anonymous:
        audit_record(action="feedback.created", actor=user, target=feedback)
    outbox_enqueue(
        "champions.tasks.feedback_notify_champions",
        dedupe_key=f"feedback-champions:{feedback.pk}",
        feedback_id=feedback.pk,
    )
    return feedback


def _lock(feedback: Feedback) -> Feedback:
    return Feedback.objects.select_for_update().get(pk=feedback.pk)


def _notify_author(feedback: Feedback) -> None:
    if feedback.author_id is None:
        return
    outbox_enqueue(
        "champions.tasks.feedback_notify_author",
        dedupe_key=f"feedback-author:{feedback.pk}:{feedback.status}:{feedback.updated_at.isoformat()}",
        feedback_id=feedback.pk,
    )


@transaction.atomic
def feedback_answer(*, feedback: Feedback, actor, answer: str) -> Feedback:
    """A champion (or the change office) answers an item; the answer is public to staff."""
    feedback = _lock(feedback)
    answer = answer.strip()
    if not answer:
        raise ValidationError({"answer": _("Write the answer staff will see.")})
    if feedback.status not in (FeedbackStatus.NEW, FeedbackStatus.ESCALATED):
        raise ValidationError(_("This item has already been dealt with."))
    now = timezone.now()
    feedback.status = FeedbackStatus.ANSWERED
    feedback.public_answer = answer
    feedback.answered_by = actor
    feedback.updated_at = now
    feedback.resolved_at = now
    feedback.save(
        update_fields=["status", "public_answer", "answered_by", "updated_at", "resolved_at"]
    )
    audit_record(action="feedback.answered", actor=actor, target=feedback)
    _notify_author(feedback)
    return feedback


@transaction.atomic
def feedback_escalate(*, feedback: Feedback, actor, note: str = "") -> Feedback:
    """A champion passes an item they cannot resolve to the change office."""
    feedback = _lock(feedback)
    if feedback.status != FeedbackStatus.NEW:
        raise ValidationError(_("Only new items can be escalated."))
    feedback.status = FeedbackStatus.ESCALATED
    feedback.escalation_note = note.strip()
    feedback.updated_at = timezone.now()
    feedback.save(update_fields=["status", "escalation_note", "updated_at"])
    audit_record(action="feedback.escalated", actor=actor, target=feedback)
    _notify_author(feedback)
    return feedback


@transaction.atomic
def feedback_set_status(*, feedback: Feedback, actor, status: str, public_answer: str) -> Feedback:
    """The change office decides: answered, planned, done or won't do, with a public answer
    that says what changed (or why not)."""
    feedback = _lock(feedback)
    if status not in CHANGE_OFFICE_STATUSES:
        raise ValidationError({"status": _("Choose answered, planned, done or won't do.")})
    public_answer = public_answer.strip()
    if not public_answer:
        raise ValidationError({"public_answer": _("Write what staff will read about this item.")})
    now = timezone.now()
    feedback.status = status
    feedback.public_answer = public_answer
    feedback.answered_by = actor
    feedback.updated_at = now
    feedback.resolved_at = now if status in CLOSED_STATUSES else None
    feedback.save(
        update_fields=["status", "public_answer", "answered_by", "updated_at", "resolved_at"]
    )
    audit_record(action="feedback.status_changed", actor=actor, target=feedback, status=status)
    _notify_author(feedback)
    return feedback
