"""Staff-site views of certificates: download (owner or HR in scope), public verification,
and HR's list, revoking and evidence packs (linked from the Wagtail admin menu)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from lms.audit import audit_record
from lms.permissions import role_required
from lms.ratelimit import ratelimit
from lms.roles import Role

from ..forms.certificates import CertificateRevokeForm
from ..models import Certificate, CertificateStatus, ExportStatus
from ..selectors.certificates import (
    CertificateFilterSet,
    certificate_by_code,
    certificate_filename,
    certificate_for_download,
    certificate_pdf,
    certificates_visible_to,
    export_description,
    exports_visible_to,
)
from ..services import certificates as certificate_services
from ..services.certificates import certificate_normalise_code

# Verification is public: limit each address so codes cannot be guessed in bulk.
VERIFY_LIMIT = 30
VERIFY_WINDOW = 60


@require_GET
@role_required()
def certificate_download(request, pk: int):
    """The certificate as a PDF: the owner's own, or any in an HR admin's scope; else 404."""
    certificate = certificate_for_download(user=request.user, pk=pk)
    response = HttpResponse(
        certificate_pdf(certificate=certificate, request=request), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{certificate_filename(certificate)}"'
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
@ratelimit(
    scope="certificate_verify", limit=VERIFY_LIMIT, window=VERIFY_WINDOW, methods=("GET", "HEAD")
)
@require_GET
def certificate_verify(request, code: str):
    """Public: is this certificate valid, expired or revoked? Name, title and dates only."""
    certificate = certificate_by_code(certificate_normalise_code(code))
    if certificate is None:
        return render(
            request, "assessments/certificates/verify_not_found.html", {"code": code}, status=404
        )
    status = certificate.status_on(timezone.localdate())
    return render(
        request,
        "assessments/certificates/verify.html",
        {
            "certificate": certificate,
            "status": status,
            "status_label": CertificateStatus(status).label,
            "Status": CertificateStatus,
        },
    )


# --- HR: the certificate list, revoking and evidence packs -----------------------------------

CERTIFICATES_PER_PAGE = 50


def _certificate_in_scope(request, pk: int) -> Certificate:
    certificate = certificates_visible_to(request.user).filter(pk=pk).first()
    if certificate is None:
        raise Http404
    return certificate


@require_GET
@role_required(Role.HR_ADMIN)
def certificate_list(request):
    """Certificates of staff in the HR admin's scope, filtered; build an evidence pack from it."""
    filterset = CertificateFilterSet(
        request.GET or None,
        queryset=certificates_visible_to(request.user).order_by("-issued_at", "-pk"),
        request=request,
    )
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    page = Paginator(queryset, CERTIFICATES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "assessments/certificates/list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "today": timezone.localdate(),
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.HR_ADMIN)
def certificate_revoke(request, pk: int):
    """Revoke a certificate of someone in scope, with a reason (audited)."""
    certificate = _certificate_in_scope(request, pk)
    form = CertificateRevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            certificate_services.certificate_revoke(
                certificate=certificate,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            messages.success(request, _("The certificate has been revoked."))
            return redirect("assessments:certificate_list")
    return render(
        request,
        "assessments/certificates/revoke.html",
        {"certificate": certificate, "form": form},
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.HR_ADMIN)
def certificate_exports(request):
    """Evidence packs: POST asks for one from the current filters; GET lists them."""
    if request.method == "POST":
        filterset = CertificateFilterSet(
            request.POST, queryset=certificates_visible_to(request.user), request=request
        )
        if not filterset.is_valid():
            messages.error(request, _("The filters are not valid; correct them and try again."))
            return redirect("assessments:certificate_list")
        filters = {
            name: (value.pk if hasattr(value, "pk") else value)
            for name, value in filterset.form.cleaned_data.items()
            if value not in (None, "")
        }
        filters = {
            name: value.isoformat() if hasattr(value, "isoformat") else value
            for name, value in filters.items()
        }
        certificate_services.certificate_export_create(
            requested_by=request.user,
            filters=filters,
            description=export_description(filterset),
        )
        messages.success(
            request, _("Your evidence pack is being built. It appears below when it is ready.")
        )
        return redirect("assessments:certificate_exports")
    return render(
        request,
        "assessments/certificates/exports.html",
        {"exports": exports_visible_to(request.user)[:50]},
    )


@require_GET
@role_required(Role.HR_ADMIN)
def certificate_export_download(request, token):
    """The ZIP of a ready evidence pack (the requester's own, or any for site-wide HR)."""
    export = exports_visible_to(request.user).filter(token=token).first()
    if export is None or export.status != ExportStatus.READY or not export.file:
        raise Http404
    audit_record(action="certificate.export_downloaded", actor=request.user, target=export)
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=f"certificates-{export.created_at:%Y%m%d-%H%M}.zip",
        content_type="application/zip",
    )
