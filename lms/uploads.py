"""Checks every uploaded file passes before anything reads it: size, real type, archive bombs.

Types are recognised by content, not by the name: an ``.xlsx`` must be a ZIP holding an Office
workbook, a ``.csv`` must be text, an ``.xml`` must start like XML. ZIP-based files are opened
only after their entries pass limits on count, total uncompressed size and compression ratio.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MB = 1024 * 1024


@dataclass(frozen=True)
class UploadLimits:
    max_bytes: int = 10 * MB
    max_zip_entries: int = 200
    max_uncompressed_bytes: int = 100 * MB
    max_compression_ratio: int = 100


DEFAULT_LIMITS = UploadLimits()


def read_upload(upload, *, limits: UploadLimits = DEFAULT_LIMITS) -> bytes:
    """Read an uploaded file into memory, refusing it once it is larger than the limit."""
    size = getattr(upload, "size", None)
    if size is not None and size > limits.max_bytes:
        raise ValidationError(
            _("The file is %(size).1f MB; the limit is %(limit)d MB.")
            % {"size": size / MB, "limit": limits.max_bytes // MB},
            code="too_large",
        )
    data = upload.read(limits.max_bytes + 1)
    if len(data) > limits.max_bytes:
        raise ValidationError(
            _("The file is larger than the %(limit)d MB limit.")
            % {"limit": limits.max_bytes // MB},
            code="too_large",
        )
    return data


def check_zip(data: bytes, *, limits: UploadLimits = DEFAULT_LIMITS) -> zipfile.ZipFile:
    """Open a ZIP-based upload after checking it cannot expand into a bomb."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ValidationError(
            _("The file is damaged or is not a ZIP-based file."), code="bad_zip"
        ) from exc
    entries = archive.infolist()
    if len(entries) > limits.max_zip_entries:
        raise ValidationError(
            _("The file holds too many parts to be safe to open."), code="zip_bomb"
        )
    total = sum(entry.file_size for entry in entries)
    if total > limits.max_uncompressed_bytes:
        raise ValidationError(
            _("The file would expand to more than %(limit)d MB; it is refused.")
            % {"limit": limits.max_uncompressed_bytes // MB},
            code="zip_bomb",
        )
    for entry in entries:
        if (
            entry.compress_size
            and entry.file_size / entry.compress_size > limits.max_compression_ratio
        ):
            raise ValidationError(
                _("The file is compressed suspiciously tightly (a 'zip bomb'); it is refused."),
                code="zip_bomb",
            )
    return archive


def sniff_type(data: bytes) -> str:
    """Recognise the kinds of file CivicSkills accepts from their first bytes: xlsx, csv, xml, gift."""
    if data.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile:
            return "unknown"
        if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
            return "xlsx"
        return "zip"
    if data.startswith((b"\xd0\xcf\x11\xe0", b"%PDF", b"\x7fELF", b"MZ", b"\x89PNG", b"\xff\xd8")):
        return "binary"
    head = data[:4096]
    if b"\x00" in head:
        return "binary"
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError:
        # A multi-byte character may be cut at 4 KiB; judge by what decodes.
        text = head[:-4].decode("utf-8-sig", errors="strict") if len(head) > 4 else ""
    stripped = text.lstrip()
    if stripped.startswith("<?xml") or stripped.startswith("<quiz"):
        return "xml"
    return "text"


def validate_upload(
    upload, *, allowed: set[str], limits: UploadLimits = DEFAULT_LIMITS
) -> tuple[bytes, str]:
    """Read and check an upload; returns (bytes, kind). ``allowed`` kinds: xlsx, csv, xml, gift.

    Raises ValidationError with a message for the person who uploaded it.
    """
    data = read_upload(upload, limits=limits)
    if not data:
        raise ValidationError(_("The file is empty."), code="empty")
    kind = sniff_type(data)
    if kind == "text":
        try:
            data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationError(
                _("The file is not UTF-8 text. Save it as 'CSV UTF-8' and upload it again."),
                code="encoding",
            ) from exc
        kind = "csv" if "csv" in allowed else "gift" if "gift" in allowed else "text"
    if kind in {"xlsx", "zip"}:
        check_zip(data, limits=limits)
    if kind not in allowed:
        names = ", ".join(sorted(allowed)).upper()
        raise ValidationError(
            _(
                "This file's content is not one of the accepted types (%(types)s), whatever its name says."
            )
            % {"types": names},
            code="wrong_type",
        )
    return data, kind
