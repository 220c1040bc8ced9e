"""Staff-site views of readiness: one service's readiness page and its go / no-go report."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lms.permissions import role_required

from ..charts import readiness_chart_svg
from ..models import ReadinessReport, ReadinessReportStatus, ReadinessThresholds, Service
from ..selectors.readiness import (
    latest_report,
    readiness_history,
    report_for_service,
    service_readiness,
)
from ..selectors.rollouts import service_changes, service_get_by_slug
from ..services.readiness import readiness_report_request
from .rollouts import READINESS_ROLES


def _service_or_404(slug: str) -> Service:
    try:
        return service_get_by_slug(slug)
    except Service.DoesNotExist:
        raise Http404 from None


@role_required(*READINESS_ROLES)
@require_GET
def service_readiness_view(request, slug: str):
    """Readiness of each affected department, its history as a chart and table, the phase
    and go-live history, and the go / no-go report."""
    service = _service_or_404(slug)
    readiness = service_readiness(service, thresholds=ReadinessThresholds.load(request))
    history = readiness_history(service)
    chart = readiness_chart_svg(
        history,
        chart_id="readiness-chart",
        title=_("Trained staff over time: %(service)s") % {"service": service.name},
    )
    return render(
        request,
        "champions/readiness/service_readiness.html",
        {
            "service": service,
            "readiness": readiness,
            "history": history,
            "chart": chart,
            "changes": service_changes(service),
            "report": latest_report(service),
            "required_courses": list(service.required_courses.all()),
            "required_curricula": list(service.required_curricula.all()),
            "job_roles": list(service.affected_job_roles.all()),
        },
    )


@role_required(*READINESS_ROLES)
@require_POST
def readiness_report_request_view(request, slug: str):
    """Ask for a go / no-go PDF; it is prepared in the background."""
    service = _service_or_404(slug)
    report = readiness_report_request(service=service, actor=request.user)
    report.refresh_from_db()
    if report.status == ReadinessReportStatus.READY:
        messages.success(request, _("The go / no-go report is ready to download."))
    else:
        messages.info(
            request,
            _("The go / no-go report is being prepared. Reload this page in a moment."),
        )
    return redirect("champions:service_readiness", slug=service.slug)


@role_required(*READINESS_ROLES)
@require_GET
def readiness_report_download(request, slug: str, report_id: int):
    """The PDF of one of this service's reports (404 for any other id or one not ready)."""
    service = _service_or_404(slug)
    try:
        report = report_for_service(service=service, report_id=report_id)
    except ReadinessReport.DoesNotExist:
        raise Http404 from None
    if report.status != ReadinessReportStatus.READY or not report.file:
        raise Http404
    filename = f"go-no-go-{service.slug}-{report.finished_at:%Y%m%d}.pdf"
    return FileResponse(
        report.file.open("rb"),
        as_attachment=True,
        filename=filename,
        content_type="application/pdf",
    )
