"""Read-side queries of the feedback loop, and who may see which item."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from lms.permissions import department_descendant_ids, has_role
from lms.roles import Role

from ..models import Champion, ChampionStatus, Feedback, FeedbackStatus, Service
from .network import OPEN_FEEDBACK_STATUSES
from .rollouts import department_tree

# What the "you said, we did" page shows: items with an outcome staff can read.
YOU_SAID_WE_DID_STATUSES = (
    FeedbackStatus.DONE,
    FeedbackStatus.PLANNED,
    FeedbackStatus.WONT_DO,
    FeedbackStatus.ANSWERED,
)


def _base() -> QuerySet[Feedback]:
    return Feedback.objects.select_related("service", "department", "answered_by")


def routing_filter_for_champion_user(user, *, championships=None) -> Q | None:
    """The feedback a champion is responsible for: their services, in their departments (and
    below them). None when they champion nothing.

    ``championships``: the person's approved ``Champion`` rows when the caller already holds
    them (the hub does), to save the query. The department tree is read once, whatever the
    number of championships.
    """
    if championships is None:
        pairs = list(
            Champion.objects.filter(user=user, status=ChampionStatus.APPROVED).values_list(
                "service_id", "department_id"
            )
        )
    else:
        pairs = [(c.service_id, c.department_id) for c in championships]
    if not pairs:
        return None
    tree = department_tree()
    condition = Q(pk__in=[])
    for service_id, department_id in pairs:
        subtree = department_descendant_ids([department_id], tree=tree)
        condition |= Q(service_id=service_id, department_id__in=subtree)
    return condition


def feedback_routed_to(user, *, championships=None) -> QuerySet[Feedback]:
    """Items routed to a champion, newest first."""
    condition = routing_filter_for_champion_user(user, championships=championships)
    if condition is None:
        return Feedback.objects.none()
    return _base().filter(condition).order_by("-created_at", "-pk")


def feedback_open_routed_to(user, *, championships=None) -> QuerySet[Feedback]:
    """Items routed to a champion that still wait for them (new ones: nobody answered yet,
    so no ``answered_by`` to fetch)."""
    return (
        feedback_routed_to(user, championships=championships)
        .filter(status=FeedbackStatus.NEW)
        .select_related(None)
        .select_related("service", "department")
    )


def feedback_for_responder(user) -> QuerySet[Feedback]:
    """Items a person may open and act on: everything for the change office, routed items for
    a champion, nothing for anyone else."""
    if has_role(user, Role.CHANGE_OFFICE):
        return _base().order_by("-created_at", "-pk")
    return feedback_routed_to(user)


def feedback_queue() -> QuerySet[Feedback]:
    """All feedback for the change office's list, open first then newest."""
    return _base().order_by("-created_at", "-pk")


def feedback_of_author(user) -> QuerySet[Feedback]:
    """Items a person raised under their own name (anonymous ones are not linked to them)."""
    return (
        Feedback.objects.filter(author=user)
        .select_related("service", "department")
        .order_by("-created_at", "-pk")
    )


def you_said_we_did(service: Service) -> QuerySet[Feedback]:
    """A service's items with a public outcome, most recently updated first (no author)."""
    return (
        Feedback.objects.filter(service=service, status__in=YOU_SAID_WE_DID_STATUSES)
        .exclude(public_answer="")
        .select_related("department")
        .only(
            "pk",
            "kind",
            "status",
            "title",
            "body",
            "public_answer",
            "updated_at",
            "department__name",
            "service_id",
        )
        .order_by("-updated_at", "-pk")
    )


def feedback_open_count_for_service(service: Service) -> int:
    return Feedback.objects.filter(service=service, status__in=OPEN_FEEDBACK_STATUSES).count()
