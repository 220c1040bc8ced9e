"""Celery tasks of service rollouts and readiness. Each takes ids, re-fetches and is idempotent."""

from __future__ import annotations

import logging

from celery import shared_task

from . import tasks_network  # noqa: F401  (the champion network's tasks register with ours)

logger = logging.getLogger(__name__)


@shared_task(
    name="champions.tasks.readiness_snapshot_daily", acks_late=True, reject_on_worker_lost=True
)
def readiness_snapshot_daily() -> int:
    """Beat, daily: store today's readiness of every service that is not retired.

    Idempotent: one row per (service, department, date), updated when run again.
    """
    from .services.readiness import readiness_snapshots_take_all

    return readiness_snapshots_take_all()


@shared_task(
    name="champions.tasks.readiness_snapshot_service", acks_late=True, reject_on_worker_lost=True
)
def readiness_snapshot_service(*, service_id: int) -> int:
    """Refresh today's readiness snapshot of one service (after it changed)."""
    from .selectors.readiness import snapshot_services
    from .services.readiness import readiness_snapshot_take

    service = snapshot_services().filter(pk=service_id).first()
    if service is None:
        return 0  # deleted or retired since: nothing to record
    return readiness_snapshot_take(service=service)


@shared_task(
    name="champions.tasks.readiness_report_generate", acks_late=True, reject_on_worker_lost=True
)
def readiness_report_generate(*, report_id: int) -> str:
    """Draw a requested go / no-go PDF. A report that is already ready is left alone."""
    from .models import ReadinessReport
    from .services.readiness import readiness_report_fail
    from .services.readiness import readiness_report_generate as generate

    if not ReadinessReport.objects.filter(pk=report_id).exists():
        return "missing"
    try:
        report = generate(report_id=report_id)
    except Exception as exc:
        logger.exception("readiness_report_failed report=%s", report_id)
        # Marked failed rather than retried: the page says so and offers a new request.
        readiness_report_fail(report_id=report_id, error=f"{type(exc).__name__}: {exc}")
        return "failed"
    return report.status
