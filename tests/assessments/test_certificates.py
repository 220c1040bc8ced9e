"""Certificates: issuing (idempotent, after commit, catch-up), verification, download, revoking,
curriculum certificates and the evidence pack."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from assessments.models import Certificate, CertificateExport, ExportStatus
from assessments.services.certificates import (
    certificate_export_create,
    certificate_normalise_code,
    certificate_revoke,
)
from assessments.tasks import certificate_issue_for_completion, certificates_catch_up
from lms.models import Assignment, AuditEvent, Curriculum, CurriculumCourse
from lms.roles import Role
from tests.assessments.factories import complete_course, make_course
from tests.factories import DepartmentFactory, make_staff

pytestmark = pytest.mark.django_db


def _issue(completion) -> Certificate:
    codes = certificate_issue_for_completion.apply(kwargs={"completion_id": completion.pk}).get()
    return Certificate.objects.get(code=codes[0])


# --- Issuing -----------------------------------------------------------------------------------


def test_issuing_twice_gives_the_same_certificate_and_code(learner):
    completion = complete_course(learner, make_course("Phishing basics"))
    first = certificate_issue_for_completion.apply(kwargs={"completion_id": completion.pk}).get()
    second = certificate_issue_for_completion.apply(kwargs={"completion_id": completion.pk}).get()
    assert first == second
    assert Certificate.objects.filter(completion=completion).count() == 1
    certificate = Certificate.objects.get()
    assert certificate.title == "Phishing basics"
    assert certificate.recipient_name == learner.get_full_name()
    assert len(certificate.code) == 19 and certificate.code.count("-") == 3
    assert AuditEvent.objects.filter(action="certificate.issued").count() == 1


def test_completing_a_course_issues_the_certificate_after_commit(
    learner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        completion = complete_course(learner)
    assert not Certificate.objects.exists(), "nothing is issued before the commit"
    for callback in callbacks:
        callback()
    assert Certificate.objects.get().completion == completion


def test_broker_down_then_catch_up_issues_what_is_owed(
    learner, client, django_capture_on_commit_callbacks
):
    with mock.patch("lms.outbox._send", side_effect=ConnectionError("broker down")):
        with django_capture_on_commit_callbacks(execute=True):
            completion = complete_course(learner, make_course("Data protection"))
    assert completion.pk is not None
    assert not Certificate.objects.exists()

    client.force_login(learner)
    page = client.get(reverse("courses:my_learning")).content.decode()
    assert "is on its way" in page

    assert certificates_catch_up.apply().get() == 1
    assert Certificate.objects.get().completion == completion
    assert certificates_catch_up.apply().get() == 0, "nothing is owed any more"
    page = client.get(reverse("courses:my_learning")).content.decode()
    assert "is on its way" not in page
    assert reverse("assessments:certificate_download", args=[Certificate.objects.get().pk]) in page


def test_a_revoked_certificate_is_not_reissued_by_the_catch_up(learner, hr_admin):
    certificate = _issue(complete_course(learner))
    certificate_revoke(certificate=certificate, actor=hr_admin, reason="Issued in error")
    assert certificates_catch_up.apply().get() == 0
    assert Certificate.objects.count() == 1


def test_expiry_comes_from_the_completion(learner):
    completion = complete_course(learner)
    completion.expires_at = timezone.now() + dt.timedelta(days=365)
    completion.save()
    certificate = _issue(completion)
    assert certificate.expires_on == timezone.localdate(completion.expires_at)


def test_curriculum_certificate_when_its_last_course_is_completed(learner):
    first, second = make_course("Security 1"), make_course("Security 2")
    curriculum = Curriculum.objects.create(name="Security essentials")
    for order, course in enumerate([first, second]):
        CurriculumCourse.objects.create(curriculum=curriculum, course=course, sort_order=order)
    from courses.services import enrolment_create

    for course in (first, second):
        Assignment.objects.create(
            user=learner,
            course=course,
            enrolment=enrolment_create(user=learner, course=course),
            curriculum=curriculum,
            assigned_at=timezone.now(),
        )
    _issue(complete_course(learner, first))
    assert not Certificate.objects.filter(kind="curriculum").exists()
    codes = certificate_issue_for_completion.apply(
        kwargs={"completion_id": complete_course(learner, second).pk}
    ).get()
    assert len(codes) == 2
    certificate = Certificate.objects.get(kind="curriculum")
    assert certificate.title == "Security essentials"
    assert certificate.curriculum == curriculum
    # Running again issues nothing new.
    certificates_catch_up.apply().get()
    assert Certificate.objects.filter(kind="curriculum").count() == 1


def test_no_curriculum_certificate_without_the_assignment(learner):
    course = make_course()
    curriculum = Curriculum.objects.create(name="Not assigned")
    CurriculumCourse.objects.create(curriculum=curriculum, course=course, sort_order=0)
    _issue(complete_course(learner, course))
    assert not Certificate.objects.filter(kind="curriculum").exists()


# --- Verification ------------------------------------------------------------------------------


def test_verify_valid(client, learner):
    certificate = _issue(complete_course(learner, make_course("Accessible documents")))
    response = client.get(reverse("assessments:certificate_verify", args=[certificate.code]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "This certificate is valid" in body
    assert "Accessible documents" in body
    assert certificate.recipient_name in body
    assert learner.email not in body


def test_verify_accepts_the_code_as_typed(client, learner):
    certificate = _issue(complete_course(learner))
    typed = certificate.code.replace("-", " ").lower()
    assert certificate_normalise_code(typed) == certificate.code
    response = client.get(reverse("assessments:certificate_verify", args=[typed]))
    assert response.status_code == 200


def test_verify_expired(client, learner):
    certificate = _issue(complete_course(learner))
    Certificate.objects.filter(pk=certificate.pk).update(
        expires_on=timezone.localdate() - dt.timedelta(days=1)
    )
    response = client.get(reverse("assessments:certificate_verify", args=[certificate.code]))
    assert "This certificate has expired" in response.content.decode()


def test_verify_revoked(client, learner, hr_admin):
    certificate = _issue(complete_course(learner))
    certificate_revoke(certificate=certificate, actor=hr_admin, reason="Wrong person")
    response = client.get(reverse("assessments:certificate_verify", args=[certificate.code]))
    body = response.content.decode()
    assert "This certificate has been revoked" in body
    assert "Wrong person" not in body, "the reason is for HR, not the public"


def test_verify_unknown_is_404_with_a_clear_message(client):
    response = client.get(reverse("assessments:certificate_verify", args=["AAAA-BBBB-CCCC-DDDD"]))
    assert response.status_code == 404
    assert "Certificate not found" in response.content.decode()


def test_verify_is_rate_limited_per_address(client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    url = reverse("assessments:certificate_verify", args=["AAAA-BBBB-CCCC-DDDD"])
    statuses = [client.get(url, REMOTE_ADDR="10.0.0.1").status_code for _ in range(31)]
    assert statuses[:30] == [404] * 30
    assert statuses[30] == 429
    assert "Too many requests" in client.get(url, REMOTE_ADDR="10.0.0.1").content.decode()
    assert client.get(url, REMOTE_ADDR="10.0.0.2").status_code == 404


# --- Download ----------------------------------------------------------------------------------


def _pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_owner_downloads_their_certificate_pdf(learner_client, learner):
    certificate = _issue(complete_course(learner, make_course("Records management")))
    response = learner_client.get(
        reverse("assessments:certificate_download", args=[certificate.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    assert certificate.recipient_name in text
    assert "Records management" in text
    assert certificate.code in text
    again = learner_client.get(reverse("assessments:certificate_download", args=[certificate.pk]))
    assert again.content == response.content, "the PDF is deterministic"


def test_another_learner_gets_404(client, learner, other_learner):
    certificate = _issue(complete_course(learner))
    client.force_login(other_learner)
    response = client.get(reverse("assessments:certificate_download", args=[certificate.pk]))
    assert response.status_code == 404


def test_anonymous_is_sent_to_sign_in(client, learner):
    certificate = _issue(complete_course(learner))
    response = client.get(reverse("assessments:certificate_download", args=[certificate.pk]))
    assert response.status_code == 302
    assert "login" in response["Location"] or "sign-in" in response["Location"]


def test_hr_in_scope_may_download_hr_out_of_scope_may_not(client, learner):
    certificate = _issue(complete_course(learner))
    department = learner.profile.department
    in_scope = make_staff(Role.HR_ADMIN, user__username="hr_in")
    in_scope.hr_departments.add(department)
    out_of_scope = make_staff(Role.HR_ADMIN, user__username="hr_out")
    out_of_scope.hr_departments.add(DepartmentFactory(name="Elsewhere"))
    url = reverse("assessments:certificate_download", args=[certificate.pk])
    client.force_login(in_scope.user)
    assert client.get(url).status_code == 200
    client.force_login(out_of_scope.user)
    assert client.get(url).status_code == 404


def test_owner_cannot_download_a_revoked_certificate(learner_client, learner, hr_admin):
    certificate = _issue(complete_course(learner))
    certificate_revoke(certificate=certificate, actor=hr_admin, reason="Issued in error")
    url = reverse("assessments:certificate_download", args=[certificate.pk])
    assert learner_client.get(url).status_code == 404


# --- Revoking ----------------------------------------------------------------------------------


def test_revoke_keeps_the_reason_and_an_audit_row(client, learner, hr_admin):
    certificate = _issue(complete_course(learner))
    client.force_login(hr_admin)
    url = reverse("assessments:certificate_revoke", args=[certificate.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "Training found incomplete"})
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None
    assert certificate.revoked_by == hr_admin
    event = AuditEvent.objects.get(action="certificate.revoked")
    assert event.actor == hr_admin
    assert event.details["reason"] == "Training found incomplete"
    assert event.target_id == str(certificate.pk)


def test_revoke_needs_a_reason_and_happens_once(client, learner, hr_admin):
    certificate = _issue(complete_course(learner))
    client.force_login(hr_admin)
    url = reverse("assessments:certificate_revoke", args=[certificate.pk])
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 200
    assert "Give the reason" in response.content.decode()
    certificate.refresh_from_db()
    assert certificate.revoked_at is None
    client.post(url, {"reason": "First"})
    response = client.post(url, {"reason": "Second"})
    assert "already been revoked" in response.content.decode()
    assert AuditEvent.objects.filter(action="certificate.revoked").count() == 1


def test_revoke_denials(client, learner, other_learner):
    certificate = _issue(complete_course(learner))
    url = reverse("assessments:certificate_revoke", args=[certificate.pk])
    assert client.post(url, {"reason": "x"}).status_code == 302  # anonymous → sign in
    client.force_login(other_learner)
    assert client.post(url, {"reason": "x"}).status_code == 403
    out_of_scope = make_staff(Role.HR_ADMIN, user__username="hr_out")
    out_of_scope.hr_departments.add(DepartmentFactory(name="Elsewhere"))
    client.force_login(out_of_scope.user)
    assert client.post(url, {"reason": "x"}).status_code == 404
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


# --- HR list and evidence packs ----------------------------------------------------------------


def _certificates_in(department, count: int):
    course = make_course()
    for _ in range(count):
        _issue(complete_course(make_staff(department=department).user, course))


def test_certificate_list_query_budget(client, hr_admin, django_assert_max_num_queries):
    department = DepartmentFactory(name="Finance")
    client.force_login(hr_admin)
    for count in (2, 12):
        _certificates_in(department, count - Certificate.objects.count())
        with django_assert_max_num_queries(16):
            response = client.get(reverse("assessments:certificate_list"))
        assert response.status_code == 200
        assert response.content.decode().count("<code>") == count


def test_certificate_list_is_limited_to_the_hr_scope(client):
    finance, parks = DepartmentFactory(name="Finance"), DepartmentFactory(name="Parks")
    _certificates_in(finance, 2)
    _certificates_in(parks, 3)
    hr = make_staff(Role.HR_ADMIN, user__username="hr_parks")
    hr.hr_departments.add(parks)
    client.force_login(hr.user)
    response = client.get(reverse("assessments:certificate_list"))
    assert response.content.decode().count("<code>") == 3
    client.force_login(make_staff(user__username="plain").user)
    assert client.get(reverse("assessments:certificate_list")).status_code == 403


def test_evidence_pack_zip_and_manifest(
    client, hr_admin, learner, django_capture_on_commit_callbacks
):
    finance, parks = DepartmentFactory(name="Finance"), DepartmentFactory(name="Parks")
    _certificates_in(finance, 2)
    _certificates_in(parks, 1)
    revoked = Certificate.objects.filter(user__profile__department=finance).first()
    certificate_revoke(certificate=revoked, actor=hr_admin, reason="Issued in error")
    client.force_login(hr_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("assessments:certificate_exports"), {"department": finance.pk}
        )
    assert response.status_code == 302
    export = CertificateExport.objects.get()
    assert export.status == ExportStatus.READY
    assert export.certificate_count == 2
    assert "Finance" in export.description

    page = client.get(reverse("assessments:certificate_exports")).content.decode()
    download_url = reverse("assessments:certificate_export_download", args=[export.token])
    assert download_url in page
    response = client.get(download_url)
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(csv.DictReader(io.StringIO(archive.read("manifest.csv").decode())))
    codes = set(
        Certificate.objects.filter(user__profile__department=finance).values_list("code", flat=True)
    )
    assert {row["verification_code"] for row in rows} == codes
    assert {row["status"] for row in rows} == {"valid", "revoked"}
    assert all(row["department"] == "Finance" for row in rows)
    assert all(
        row["verify_url"].endswith(f"/certificates/verify/{row['verification_code']}/")
        for row in rows
    )
    for row in rows:
        assert row["verification_code"] in _pdf_text(archive.read(row["file"]))
    assert AuditEvent.objects.filter(action="certificate.export_downloaded").exists()


def test_evidence_pack_applies_the_requesters_scope():
    finance, parks = DepartmentFactory(name="Finance"), DepartmentFactory(name="Parks")
    _certificates_in(finance, 2)
    _certificates_in(parks, 1)
    hr = make_staff(Role.HR_ADMIN, user__username="hr_parks")
    hr.hr_departments.add(parks)
    export = certificate_export_create(requested_by=hr.user, filters={})
    from assessments.services.certificates import certificate_export_build

    export = certificate_export_build(export_id=export.pk)
    assert export.certificate_count == 1


def test_evidence_pack_of_another_hr_admin_is_404(client, hr_admin):
    export = certificate_export_create(requested_by=hr_admin, filters={})
    other = make_staff(Role.HR_ADMIN, user__username="hr_parks")
    other.hr_departments.add(DepartmentFactory(name="Parks"))
    client.force_login(other.user)
    url = reverse("assessments:certificate_export_download", args=[export.token])
    assert client.get(url).status_code == 404


def test_certificates_panel_query_count_is_fixed(
    learner_client, learner, django_assert_max_num_queries
):
    from django.test import RequestFactory

    from assessments.panels import certificates_panel

    request = RequestFactory().get("/")
    request.user = learner
    for count in (1, 5):
        while Certificate.objects.filter(user=learner).count() < count:
            _issue(complete_course(learner))
        with django_assert_max_num_queries(2):
            panel = certificates_panel(request)
        assert len(panel["context"]["certificates"]) == count
