"""Celery tasks of the organisation core."""

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
