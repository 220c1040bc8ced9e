"""Question bank import (Moodle XML, GIFT) and export, from the services, the management
commands and the admin screens."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from assessments.grading import grade
from assessments.interchange import parse_moodle_xml
from assessments.models import Question, QuestionCategory, QuestionVersion
from assessments.services.questions import question_bank_import
from lms.roles import Role
from tests.factories import make_staff

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
MOODLE = (DATA / "moodle_questions.xml").read_bytes()
GIFT = (DATA / "questions.gift").read_bytes()
ALL_TYPES = {
    "single_choice",
    "multiple_response",
    "true_false",
    "short_text",
    "numeric",
    "matching",
    "ordering",
}


def test_moodle_xml_imports_every_supported_type_with_feedback_and_lists_skipped():
    report = question_bank_import(data=MOODLE)
    assert report.file_format == "moodle_xml"
    assert len(report.imported) == 8
    assert {q.qtype for q in Question.objects.all()} == ALL_TYPES
    assert {s.qtype for s in report.skipped} >= {"essay", "cloze", "ddimageortext"}
    assert all(s.reason and s.location for s in report.skipped)
    assert QuestionCategory.objects.filter(name="Default for Security Awareness/Phishing").exists()
    single = Question.objects.get(qtype="single_choice").current_version.content
    assert any(choice["feedback"] for choice in single["choices"])
    # Imported content is gradable.
    best = max(range(len(single["choices"])), key=lambda i: single["choices"][i]["fraction"])
    assert grade(single, best).fraction == 1.0


def test_gift_imports_into_the_given_category_and_reimport_is_not_duplicated():
    report = question_bank_import(data=GIFT, category_name="Security")
    assert report.file_format == "gift" and len(report.imported) == 12
    assert len(report.skipped) == 3
    assert set(Question.objects.values_list("category__name", flat=True)) == {"Security"}
    again = question_bank_import(data=GIFT, category_name="Security")
    assert not again.imported and len(again.unchanged) == 12
    assert Question.objects.count() == 12


def test_dry_run_writes_nothing():
    report = question_bank_import(data=MOODLE, dry_run=True)
    assert len(report.imported) == 8
    assert Question.objects.count() == 0 and QuestionCategory.objects.count() == 0


@pytest.mark.parametrize(
    "data, where",
    [
        (b"::a::Question {=x ~y\n\n::b::Other {=1 ~2}", "Line 1"),
        (MOODLE[: len(MOODLE) // 2], "Line"),
    ],
)
def test_malformed_file_imports_nothing_and_says_where(data, where):
    with pytest.raises(ValidationError) as info:
        question_bank_import(data=data)
    assert "nothing was imported" in info.value.messages[0]
    assert where in info.value.messages[0]
    assert Question.objects.count() == 0


def test_binary_file_is_refused():
    with pytest.raises(ValidationError):
        question_bank_import(data=b"PK\x03\x04" + b"\x00" * 50)


def test_export_round_trip_keeps_questions_and_competence_tags():
    question_bank_import(data=MOODLE)
    out = StringIO()
    call_command("export_questions", "-", stdout=out)
    result = parse_moodle_xml(out.getvalue().encode())
    assert len(result.questions) == 8 and not result.skipped
    assert {q.qtype for q in result.questions} == ALL_TYPES
    # Re-importing the export changes nothing.
    again = question_bank_import(data=out.getvalue().encode())
    assert not again.imported and len(again.unchanged) == 8
    assert QuestionVersion.objects.count() == 8


def test_import_command_reports_and_dry_run(tmp_path):
    path = tmp_path / "bank.xml"
    path.write_bytes(MOODLE)
    out = StringIO()
    call_command("import_questions", str(path), "--dry-run", stdout=out)
    assert "Would import 8 question(s)" in out.getvalue()
    assert "Skipped: question 9" in out.getvalue() and "essay" in out.getvalue()
    assert Question.objects.count() == 0
    call_command(
        "import_questions", str(path), "--category", "Imported/Security", stdout=StringIO()
    )
    assert Question.objects.filter(category__name="Imported/Security").count() == 8


def test_import_command_fails_clearly(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_questions", str(tmp_path / "missing.xml"))
    bad = tmp_path / "bad.gift"
    bad.write_text("::a::Question {=x ~y")
    with pytest.raises(CommandError, match="malformed"):
        call_command("import_questions", str(bad))


def test_export_command_by_category(tmp_path):
    question_bank_import(data=MOODLE)
    output = tmp_path / "phishing.xml"
    call_command(
        "export_questions",
        str(output),
        "--category",
        "Default for Security Awareness/Phishing",
        stdout=StringIO(),
    )
    assert len(parse_moodle_xml(output.read_bytes()).questions) == 3
    with pytest.raises(CommandError, match="No question category"):
        call_command("export_questions", str(output), "--category", "Nope")


def test_admin_upload_and_download(client):
    editor = make_staff(Role.CONTENT_EDITOR).user
    client.force_login(editor)
    url = reverse("assessments_bank_import")
    assert client.get(url).status_code == 200
    upload = SimpleUploadedFile("bank.gift", GIFT, content_type="text/plain")
    response = client.post(url, {"file": upload, "category": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Import report" in page and "Describe an incident" in page
    assert Question.objects.count() == 12
    bad = SimpleUploadedFile("bad.gift", b"::a::Q {=x ~y", content_type="text/plain")
    response = client.post(url, {"file": bad})
    assert "malformed" in response.content.decode()
    assert Question.objects.count() == 12
    response = client.post(reverse("assessments_bank_export"), {"category": ""})
    assert response["Content-Type"].startswith("application/xml")
    assert len(parse_moodle_xml(response.content).questions) == 12


def test_bank_screens_are_for_editors(client, hr_admin, learner):
    """Learners cannot use the admin (sign-in); HR is sent back to the admin home (Wagtail's
    answer to PermissionDenied) and nothing is imported or exported."""
    client.force_login(learner)
    assert "login" in client.get(reverse("assessments_bank_import"))["Location"]
    client.force_login(hr_admin)
    for response in (
        client.get(reverse("assessments_bank_import")),
        client.post(
            reverse("assessments_bank_import"), {"file": SimpleUploadedFile("a.gift", GIFT)}
        ),
        client.post(reverse("assessments_bank_export")),
    ):
        assert response.status_code == 302 and response["Location"] == "/admin/"
    assert not Question.objects.exists()
