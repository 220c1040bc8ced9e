"""Transactional outbox: enqueue Celery work in the same transaction as the data it acts on.

Use ``outbox_enqueue("app.tasks.name", key=value, ...)`` inside a service's transaction instead
of ``task.delay()``. The row commits (or rolls back) with the data; after commit we try to hand
it to the broker at once; ``outbox_flush`` (Celery beat, every minute) delivers whatever could
not be sent, e.g. while Redis was down.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import OutboxMessage

logger = logging.getLogger(__name__)


def outbox_enqueue(task_name: str, *, dedupe_key: str | None = None, **kwargs) -> None:
    """Record a task to run after the current transaction commits (kwargs must be JSON)."""
    try:
        with transaction.atomic():
            message = OutboxMessage.objects.create(
                task_name=task_name, kwargs=kwargs, dedupe_key=dedupe_key
            )
    except IntegrityError:
        if dedupe_key is None:
            raise
        return  # the same work is already queued
    transaction.on_commit(lambda: outbox_deliver(message_ids=[message.pk]))


def _send(message: OutboxMessage) -> None:
    from lms.celery import app

    if settings.CELERY_TASK_ALWAYS_EAGER:
        # Embedded mode: run the task in-process, like .delay() would in eager mode. Task
        # modules are imported lazily by Celery, so make sure they are loaded first.
        if message.task_name not in app.tasks:
            app.loader.import_default_modules()
        app.tasks[message.task_name].apply(kwargs=message.kwargs, throw=True)
    else:
        app.send_task(message.task_name, kwargs=message.kwargs)


def outbox_deliver(*, message_ids: list[int] | None = None, limit: int = 500) -> int:
    """Send unsent messages to the broker; returns how many were sent. Never raises."""
    queryset = OutboxMessage.objects.filter(sent_at__isnull=True).order_by("created_at")
    if message_ids is not None:
        queryset = queryset.filter(pk__in=message_ids)
    sent = 0
    for message in queryset[:limit]:
        try:
            _send(message)
        except Exception as exc:  # broker down, or the eager task failed: keep it for the sweep
            OutboxMessage.objects.filter(pk=message.pk).update(
                attempts=message.attempts + 1, last_error=f"{type(exc).__name__}: {exc}"[:2000]
            )
            logger.warning(
                "outbox_send_failed task=%s id=%s error=%r", message.task_name, message.pk, exc
            )
            if message_ids is None and not settings.CELERY_TASK_ALWAYS_EAGER:
                break  # the broker is down: stop hammering it, the next sweep retries
            continue
        OutboxMessage.objects.filter(pk=message.pk).update(
            sent_at=timezone.now(), attempts=message.attempts + 1, last_error=""
        )
        sent += 1
    return sent
