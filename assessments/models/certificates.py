"""Certificates of completion (of a course or a whole curriculum) and HR evidence packs.

A certificate keeps a snapshot of what it certifies (name, title, dates), so its PDF is the
same on every download even if the person or the course is renamed later. The PDF itself is
drawn on download (deterministically) and never stored.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = [
    "Certificate",
    "CertificateExport",
    "CertificateKind",
    "CertificateStatus",
    "ExportStatus",
]


class CertificateKind(models.TextChoices):
    COURSE = "course", _("Course")
    CURRICULUM = "curriculum", _("Curriculum")


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


class Certificate(models.Model):
    """A certificate of completion, issued once per course completion (or curriculum).

    Issuing is idempotent: at most one live (not revoked) certificate exists per course
    completion, and per person and curriculum; the database enforces it.
    """

    kind = models.CharField(
        _("kind"), max_length=20, choices=CertificateKind.choices, default=CertificateKind.COURSE
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="certificates",
    )
    completion = models.ForeignKey(
        "courses.CourseCompletion",
        verbose_name=_("course completion"),
        # Deleting a completion must not silently delete its certificate (it is evidence);
        # deleting the person removes both.
        on_delete=models.RESTRICT,
        related_name="certificates",
        help_text=_("For a curriculum: the completion of its last course."),
    )
    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    curriculum = models.ForeignKey(
        "lms.Curriculum",
        verbose_name=_("curriculum"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    code = models.CharField(_("verification code"), max_length=32, unique=True)
    recipient_name = models.CharField(_("name on the certificate"), max_length=255)
    title = models.CharField(_("title on the certificate"), max_length=255)
    completed_on = models.DateField(_("completed on"))
    expires_on = models.DateField(_("valid until"), null=True, blank=True)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revocation_reason = models.TextField(_("reason for revoking"), blank=True)

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(
                fields=["completion"],
                condition=models.Q(kind="course", revoked_at__isnull=True),
                name="one_live_certificate_per_completion",
            ),
            models.UniqueConstraint(
                fields=["user", "curriculum"],
                condition=models.Q(kind="curriculum", revoked_at__isnull=True),
                name="one_live_certificate_per_curriculum",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="course") | models.Q(curriculum__isnull=False),
                name="curriculum_certificate_names_curriculum",
            ),
        ]
        indexes = [models.Index(fields=["user", "issued_at"])]

    def __str__(self) -> str:
        return f"{self.recipient_name} · {self.title} · {self.code}"

    def status_on(self, today) -> str:
        """Valid, expired or revoked on the given date."""
        if self.revoked_at is not None:
            return CertificateStatus.REVOKED
        if self.expires_on is not None and self.expires_on < today:
            return CertificateStatus.EXPIRED
        return CertificateStatus.VALID

    @property
    def status(self) -> str:
        return self.status_on(timezone.localdate())

    def get_status_display(self) -> str:
        return CertificateStatus(self.status).label


class ExportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to start")
    RUNNING = "running", _("Being built")
    READY = "ready", _("Ready to download")
    FAILED = "failed", _("Failed")


def _export_path(instance: CertificateExport, filename: str) -> str:
    return f"certificate-exports/{instance.token}.zip"


class CertificateExport(models.Model):
    """A ZIP of certificates with a CSV manifest (an audit evidence pack), built in the background.

    ``filters`` holds the certificate filter parameters; the HR scope of ``requested_by`` is
    applied again when the pack is built. The file is only served through a permission-checked
    view, never straight from MEDIA_URL.
    """

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    description = models.CharField(_("contents"), max_length=255, blank=True)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ExportStatus.choices, default=ExportStatus.PENDING
    )
    file = models.FileField(_("file"), upload_to=_export_path, blank=True)
    certificate_count = models.PositiveIntegerField(_("certificates"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("certificate evidence pack")
        verbose_name_plural = _("certificate evidence packs")

    def __str__(self) -> str:
        return self.description or str(_("Certificate evidence pack"))
