"""E-mails of the champion network. Each task takes ids, re-fetches and keeps a "sent" marker,
so a redelivered message sends nothing twice."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _


def _absolute(url_name: str, **kwargs) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(url_name, kwargs=kwargs or None)


@shared_task(
    name="champions.tasks.feedback_notify_champions", acks_late=True, reject_on_worker_lost=True
)
def feedback_notify_champions(*, feedback_id: int) -> int:
    """Tell the champions an item is routed to that it is waiting for them.

    The e-mail names the item, never its author (anonymous or not).
    """
    from .models import Feedback
    from .selectors.network import champion_users_for

    with transaction.atomic():
        feedback = (
            Feedback.objects.select_for_update()
            .select_related("service")
            .filter(pk=feedback_id)
            .first()
        )
        if feedback is None or feedback.champions_notified:
            return 0
        recipients = sorted(
            {
                c.user.email
                for c in champion_users_for(
                    service_id=feedback.service_id, department_id=feedback.department_id
                )
                if c.user.email
            }
        )
        if recipients:
            send_mail(
                subject=_("New %(kind)s about %(service)s")
                % {"kind": feedback.get_kind_display().lower(), "service": feedback.service.name},
                message=_(
                    "A colleague raised this %(kind)s about %(service)s:\n\n%(title)s\n\n"
                    "Answer it or pass it to the change office from your champion hub:\n%(url)s\n"
                )
                % {
                    "kind": feedback.get_kind_display().lower(),
                    "service": feedback.service.name,
                    "title": feedback.title,
                    "url": _absolute("champions:feedback_detail", pk=feedback.pk),
                },
                from_email=None,
                recipient_list=recipients,
            )
        feedback.champions_notified = True
        feedback.save(update_fields=["champions_notified"])
    return len(recipients)


@shared_task(
    name="champions.tasks.feedback_notify_author", acks_late=True, reject_on_worker_lost=True
)
def feedback_notify_author(*, feedback_id: int) -> bool:
    """Tell the author (never anyone anonymous) that their item has a new status."""
    from .models import Feedback

    with transaction.atomic():
        feedback = (
            Feedback.objects.select_for_update(of=("self",))
            .select_related("author", "service")
            .filter(pk=feedback_id)
            .first()
        )
        if feedback is None or feedback.author is None or not feedback.author.email:
            return False
        if feedback.author_notified_status == feedback.status:
            return False
        send_mail(
            subject=_("Your feedback about %(service)s: %(status)s")
            % {"service": feedback.service.name, "status": feedback.get_status_display()},
            message=_(
                "%(title)s\n\nStatus: %(status)s\n\n%(answer)s\n\nSee all your items: %(url)s\n"
            )
            % {
                "title": feedback.title,
                "status": feedback.get_status_display(),
                "answer": feedback.public_answer,
                "url": _absolute("champions:feedback_mine"),
            },
            from_email=None,
            recipient_list=[feedback.author.email],
        )
        feedback.author_notified_status = feedback.status
        feedback.save(update_fields=["author_notified_status"])
    return True


@shared_task(
    name="champions.tasks.champion_decision_notify", acks_late=True, reject_on_worker_lost=True
)
def champion_decision_notify(*, champion_id: int) -> bool:
    """Tell a nominee whether the change office approved or declined their nomination."""
    from .models import Champion, ChampionStatus

    with transaction.atomic():
        champion = (
            Champion.objects.select_for_update()
            .select_related("user", "service", "department")
            .filter(pk=champion_id)
            .first()
        )
        if champion is None or champion.decision_notified_at is not None:
            return False
        if champion.status not in (ChampionStatus.APPROVED, ChampionStatus.DECLINED):
            return False
        if champion.user.email:
            if champion.status == ChampionStatus.APPROVED:
                body = _(
                    "You are now a digital champion for %(service)s in %(department)s. "
                    "Your champion hub: %(url)s\n"
                ) % {
                    "service": champion.service.name,
                    "department": champion.department.name,
                    "url": _absolute("champions:hub"),
                }
            else:
                body = _(
                    "Your nomination as a digital champion for %(service)s in %(department)s "
                    "was not approved.\n\nReason: %(reason)s\n"
                ) % {
                    "service": champion.service.name,
                    "department": champion.department.name,
                    "reason": champion.decision_reason,
                }
            send_mail(
                subject=_("Your champion nomination for %(service)s")
                % {"service": champion.service.name},
                message=body,
                from_email=None,
                recipient_list=[champion.user.email],
            )
        champion.decision_notified_at = timezone.now()
        champion.save(update_fields=["decision_notified_at"])
    return True
