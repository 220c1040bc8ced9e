"""What assessments adds to a person's data export (settings.PERSONAL_DATA_FILES)."""

from __future__ import annotations

from collections.abc import Iterator

from lms.privacy import PersonalDataFile

from .models import Certificate
from .selectors.certificates import certificate_filename, certificate_pdf_items


def certificate_files(*, user) -> Iterator[PersonalDataFile]:
    """Every certificate of the person as a PDF, revoked ones included (they are theirs too)."""
    certificates = Certificate.objects.filter(user=user).select_related("course", "curriculum")
    for certificate, pdf in certificate_pdf_items(certificates.order_by("pk")):
        yield PersonalDataFile(name=certificate_filename(certificate), content=pdf)
