"""Read-side queries of certificates: who sees which, the shared filter, PDFs and verification."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Site

from courses.models import CourseCompletion, CoursePage
from lms.models import Curriculum, Department, JobRole
from lms.permissions import department_descendant_ids, hr_department_scope

from ..certificates.pdf import CertificateData, render_certificate, render_certificates
from ..models import Certificate, CertificateExport, CertificateKind, CertificateStatus

# --- Who sees which certificates ---------------------------------------------------------------


def certificates_visible_to(user) -> QuerySet[Certificate]:
    """Certificates an HR admin may see: everything, their departments' staff, or nothing."""
    queryset = Certificate.objects.select_related(
        "user__profile__department", "user__profile__job_role", "course", "curriculum"
    )
    scope = hr_department_scope(user)
    if scope is None:
        return queryset
    return queryset.filter(user__profile__department_id__in=scope)


def certificate_for_download(*, user, pk: int) -> Certificate:
    """The certificate ``pk`` if ``user`` may download it, else Http404 (never reveal others').

    The owner may download their live certificates; HR admins those of staff in their scope.
    """
    certificate = Certificate.objects.select_related("user__profile").filter(pk=pk).first()
    if certificate is None:
        raise Http404
    if certificate.user_id == user.pk and certificate.revoked_at is None:
        return certificate
    scope = hr_department_scope(user)
    profile = getattr(certificate.user, "profile", None)
    if scope is None or (profile is not None and profile.department_id in scope):
        return certificate
    raise Http404


def certificate_by_code(code: str) -> Certificate | None:
    """The certificate with this (normalised) verification code, if any."""
    if not code:
        return None
    return Certificate.objects.filter(code=code).first()


# --- The shared filter -------------------------------------------------------------------------


def _status_filter(queryset, name, value):
    today = timezone.localdate()
    live = Q(revoked_at__isnull=True)
    if value == CertificateStatus.VALID:
        return queryset.filter(live & (Q(expires_on__isnull=True) | Q(expires_on__gte=today)))
    if value == CertificateStatus.EXPIRED:
        return queryset.filter(live & Q(expires_on__lt=today))
    if value == CertificateStatus.REVOKED:
        return queryset.filter(revoked_at__isnull=False)
    return queryset


class CertificateFilterSet(django_filters.FilterSet):
    """Filters of the certificate list; also what an evidence pack is built from."""

    department = django_filters.ModelChoiceFilter(
        label=_("Department (with sub-departments)"),
        queryset=Department.objects.all(),
        method="filter_department",
    )
    job_role = django_filters.ModelChoiceFilter(
        label=_("Job role"), queryset=JobRole.objects.all(), field_name="user__profile__job_role"
    )
    course = django_filters.ModelChoiceFilter(
        label=_("Course"), queryset=CoursePage.objects.order_by("title")
    )
    curriculum = django_filters.ModelChoiceFilter(
        label=_("Curriculum"), queryset=Curriculum.objects.all()
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=CertificateKind.choices)
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=CertificateStatus.choices, method=_status_filter
    )
    issued_from = django_filters.DateFilter(
        label=_("Issued on or after"),
        field_name="issued_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    issued_to = django_filters.DateFilter(
        label=_("Issued on or before"),
        field_name="issued_at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Certificate
        fields = [
            "department",
            "job_role",
            "course",
            "curriculum",
            "kind",
            "status",
            "issued_from",
            "issued_to",
        ]

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        user = getattr(request, "user", None)
        if user is not None:
            scope = hr_department_scope(user)
            if scope is not None:
                self.filters["department"].queryset = Department.objects.filter(pk__in=scope)

    def filter_department(self, queryset, name, value):
        return queryset.filter(
            user__profile__department_id__in=department_descendant_ids([value.pk])
        )


def certificates_for_export(*, export: CertificateExport) -> list[Certificate]:
    """The certificates an evidence pack holds: its filters within the requester's HR scope."""
    if export.requested_by is None:
        return []
    base = certificates_visible_to(export.requested_by).order_by("pk")
    filterset = CertificateFilterSet(data=export.filters, queryset=base)
    if not filterset.is_valid():
        raise ValueError(f"Invalid filters: {filterset.errors.as_json()}")
    return list(filterset.qs)


# --- PDFs --------------------------------------------------------------------------------------


def certificate_verify_url(code: str) -> str:
    """The absolute address of a certificate's public verification page."""
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return base + reverse("assessments:certificate_verify", args=[code])


@dataclass(frozen=True)
class CertificateLook:
    """What the municipality settings put on every certificate."""

    municipality_name: str
    logo_path: str | None
    paper: str
    signatory: str


def certificate_look(request=None) -> CertificateLook:
    """Municipality name, logo file, paper size and signatory from the site settings."""
    from cms.models import MunicipalitySettings

    site = Site.find_for_request(request) if request is not None else None
    site = site or Site.objects.filter(is_default_site=True).first()
    if site is None:
        return CertificateLook(settings.MUNICIPALITY_NAME, None, "letter", "")
    municipality = MunicipalitySettings.objects.select_related("logo").filter(site=site).first()
    if municipality is None:
        municipality = MunicipalitySettings.for_site(site)
    logo_path = None
    if municipality.logo is not None:
        try:
            logo_path = municipality.logo.file.path
        except (NotImplementedError, ValueError):  # remote storage: print without the logo
            logo_path = None
    return CertificateLook(
        municipality_name=municipality.municipality_name,
        logo_path=logo_path,
        paper=municipality.certificate_paper_size or "letter",
        signatory=municipality.certificate_signatory,
    )


def certificate_data(certificate: Certificate, look: CertificateLook) -> CertificateData:
    return CertificateData(
        recipient_name=certificate.recipient_name,
        course_title=certificate.title,
        municipality_name=look.municipality_name,
        completed_on=certificate.completed_on,
        expires_on=certificate.expires_on,
        verification_code=certificate.code,
        verify_url=certificate_verify_url(certificate.code),
        signatory=look.signatory,
        logo_path=look.logo_path,
    )


def certificate_pdf(*, certificate: Certificate, request=None) -> bytes:
    """The certificate as a PDF, drawn now. Same certificate and settings → same bytes."""
    look = certificate_look(request)
    return render_certificate(certificate_data(certificate, look), paper=look.paper)


def certificate_pdf_items(
    certificates: Iterable[Certificate],
) -> Iterator[tuple[Certificate, bytes]]:
    """(certificate, PDF) pairs, sharing fonts, logo and QR tables between the PDFs."""
    certificates = list(certificates)
    look = certificate_look()
    pdfs = render_certificates(
        (certificate_data(item, look) for item in certificates), paper=look.paper
    )
    return zip(certificates, pdfs, strict=True)


def certificate_filename(certificate: Certificate) -> str:
    return f"certificate-{certificate.code}.pdf"


# --- The learner's own certificates ----------------------------------------------------------


@dataclass(frozen=True)
class PendingCertificate:
    title: str
    completed_at: dt.datetime


def learner_certificates(user) -> list[Certificate]:
    """A person's certificates, newest first (one query)."""
    return list(Certificate.objects.filter(user=user).order_by("-issued_at", "-pk"))


def learner_pending_certificates(
    user, *, certificates: list[Certificate] | None = None
) -> list[PendingCertificate]:
    """Completions of the person whose certificate is still on its way: one query, given the
    person's ``certificates`` (from ``learner_certificates``); compared in Python, as a person
    has a few dozen at most (a NOT EXISTS subquery cost more to build than to run)."""
    if certificates is None:
        certificates = learner_certificates(user)
    issued = {c.completion_id for c in certificates if c.kind == CertificateKind.COURSE}
    rows = (
        CourseCompletion.objects.filter(user=user)
        .order_by("-completed_at", "-pk")
        .values_list("pk", "course__title", "completed_at")
    )
    return [
        PendingCertificate(title, completed_at)
        for pk, title, completed_at in rows
        if pk not in issued
    ]


def exports_visible_to(user) -> QuerySet[CertificateExport]:
    """Evidence packs a person may see: their own; site-wide HR admins see everyone's."""
    queryset = CertificateExport.objects.select_related("requested_by")
    if hr_department_scope(user) is None:
        return queryset
    return queryset.filter(requested_by=user)


def export_description(filterset: CertificateFilterSet) -> str:
    """A short human description of an evidence pack's filters, e.g. "Department: Finance"."""
    parts = []
    for name, value in filterset.form.cleaned_data.items():
        if value in (None, ""):
            continue
        field = filterset.form.fields[name]
        if hasattr(field, "choices") and not hasattr(value, "pk"):
            value = dict(field.choices).get(value, value)
        parts.append(f"{field.label}: {value}")
    return "; ".join(parts) or str(_("All certificates in your scope"))
