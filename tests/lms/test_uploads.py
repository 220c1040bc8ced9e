"""Upload checks: size limits, type by content, zip bombs; spreadsheet formula neutralising."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from lms.exports import spreadsheet_safe
from lms.uploads import UploadLimits, sniff_type, validate_upload


def _xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["employee_id", "first_name"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_real_types_are_recognised_by_content():
    assert sniff_type(_xlsx_bytes()) == "xlsx"
    assert sniff_type("\ufeffemployee_id,first_name\n1,Zoë\n".encode()) == "text"
    assert sniff_type(b'<?xml version="1.0"?><quiz></quiz>') == "xml"
    assert sniff_type(b"%PDF-1.7 ...") == "binary"


def test_a_pdf_renamed_to_csv_is_refused():
    upload = SimpleUploadedFile("roster.csv", b"%PDF-1.7 not a roster")

    with pytest.raises(ValidationError, match="not one of the accepted types"):
        validate_upload(upload, allowed={"csv", "xlsx"})


def test_an_xlsx_named_csv_is_accepted_as_xlsx():
    data, kind = validate_upload(
        SimpleUploadedFile("roster.csv", _xlsx_bytes()), allowed={"csv", "xlsx"}
    )

    assert kind == "xlsx"
    assert data.startswith(b"PK")


def test_too_large_is_refused_with_the_limit():
    upload = SimpleUploadedFile("big.csv", b"a" * 2048)

    with pytest.raises(ValidationError, match="limit"):
        validate_upload(upload, allowed={"csv"}, limits=UploadLimits(max_bytes=1024))


def test_zip_bomb_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<x/>")
        archive.writestr("xl/worksheets/sheet1.xml", "0" * (20 * 1024 * 1024))
    upload = SimpleUploadedFile("bomb.xlsx", buffer.getvalue())

    with pytest.raises(ValidationError, match="zip bomb|expand"):
        validate_upload(upload, allowed={"xlsx"})


def test_non_utf8_text_gets_a_clear_message():
    upload = SimpleUploadedFile("roster.csv", "employee_id,name\n1,Zoë\n".encode("latin-1"))

    with pytest.raises(ValidationError, match="not UTF-8"):
        validate_upload(upload, allowed={"csv"})


def test_empty_file_is_refused():
    with pytest.raises(ValidationError, match="empty"):
        validate_upload(SimpleUploadedFile("x.csv", b""), allowed={"csv"})


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil","x")', '\'=HYPERLINK("http://evil","x")'),
        ("+1234", "'+1234"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("O'Brien-Núñez", "O'Brien-Núñez"),
        (42, 42),
        (None, None),
    ],
)
def test_spreadsheet_safe(value, expected):
    assert spreadsheet_safe(value) == expected
