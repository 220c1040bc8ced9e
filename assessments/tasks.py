"""Celery tasks of assessments. Each takes ids, re-fetches and calls a service; all idempotent."""

from __future__ import annotations

from celery import shared_task

from .services import certificates as certificate_services


@shared_task(
    name="assessments.tasks.certificate_issue_for_completion",
    acks_late=True,
    reject_on_worker_lost=True,
)
def certificate_issue_for_completion(completion_id: int) -> list[str]:
    """Issue the certificate(s) owed for one course completion; returns their codes.

    Queued through the outbox when a course completes (settings.COURSE_COMPLETED_TASKS).
    Running it twice returns the same certificates with the same codes.
    """
    certificates = certificate_services.certificate_issue_for_completion(
        completion_id=completion_id
    )
    return [certificate.code for certificate in certificates]


@shared_task(
    name="assessments.tasks.certificates_catch_up", acks_late=True, reject_on_worker_lost=True
)
def certificates_catch_up() -> int:
    """Issue every certificate still owed (beat, every 10 minutes); returns how many."""
    return certificate_services.certificates_catch_up()


@shared_task(
    name="assessments.tasks.certificate_export_build", acks_late=True, reject_on_worker_lost=True
)
def certificate_export_build(export_id: int) -> str:
    """Build one evidence pack (ZIP of PDFs and a CSV manifest); returns its status."""
    export = certificate_services.certificate_export_build(export_id=export_id)
    return export.status if export is not None else "missing"
