"""QR codes from ReportLab's own encoder, as a module matrix or an inline SVG."""

from __future__ import annotations

from functools import lru_cache

from django.utils.safestring import SafeString
from reportlab.graphics.barcode.qrencoder import QRCode, QRErrorCorrectLevel


@lru_cache(maxsize=256)
def qr_matrix(data: str, level: int = QRErrorCorrectLevel.M) -> tuple[tuple[bool, ...], ...]:
    """The dark/light modules of the QR code for ``data`` (smallest version that fits)."""
    code = QRCode(None, level)
    code.addData(data)
    code.make()
    return tuple(tuple(row) for row in code.modules)


def qr_dark_runs(matrix) -> list[tuple[int, int, int]]:
    """Horizontal runs of dark modules as (row, first column, length): one shape per run."""
    runs = []
    for row_index, row in enumerate(matrix):
        start = None
        for col, dark in enumerate((*row, False)):
            if dark and start is None:
                start = col
            elif not dark and start is not None:
                runs.append((row_index, start, col - start))
                start = None
    return runs


def qr_svg(data: str, *, size: int = 200, label: str = "QR code") -> SafeString:
    """An accessible SVG of the QR code (role="img" with a title), with a 4-module quiet zone."""
    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    matrix = qr_matrix(data)
    count = len(matrix) + 8
    path = "".join(
        f"M{col + 4} {row + 4}h{length}v1h-{length}z" for row, col, length in qr_dark_runs(matrix)
    )
    # Safe: the markup is ours and the only text in it (the label) is escaped.
    return mark_safe(  # noqa: S308
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(label)}" '
        f'width="{size}" height="{size}" viewBox="0 0 {count} {count}" shape-rendering="crispEdges">'
        f"<title>{escape(label)}</title>"
        f'<rect width="{count}" height="{count}" fill="#fff"/><path d="{path}" fill="#000"/></svg>'
    )
