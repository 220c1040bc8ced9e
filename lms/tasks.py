"""Celery tasks of the organisation core and of HR (assignments, reminders, roster imports).

Every task takes ids and is idempotent, so a redelivered message does no harm.
"""

from celery import shared_task

from .outbox import outbox_deliver


@shared_task(name="lms.tasks.outbox_flush")
def outbox_flush() -> int:
    """Deliver outbox messages that could not be sent when they were written."""
    return outbox_deliver()


@shared_task(name="lms.tasks.ping")
def ping(value: str = "pong") -> str:
    """Echo: lets tests and operators see a worker answer through the broker."""
    return value


@shared_task(name="lms.tasks.reminders_daily", acks_late=True, reject_on_worker_lost=True)
def reminders_daily() -> dict:
    """Send today's "due soon" and "overdue" reminders (at most one of each per person a day)."""
    from .hr.reminders import reminders_run

    return reminders_run()


@shared_task(name="lms.tasks.manager_digest", acks_late=True, reject_on_worker_lost=True)
def manager_digest() -> int:
    """Send line managers their weekly digest (only on the weekday from the site settings)."""
    from .hr.reminders import manager_digest_send

    return manager_digest_send()


@shared_task(name="lms.tasks.recertification_sweep", acks_late=True, reject_on_worker_lost=True)
def recertification_sweep() -> int:
    """Assign again every course whose certificate is about to expire."""
    from .hr.services import recertification_sweep as sweep

    return sweep()


@shared_task(name="lms.tasks.assignment_rule_apply", acks_late=True, reject_on_worker_lost=True)
def assignment_rule_apply(rule_id: int) -> int:
    """Apply a large assignment rule outside the web request."""
    from .hr.services import assignment_rule_apply as apply
    from .models import AssignmentRule

    rule = AssignmentRule.objects.filter(pk=rule_id).first()
    if rule is None:
        return 0
    return apply(rule=rule)


@shared_task(name="lms.tasks.assignments_create", acks_late=True, reject_on_worker_lost=True)
def assignments_create(
    user_ids: list[int],
    course_id: int | None = None,
    curriculum_id: int | None = None,
    required: bool = True,
    due_date: str | None = None,
    assigned_by_id: int | None = None,
) -> int:
    """Assign a course or curriculum to many people (the admin's "Assign training")."""
    import datetime as dt

    from django.contrib.auth import get_user_model

    from courses.models import CoursePage

    from .hr.services import assignments_create as create
    from .models import Curriculum

    course = CoursePage.objects.filter(pk=course_id).first() if course_id else None
    curriculum = Curriculum.objects.filter(pk=curriculum_id).first() if curriculum_id else None
    if course is None and curriculum is None:
        return 0
    return create(
        users=user_ids,
        course=course,
        curriculum=curriculum,
        required=required,
        due_date=dt.date.fromisoformat(due_date) if due_date else None,
        assigned_by=get_user_model().objects.filter(pk=assigned_by_id).first(),
    )


@shared_task(name="lms.tasks.due_date_moved_notify", acks_late=True, reject_on_worker_lost=True)
def due_date_moved_notify(rule_id: int, user_ids: list[int]) -> int:
    """Tell people once that the due date of their training from a rule moved."""
    from .hr.reminders import due_date_moved_send

    return due_date_moved_send(rule_id=rule_id, user_ids=user_ids)


@shared_task(name="lms.tasks.roster_check", acks_late=True, reject_on_worker_lost=True)
def roster_check(roster_import_id: int) -> None:
    """Check an uploaded roster (the admin's preview)."""
    from .hr.roster import roster_upload_check

    roster_upload_check(roster_import_id=roster_import_id)


@shared_task(name="lms.tasks.roster_run", acks_late=True, reject_on_worker_lost=True)
def roster_run(roster_import_id: int) -> None:
    """Import a confirmed roster upload."""
    from .hr.roster import roster_upload_run

    roster_upload_run(roster_import_id=roster_import_id)
