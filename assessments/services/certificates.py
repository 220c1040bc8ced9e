"""Write-side operations of certificates: issue (idempotent), catch up, revoke, evidence packs.

Issuing is safe to repeat: the task that calls it can run twice (the outbox may deliver a
message twice, the catch-up may race the normal path), and the database allows one live
certificate per course completion and per person and curriculum. A second call returns the
certificate the first one made, with the same code.
"""

from __future__ import annotations

import base64
import csv
import io
import logging
import re
import secrets
import tempfile
import zipfile

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import CourseCompletion
from lms.audit import audit_record
from lms.models import Assignment, AssignmentStatus, Curriculum
from lms.outbox import outbox_enqueue

from ..models import (
    Certificate,
    CertificateExport,
    CertificateKind,
    ExportStatus,
)

logger = logging.getLogger(__name__)

EXPORT_TASK = "assessments.tasks.certificate_export_build"
CATCH_UP_BATCH = 500


# --- Verification codes ------------------------------------------------------------------------


def certificate_new_code() -> str:
    """A fresh verification code: 80 random bits as 16 base32 characters, in groups of four."""
    raw = base64.b32encode(secrets.token_bytes(10)).decode("ascii")
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


_NOT_CODE = re.compile(r"[^A-Z2-7]")


def certificate_normalise_code(value: str) -> str:
    """Accept a code as people type it (lower case, spaces, no dashes); '' if it cannot be one."""
    compact = _NOT_CODE.sub("", (value or "").upper().replace("0", "O").replace("1", "I"))
    if len(compact) != 16:
        return ""
    return "-".join(compact[i : i + 4] for i in range(0, 16, 4))


# --- Issuing -----------------------------------------------------------------------------------


def _recipient_name(user) -> str:
    return user.get_full_name() or user.get_username()


def _create_once(*, existing, build) -> tuple[Certificate, bool]:
    """Return the existing certificate, or create one; a concurrent creator wins cleanly."""
    found = existing().first()
    if found is not None:
        return found, False
    certificate = build()
    certificate.code = certificate_new_code()
    try:
        with transaction.atomic():
            certificate.full_clean()
            certificate.save()
    except (IntegrityError, ValidationError):
        # Another worker issued it between our read and our insert: return theirs.
        found = existing().first()
        if found is None:
            raise
        return found, False
    return certificate, True


def _course_certificate(completion: CourseCompletion) -> tuple[Certificate, bool]:
    def existing():
        # A revoked certificate is not reissued automatically: revoking is HR's decision.
        return Certificate.objects.filter(
            completion=completion, kind=CertificateKind.COURSE
        ).order_by("revoked_at", "-issued_at")

    def build():
        return Certificate(
            kind=CertificateKind.COURSE,
            user=completion.user,
            completion=completion,
            course=completion.course,
            recipient_name=_recipient_name(completion.user),
            title=completion.course.title,
            completed_on=timezone.localdate(completion.completed_at),
            expires_on=(
                timezone.localdate(completion.expires_at) if completion.expires_at else None
            ),
        )

    return _create_once(existing=existing, build=build)


def _curricula_completed_by(completion: CourseCompletion) -> list[tuple[Curriculum, list]]:
    """Curricula assigned to the person, containing this course, with every course completed.

    Returns each with the latest completion of each of its courses.
    """
    curriculum_ids = set(
        Assignment.objects.filter(
            user_id=completion.user_id,
            curriculum__isnull=False,
            curriculum__items__course_id=completion.course_id,
        )
        .exclude(status=AssignmentStatus.WITHDRAWN)
        .values_list("curriculum_id", flat=True)
    )
    if not curriculum_ids:
        return []
    result = []
    curricula = Curriculum.objects.filter(pk__in=curriculum_ids).prefetch_related("items")
    for curriculum in curricula.order_by("pk"):
        course_ids = {item.course_id for item in curriculum.items.all()}
        latest: dict[int, CourseCompletion] = {}
        for item in CourseCompletion.objects.filter(
            user_id=completion.user_id, course_id__in=course_ids
        ).order_by("completed_at", "pk"):
            latest[item.course_id] = item
        if course_ids and set(latest) == course_ids:
            result.append((curriculum, list(latest.values())))
    return result


def _curriculum_certificate(
    completion: CourseCompletion, curriculum: Curriculum, completions: list
) -> tuple[Certificate, bool]:
    def existing():
        return Certificate.objects.filter(
            user_id=completion.user_id, curriculum=curriculum, kind=CertificateKind.CURRICULUM
        ).order_by("revoked_at", "-issued_at")

    def build():
        expiries = [c.expires_at for c in completions if c.expires_at is not None]
        last = max(completions, key=lambda c: c.completed_at)
        return Certificate(
            kind=CertificateKind.CURRICULUM,
            user=completion.user,
            completion=last,
            curriculum=curriculum,
            recipient_name=_recipient_name(completion.user),
            title=curriculum.name,
            completed_on=timezone.localdate(last.completed_at),
            expires_on=timezone.localdate(min(expiries)) if expiries else None,
        )

    return _create_once(existing=existing, build=build)


@transaction.atomic
def certificate_issue_for_completion(*, completion_id: int) -> list[Certificate]:
    """Issue the certificate of a course completion, and of any curriculum it completes.

    Idempotent: calling it again returns the same certificates (same codes) and creates
    nothing. A completion that no longer exists issues nothing.
    """
    completion = (
        CourseCompletion.objects.select_related("user", "course").filter(pk=completion_id).first()
    )
    if completion is None:
        logger.info("certificate_issue_skipped completion_id=%s reason=missing", completion_id)
        return []
    issued = []
    certificate, created = _course_certificate(completion)
    issued.append(certificate)
    if created:
        audit_record(
            action="certificate.issued",
            target=certificate,
            code=certificate.code,
            completion_id=completion.pk,
        )
    for curriculum, completions in _curricula_completed_by(completion):
        certificate, created = _curriculum_certificate(completion, curriculum, completions)
        issued.append(certificate)
        if created:
            audit_record(
                action="certificate.issued",
                target=certificate,
                code=certificate.code,
                curriculum_id=curriculum.pk,
            )
    return issued


def certificates_owed(*, limit: int = CATCH_UP_BATCH) -> list[int]:
    """Ids of course completions that have no certificate yet (oldest first)."""
    has_certificate = Certificate.objects.filter(
        completion_id=OuterRef("pk"), kind=CertificateKind.COURSE
    )
    return list(
        CourseCompletion.objects.filter(~Exists(has_certificate))
        .order_by("completed_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def certificates_catch_up(*, limit: int = CATCH_UP_BATCH) -> int:
    """Issue every certificate that is owed (e.g. after the broker was down); returns how many.

    Each completion is issued in its own transaction, so one failure does not hold back the
    rest; it is logged and retried on the next run.
    """
    issued = 0
    for completion_id in certificates_owed(limit=limit):
        try:
            certificate_issue_for_completion(completion_id=completion_id)
        except Exception:
            logger.exception("certificate_catch_up_failed completion_id=%s", completion_id)
            continue
        issued += 1
    return issued


# --- Revoking ----------------------------------------------------------------------------------


@transaction.atomic
def certificate_revoke(
    *, certificate: Certificate, actor, reason: str, request=None
) -> Certificate:
    """Revoke a certificate with a reason; the verification page shows it as revoked.

    The reason is kept on the certificate and in the audit trail. Revoking twice is refused.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for revoking this certificate.")})
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.revoked_at is not None:
        raise ValidationError(_("This certificate has already been revoked."))
    certificate.revoked_at = timezone.now()
    certificate.revoked_by = actor
    certificate.revocation_reason = reason
    certificate.full_clean()
    certificate.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    audit_record(
        action="certificate.revoked",
        actor=actor,
        target=certificate,
        request=request,
        reason=reason,
        code=certificate.code,
    )
    return certificate


# --- Evidence packs (ZIP of PDFs with a CSV manifest) ---------------------------------------


MANIFEST_COLUMNS = [
    "verification_code",
    "status",
    "name",
    "employee_id",
    "department",
    "job_role",
    "kind",
    "title",
    "completed_on",
    "expires_on",
    "issued_at",
    "revoked_at",
    "revocation_reason",
    "verify_url",
    "file",
]


@transaction.atomic
def certificate_export_create(
    *, requested_by, filters: dict, description: str = ""
) -> CertificateExport:
    """Ask for an evidence pack of the certificates matching ``filters`` (built in the background).

    ``filters`` are CertificateFilterSet parameters; the requester's HR scope is applied when
    the pack is built.
    """
    export = CertificateExport(
        requested_by=requested_by,
        filters={key: value for key, value in filters.items() if value not in ("", None, [])},
        description=description[:255],
    )
    export.full_clean()
    export.save()
    outbox_enqueue(EXPORT_TASK, dedupe_key=f"{EXPORT_TASK}:{export.pk}", export_id=export.pk)
    audit_record(
        action="certificate.export_requested",
        actor=requested_by,
        target=export,
        filters=export.filters,
    )
    return export


def certificate_export_build(*, export_id: int) -> CertificateExport | None:
    """Build the ZIP of an evidence pack: one PDF per certificate and manifest.csv.

    Idempotent: a pack that is already built is left as it is. The ZIP is written to a
    temporary file and only then stored, so a failure never leaves half a pack behind; a
    failure marks the pack failed (with the error) and HR can ask for it again.
    """
    from ..selectors.certificates import (
        certificate_pdf_items,
        certificate_verify_url,
        certificates_for_export,
    )

    with transaction.atomic():
        export = CertificateExport.objects.select_for_update().filter(pk=export_id).first()
        if export is None or export.status == ExportStatus.READY:
            return export
        export.status = ExportStatus.RUNNING
        export.save(update_fields=["status"])

    try:
        certificates = certificates_for_export(export=export)
        today = timezone.localdate()
        with tempfile.TemporaryFile() as handle:
            with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                manifest = io.StringIO()
                writer = csv.writer(manifest)
                writer.writerow(MANIFEST_COLUMNS)
                for certificate, pdf in certificate_pdf_items(certificates):
                    name = f"certificates/{certificate.code}.pdf"
                    archive.writestr(name, pdf)
                    profile = getattr(certificate.user, "profile", None)
                    writer.writerow(
                        [
                            certificate.code,
                            certificate.status_on(today),
                            certificate.recipient_name,
                            profile.employee_id if profile else "",
                            str(profile.department or "") if profile else "",
                            str(profile.job_role or "") if profile else "",
                            certificate.kind,
                            certificate.title,
                            certificate.completed_on.isoformat(),
                            certificate.expires_on.isoformat() if certificate.expires_on else "",
                            timezone.localtime(certificate.issued_at).isoformat(timespec="seconds"),
                            timezone.localtime(certificate.revoked_at).isoformat(timespec="seconds")
                            if certificate.revoked_at
                            else "",
                            certificate.revocation_reason,
                            certificate_verify_url(certificate.code),
                            name,
                        ]
                    )
                archive.writestr("manifest.csv", manifest.getvalue())
            handle.seek(0)
            with transaction.atomic():
                export = CertificateExport.objects.select_for_update().get(pk=export_id)
                export.file.save(f"{export.token}.zip", File(handle), save=False)
                export.status = ExportStatus.READY
                export.certificate_count = len(certificates)
                export.error = ""
                export.finished_at = timezone.now()
                export.save(
                    update_fields=["file", "status", "certificate_count", "error", "finished_at"]
                )
    except Exception as exc:
        logger.exception("certificate_export_failed export_id=%s", export_id)
        CertificateExport.objects.filter(pk=export_id).update(
            status=ExportStatus.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
        )
        return CertificateExport.objects.get(pk=export_id)
    return export
