"""The certificate PDF renderer: content, paper sizes, fonts, logo and QR code.

Pure ReportLab; none of these tests touch the database.
"""

from __future__ import annotations

import dataclasses
import datetime
import io
import random
import string

import pytest
from PIL import Image
from pypdf import PdfReader
from reportlab.graphics.barcode import qrencoder

from assessments.certificates import pdf
from assessments.certificates.pdf import (
    CertificateData,
    format_date,
    qr_matrix,
    render_certificate,
    render_certificates,
)

CODE = "K7QF-2M9X-PLTA-8RWC"
URL = f"https://learn.example.gov/certificates/verify/{CODE}/"


def make_data(**overrides: object) -> CertificateData:
    values: dict[str, object] = {
        "recipient_name": "Zoë O'Brien-Núñez",
        "course_title": "Cybersecurity Awareness for Municipal Employees",
        "municipality_name": "City of Springfield",
        "completed_on": datetime.date(2026, 3, 4),
        "expires_on": datetime.date(2028, 3, 4),
        "verification_code": CODE,
        "verify_url": URL,
        "signatory": "Dana Whitfield, City Manager",
    }
    values.update(overrides)
    return CertificateData(**values)  # type: ignore[arg-type]


def read(document: bytes) -> PdfReader:
    assert document.startswith(b"%PDF-")
    assert document.rstrip().endswith(b"%%EOF")
    reader = PdfReader(io.BytesIO(document))
    assert len(reader.pages) == 1
    return reader


def text_of(document: bytes) -> str:
    """The page text with all runs of whitespace collapsed to one space."""
    return " ".join(read(document).pages[0].extract_text().split())


def stock_qr(text: str) -> qrencoder.QRCode:
    qr = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    qr.addData(text)
    qr.make()
    return qr


# --- content ----------------------------------------------------------------


def test_text_can_be_read_back_including_accents():
    text = text_of(render_certificate(make_data()))

    assert "Zoë O'Brien-Núñez" in text
    assert "Cybersecurity Awareness for Municipal Employees" in text
    assert "City of Springfield" in text
    assert CODE in text
    assert "Certificate of completion" in text
    assert "has completed" in text
    assert "March 4, 2026" in text
    assert f"Verify at {URL}" in text
    assert "Dana Whitfield, City Manager" in text


def test_expiry_line_only_when_expires_on_is_set():
    with_expiry = text_of(render_certificate(make_data()))
    without = text_of(render_certificate(make_data(expires_on=None)))

    assert "Valid until March 4, 2028" in with_expiry
    assert "Valid until" not in without
    assert "March 4, 2026" in without


def test_signatory_is_optional():
    text = text_of(render_certificate(make_data(signatory="")))
    assert "Dana Whitfield" not in text
    assert CODE in text


def test_names_outside_the_seeded_character_set_still_render():
    # Vietnamese and Greek letters are not in the pre-built font subset.
    name = "Nguyễn Thị Ánh Ξανθή"
    assert name in text_of(render_certificate(make_data(recipient_name=name)))


def test_long_course_title_wraps_and_keeps_every_word():
    title = (
        "Public Records Retention, Open Meetings Law and Conflict-of-Interest Rules "
        "for Newly Appointed Department Heads and Their Deputies"
    )
    text = text_of(render_certificate(make_data(course_title=title)))
    assert title in text


def test_long_names_wrap_rather_than_truncate():
    name = "Maximiliana Alejandra Fernández-Castellanos de la Torre y Villaseñor-Ostrowska"
    municipality = (
        "Consolidated City and County of Saint Bartholomew-by-the-Lake Metropolitan "
        "Government and Regional Transit Authority"
    )
    text = text_of(
        render_certificate(
            make_data(recipient_name=name, municipality_name=municipality), paper="a4"
        )
    )
    assert name in text
    assert municipality in text


def test_wrapped_lines_fit_the_column():
    regular, bold = pdf._register_fonts()
    title = "Comprehensive Introduction to Municipal Procurement and Contract Management " * 3
    size, lines = pdf._fit(title, bold, 500, single=(20,), wrapped=(20, 18), max_lines=8)
    assert len(lines) > 1
    for line in lines:
        assert pdf.stringWidth(line, bold, size) <= 500
    url = "https://learn.example.gov/" + "x" * 300
    _, lines = pdf._fit(url, regular, 200, single=(8,), wrapped=(8,), max_lines=20)
    assert "".join(lines) == url


def test_format_date_is_locale_independent():
    assert format_date(datetime.date(2026, 3, 4)) == "March 4, 2026"
    assert format_date(datetime.date(2025, 12, 31)) == "December 31, 2025"


def test_metadata_names_the_course():
    info = read(render_certificate(make_data())).metadata
    assert (
        info.title == "Certificate of completion: Cybersecurity Awareness for Municipal Employees"
    )
    assert info.author == "City of Springfield"


def test_output_is_reproducible():
    assert render_certificate(make_data()) == render_certificate(make_data())


# --- paper ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("paper", "width", "height"),
    [("letter", 792, 612), ("a4", 841.89, 595.28), ("A4", 841.89, 595.28)],
)
def test_paper_sizes_are_landscape(paper, width, height):
    box = read(render_certificate(make_data(), paper=paper)).pages[0].mediabox
    assert float(box.width) == pytest.approx(width, abs=0.01)
    assert float(box.height) == pytest.approx(height, abs=0.01)


def test_unknown_paper_raises_value_error():
    with pytest.raises(ValueError, match="Unknown paper size 'legal'"):
        render_certificate(make_data(), paper="legal")
    # Raised at the call, before any item is drawn.
    with pytest.raises(ValueError, match="Unknown paper size"):
        render_certificates([make_data()], paper="tabloid")


# --- fonts ------------------------------------------------------------------


def test_every_font_is_an_embedded_truetype_subset():
    page = read(render_certificate(make_data())).pages[0]
    fonts = page["/Resources"]["/Font"]
    assert len(fonts) >= 2
    for ref in fonts.values():
        font = ref.get_object()
        assert font["/Subtype"] == "/TrueType"
        descriptor = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor
        assert "+" in font["/BaseFont"]  # subset tag


def test_two_documents_share_identical_font_programs():
    def font_programs(document: bytes) -> list[bytes]:
        fonts = read(document).pages[0]["/Resources"]["/Font"].values()
        return sorted(
            f.get_object()["/FontDescriptor"]["/FontFile2"].get_object().get_data() for f in fonts
        )

    first = font_programs(render_certificate(make_data(recipient_name="Ana Núñez")))
    second = font_programs(render_certificate(make_data(recipient_name="Łukasz Wróbel")))
    assert first == second


# --- logo -------------------------------------------------------------------


def write_logo(path, mode: str = "RGBA") -> str:
    image = Image.new(mode, (240, 80), (31, 58, 95, 255) if mode == "RGBA" else (31, 58, 95))
    image.save(path)
    return str(path)


@pytest.mark.parametrize(("name", "mode"), [("logo.png", "RGBA"), ("logo.jpg", "RGB")])
def test_logo_is_drawn(tmp_path, name, mode):
    logo = write_logo(tmp_path / name, mode)
    document = render_certificate(make_data(logo_path=logo))
    page = read(document).pages[0]
    assert len(page.images) == 1
    assert "Zoë O'Brien-Núñez" in text_of(document)
    # A second certificate reuses the cached, pre-encoded image.
    assert len(read(render_certificate(make_data(logo_path=logo))).pages[0].images) == 1


def test_missing_or_unreadable_logo_is_skipped(tmp_path, caplog):
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not an image")
    for path in (str(broken), str(tmp_path / "missing.png")):
        document = render_certificate(make_data(logo_path=path))
        assert len(read(document).pages[0].images) == 0
        assert CODE in text_of(document)
    assert "could not be read" in caplog.text
    assert "does not exist" in caplog.text


def test_no_logo_means_no_image():
    assert len(read(render_certificate(make_data(logo_path=None))).pages[0].images) == 0


# --- QR code ----------------------------------------------------------------


def test_qr_matrix_is_square_and_sized_like_reportlab_reports():
    matrix = qr_matrix(URL)
    qr = stock_qr(URL)
    assert len(matrix) == qr.getModuleCount() == qr.version * 4 + 17
    assert all(len(row) == len(matrix) for row in matrix)


def test_qr_version_grows_with_url_length():
    short = "https://a.gov/v/K7QF/"
    long = URL + "?" + "x" * 200
    assert stock_qr(short).version < stock_qr(URL).version < stock_qr(long).version
    assert len(qr_matrix(short)) < len(qr_matrix(URL)) < len(qr_matrix(long))


def test_qr_matrix_matches_reportlab_module_for_module():
    rng = random.Random(20260304)
    alphabet = string.ascii_letters + string.digits + "/-_?=&"
    texts = [URL, "HELLO WORLD 123", "0123456789", "Zoë"]
    texts += [
        "https://learn.example.gov/" + "".join(rng.choice(alphabet) for _ in range(n))
        for n in (1, 20, 45, 90, 150, 260)
    ]
    for text in texts:
        expected = [[bool(cell) for cell in row] for row in stock_qr(text).modules]
        assert qr_matrix(text) == expected, text


def test_mask_penalty_matches_reportlab():
    qr = stock_qr(URL)
    layout = pdf._qr_layout(qr.version)
    for mask in range(8):
        qr.makeImpl(True, mask)
        expected = qrencoder.QRUtil.getLostPoint(qr)
        assert pdf._penalty(pdf._matrix_to_int(qr.modules), layout) == expected


def test_qr_path_covers_exactly_the_dark_modules():
    _, rows = pdf._encode_qr(URL)
    size = len(rows)
    painted = [[False] * size for _ in range(size)]
    operators = pdf._qr_path(rows).split("\n")
    assert operators[-1] == "f"
    for op in operators[:-1]:
        x, y, w, h, name = op.split()
        assert name == "re" and h == "1"
        for col in range(int(x), int(x) + int(w)):
            painted[size - 1 - int(y)][col] = True
    assert painted == [[cell == "1" for cell in row] for row in rows]


def test_text_too_long_for_a_qr_code_raises_value_error():
    with pytest.raises(ValueError, match="too long"):
        qr_matrix("x" * 4000)


# --- batches ----------------------------------------------------------------


def test_render_certificates_yields_one_pdf_per_item():
    names = ["Ana Núñez", "Björn Ølstad", "Chloé Dubois", "Dariusz Wróbel"]
    items = [
        dataclasses.replace(make_data(), recipient_name=name, verification_code=f"CODE-{i}")
        for i, name in enumerate(names)
    ]
    documents = list(render_certificates(items, paper="a4"))

    assert len(documents) == len(items)
    for document, item in zip(documents, items, strict=True):
        text = text_of(document)
        assert item.recipient_name in text
        assert item.verification_code in text


def test_render_certificates_is_lazy():
    iterator = render_certificates(iter([make_data(), make_data()]))
    assert next(iterator).startswith(b"%PDF-")
    assert next(iterator).startswith(b"%PDF-")
    with pytest.raises(StopIteration):
        next(iterator)
