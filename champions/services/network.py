"""Write-side operations of the champion network: nominations, decisions and recognition."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.audit import audit_record
from lms.models import Curriculum, Department
from lms.outbox import outbox_enqueue
from lms.permissions import has_role
from lms.roles import Role
from lms.services import user_set_roles

from .. import tasks_network  # noqa: F401  (registers the tasks queued below)
from ..models import Badge, BadgeAward, Champion, ChampionStatus, Service

DEFAULT_CHAMPION_CURRICULUM = "Digital champion toolkit"


def champion_curriculum_name() -> str:
    """The curriculum every approved champion is assigned (setting ``CHAMPION_CURRICULUM``).

    An empty setting turns automatic assignment off.
    """
    return getattr(settings, "CHAMPION_CURRICULUM", DEFAULT_CHAMPION_CURRICULUM)


def _department_chain(department: Department | None) -> list[int]:
    chain: list[int] = []
    node = department
    while node is not None and node.pk not in chain:
        chain.append(node.pk)
        node = node.parent
    return chain


def can_nominate(*, nominator, nominee) -> bool:
    """A person nominates themselves; a line manager their direct reports; the change office
    anyone."""
    if nominator.pk == nominee.pk:
        return True
    if has_role(nominator, Role.CHANGE_OFFICE):
        return True
    nominator_profile = getattr(nominator, "profile", None)
    nominee_profile = getattr(nominee, "profile", None)
    return (
        nominator_profile is not None
        and nominee_profile is not None
        and nominee_profile.manager_id == nominator_profile.pk
    )


@transaction.atomic
def champion_nominate(
    *,
    user,
    service: Service,
    department: Department,
    nominated_by,
    motivation: str = "",
) -> Champion:
    """Nominate a person as a champion of a service in their department (or one above it).

    A declined or stepped-down champion may be nominated again; a pending nomination or an
    approved champion for the same service and department is refused.
    """
    if not can_nominate(nominator=nominated_by, nominee=user):
        raise ValidationError(_("You can nominate yourself or the people who report to you."))
    profile = getattr(user, "profile", None)
    if profile is None or profile.is_leaver or not user.is_active:
        raise ValidationError(_("Only current members of staff can be champions."))
    if department.pk not in _department_chain(profile.department):
        raise ValidationError(
            {"department": _("Choose the person's own department or one it belongs to.")}
        )
    now = timezone.now()
    champion = (
        Champion.objects.select_for_update()
        .filter(user=user, service=service, department=department)
        .first()
    )
    if champion is not None:
        if champion.status == ChampionStatus.APPROVED:
            raise ValidationError(_("This person is already a champion for this service here."))
        if champion.status == ChampionStatus.NOMINATED:
            raise ValidationError(_("This person is already nominated for this service here."))
        champion.status = ChampionStatus.NOMINATED
        champion.decided_by = None
        champion.decided_at = None
        champion.decision_reason = ""
        champion.decision_notified_at = None
    else:
        champion = Champion(user=user, service=service, department=department)
    champion.nominated_by = nominated_by
    champion.nominated_at = now
    champion.motivation = motivation.strip()
    champion.full_clean()
    try:
        with transaction.atomic():
            champion.save()
    except IntegrityError as exc:  # a concurrent nomination of the same person won
        raise ValidationError(_("This person is already nominated for this service here.")) from exc
    audit_record(
        action="champion.nominated",
        actor=nominated_by,
        target=champion,
        service=service.slug,
        department=department.name,
    )
    return champion


@dataclass(frozen=True)
class DecisionResult:
    champion: Champion
    curriculum_assigned: bool


class Decision:
    APPROVE = "approve"
    DECLINE = "decline"


@transaction.atomic
def champion_decide(
    *, champion: Champion, decision: str, reason: str = "", actor
) -> DecisionResult:
    """The change office approves or declines a nomination, with a reason.

    Approval gives the person the Champion role (their other roles stay) and assigns the
    champion curriculum; the person is told by e-mail either way.
    """
    champion = (
        Champion.objects.select_for_update().select_related("user", "service").get(pk=champion.pk)
    )
    if champion.status != ChampionStatus.NOMINATED:
        raise ValidationError(_("This nomination has already been decided."))
    reason = reason.strip()
    if decision == Decision.DECLINE and not reason:
        raise ValidationError({"reason": _("Give the reason for declining the nomination.")})
    if decision not in (Decision.APPROVE, Decision.DECLINE):
        raise ValidationError({"decision": _("Choose approve or decline.")})
    champion.status = (
        ChampionStatus.APPROVED if decision == Decision.APPROVE else ChampionStatus.DECLINED
    )
    champion.decided_by = actor
    champion.decided_at = timezone.now()
    champion.decision_reason = reason
    champion.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    curriculum_assigned = False
    if champion.status == ChampionStatus.APPROVED:
        _grant_champion_role(champion.user)
        curriculum_assigned = _assign_champion_curriculum(champion.user, actor)
    audit_record(
        action=f"champion.{'approved' if decision == Decision.APPROVE else 'declined'}",
        actor=actor,
        target=champion,
        reason=reason,
        curriculum_assigned=curriculum_assigned,
    )
    outbox_enqueue(
        "champions.tasks.champion_decision_notify",
        dedupe_key=f"champion-decision:{champion.pk}:{champion.decided_at.isoformat()}",
        champion_id=champion.pk,
    )
    return DecisionResult(champion, curriculum_assigned)


def _grant_champion_role(user) -> None:
    held = _group_roles(user)
    if Role.CHAMPION not in held:
        user_set_roles(user=user, roles=[*held, Role.CHAMPION])


def _assign_champion_curriculum(user, actor) -> bool:
    name = champion_curriculum_name()
    if not name:
        return False
    curriculum = Curriculum.objects.filter(name=name, is_active=True).first()
    if curriculum is None:
        return False
    from lms.hr.services import assignments_create

    assignments_create(users=[user], curriculum=curriculum, required=True, assigned_by=actor)
    return True


@transaction.atomic
def champion_step_down(*, champion: Champion, actor, reason: str = "") -> Champion:
    """A champion stops (by their own choice or the change office's). Their mentees are freed
    for another champion; the Champion role goes when they champion nothing else."""
    champion = Champion.objects.select_for_update().select_related("user").get(pk=champion.pk)
    if champion.status != ChampionStatus.APPROVED:
        raise ValidationError(_("Only an approved champion can step down."))
    champion.status = ChampionStatus.STEPPED_DOWN
    champion.decided_by = actor
    champion.decided_at = timezone.now()
    champion.decision_reason = reason.strip()
    champion.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    champion.mentorships.all().delete()
    still_champion = Champion.objects.filter(
        user=champion.user, status=ChampionStatus.APPROVED
    ).exists()
    if not still_champion:
        user_set_roles(
            user=champion.user, roles=list(_group_roles(champion.user) - {Role.CHAMPION})
        )
    audit_record(action="champion.stepped_down", actor=actor, target=champion, reason=reason)
    return champion


def _group_roles(user) -> set[Role]:
    """The role groups a person is in (not the implied roles ``user_roles`` adds)."""
    names = set(user.groups.values_list("name", flat=True))
    return {role for role in Role if role.value in names}


@transaction.atomic
def badge_award(*, badge: Badge, user, reason: str, actor) -> BadgeAward:
    """The change office recognises a champion with a badge (once per badge and person)."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say what the badge is for.")})
    if not badge.is_active:
        raise ValidationError({"badge": _("This badge can no longer be awarded.")})
    if not Champion.objects.filter(user=user, status=ChampionStatus.APPROVED).exists():
        raise ValidationError({"user": _("Badges are for approved champions.")})
    if BadgeAward.objects.filter(badge=badge, user=user).exists():
        raise ValidationError({"badge": _("This champion already has this badge.")})
    award = BadgeAward(badge=badge, user=user, reason=reason, awarded_by=actor)
    award.full_clean()
    try:
        with transaction.atomic():
            award.save()
    except IntegrityError as exc:
        raise ValidationError({"badge": _("This champion already has this badge.")}) from exc
    audit_record(action="champion.badge_awarded", actor=actor, target=award, badge=badge.name)
    return award
