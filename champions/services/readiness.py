"""Write-side operations of readiness: daily snapshots and the go / no-go PDF report."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from lms.audit import audit_record
from lms.outbox import outbox_enqueue

from ..models import ReadinessReport, ReadinessReportStatus, ReadinessSnapshot, Service
from ..selectors.readiness import service_readiness, snapshot_services
from ..selectors.rollouts import service_get_by_slug

REPORT_TASK = "champions.tasks.readiness_report_generate"


@transaction.atomic
def readiness_snapshot_take(*, service: Service, date: dt.date | None = None) -> int:
    """Store the service's readiness of ``date`` (default today), one row per affected
    department. Idempotent: a second run the same day updates the same rows."""
    date = date or timezone.localdate()
    readiness = service_readiness(service, today=date)
    for item in readiness.departments:
        ReadinessSnapshot.objects.update_or_create(
            service=service,
            department_id=item.department_id,
            date=date,
            defaults={
                "affected_staff": item.affected_staff,
                "trained_staff": item.trained_staff,
                "certificates_held": item.certificates_held,
                "champions": item.champions,
                "champions_needed": item.champions_needed,
                "open_concerns": item.open_concerns,
                "status": item.status,
                "reasons": [str(reason) for reason in item.reasons],
            },
        )
    return len(readiness.departments)


def readiness_snapshots_take_all(*, date: dt.date | None = None) -> int:
    """Snapshot every service that is not retired; returns the number of rows written.

    Each service commits on its own, so one failing service does not lose the others.
    """
    written = 0
    for service in snapshot_services():
        written += readiness_snapshot_take(service=service, date=date)
    return written


@transaction.atomic
def readiness_report_request(*, service: Service, actor) -> ReadinessReport:
    """Ask for a go / no-go PDF. A report already being prepared is reused (double clicks);
    the PDF is drawn by a Celery task queued after commit."""
    Service.objects.select_for_update().filter(pk=service.pk).first()
    pending = ReadinessReport.objects.filter(
        service=service, status=ReadinessReportStatus.PENDING
    ).first()
    if pending is not None:
        return pending
    report = ReadinessReport.objects.create(
        service=service,
        requested_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(action="service.readiness_report_requested", actor=actor, target=service)
    outbox_enqueue(REPORT_TASK, dedupe_key=f"{REPORT_TASK}:{report.pk}", report_id=report.pk)
    return report


@transaction.atomic
def readiness_report_generate(*, report_id: int) -> ReadinessReport:
    """Draw the PDF of a requested report. Idempotent: a report that is ready is left as is."""
    from ..reports import readiness_report_pdf

    report = ReadinessReport.objects.select_for_update().select_related("service").get(pk=report_id)
    if report.status == ReadinessReportStatus.READY and report.file:
        return report
    service = service_get_by_slug(report.service.slug)
    now = timezone.now()
    readiness = service_readiness(service, today=timezone.localdate(now))
    content = readiness_report_pdf(readiness, generated_at=now)
    filename = f"go-no-go-{service.slug}-{timezone.localtime(now):%Y%m%d-%H%M}.pdf"
    report.file.save(filename, ContentFile(content), save=False)
    report.status = ReadinessReportStatus.READY
    report.finished_at = now
    report.error = ""
    report.save(update_fields=["file", "status", "finished_at", "error"])
    return report


@transaction.atomic
def readiness_report_fail(*, report_id: int, error: str) -> None:
    """Mark a report as failed so the page stops saying "being prepared"."""
    ReadinessReport.objects.filter(pk=report_id).exclude(status=ReadinessReportStatus.READY).update(
        status=ReadinessReportStatus.FAILED, error=error[:2000], finished_at=timezone.now()
    )
