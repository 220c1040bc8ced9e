"""A person's data export and the anonymisation of leavers past the retention period."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from lms import privacy
from lms.audit import audit_record
from lms.models import AuditEvent, StaffProfile
from lms.services import staff_mark_leaver
from tests.factories import make_staff

pytestmark = pytest.mark.django_db


def _zip(content: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(content))


def _leaver(days_ago: int) -> StaffProfile:
    profile = make_staff(
        user__username="jo.leaver", user__email="jo@example.gov", location="Town hall"
    )
    staff_mark_leaver(profile=profile)
    StaffProfile.objects.filter(pk=profile.pk).update(
        left_at=timezone.now() - timedelta(days=days_ago)
    )
    profile.refresh_from_db()
    return profile


def test_export_holds_the_person_and_their_records_but_no_secrets():
    profile = make_staff(user__username="sam", user__email="sam@example.gov")
    audit_record(action="test.something", actor=profile.user, target=profile)

    archive = _zip(privacy.personal_data_export(user=profile.user))

    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["person"]["username"] == "sam"
    assert manifest["records"]["lms.staffprofile"] == 1
    user_rows = json.loads(archive.read("data/auth.user.json"))
    assert user_rows[0]["fields"]["email"] == "sam@example.gov"
    assert "password" not in user_rows[0]["fields"]
    audit_rows = json.loads(archive.read("data/lms.auditevent.json"))
    assert any(row["fields"]["action"] == "test.something" for row in audit_rows)


def test_export_is_audited():
    profile = make_staff()

    privacy.personal_data_export(user=profile.user)

    assert AuditEvent.objects.filter(
        action="privacy.exported", target_id=str(profile.user_id)
    ).exists()


def test_export_command_writes_a_zip_and_rejects_unknown_people(tmp_path):
    profile = make_staff(employee_id="E-77")
    output = tmp_path / "out.zip"

    call_command("export_personal_data", "E-77", output=str(output))

    assert "manifest.json" in _zip(output.read_bytes()).namelist()
    with pytest.raises(CommandError, match="Nobody has"):
        call_command("export_personal_data", "nobody@example.gov", output=str(tmp_path / "x"))
    assert profile.pk


def test_leaver_past_retention_is_anonymised_and_keeps_records():
    profile = _leaver(days_ago=800)
    department_id = profile.department_id
    audit_record(action="test.before", actor=profile.user, target=profile)

    privacy.person_anonymise(profile=profile)

    profile.refresh_from_db()
    user = profile.user
    user.refresh_from_db()
    assert user.username == f"former-{user.pk}"
    assert (user.email, user.first_name, user.last_name) == ("", "", "")
    assert not user.has_usable_password()
    assert profile.employee_id == f"former-{user.pk}"
    assert profile.location == ""
    assert profile.department_id == department_id
    assert not AuditEvent.objects.filter(actor_label="jo.leaver").exists()
    assert AuditEvent.objects.filter(action="privacy.anonymised").exists()


def test_anonymisation_is_refused_within_retention_and_for_active_staff():
    with pytest.raises(privacy.AnonymisationRefused, match="retention period"):
        privacy.person_anonymise(profile=_leaver(days_ago=10))
    with pytest.raises(privacy.AnonymisationRefused, match="not a leaver"):
        privacy.person_anonymise(profile=make_staff())


def test_anonymisation_is_idempotent_and_the_command_finds_who_is_due():
    _leaver(days_ago=800)

    call_command("anonymise_leavers")
    call_command("anonymise_leavers")

    assert AuditEvent.objects.filter(action="privacy.anonymised").count() == 1
    assert not privacy.leavers_due_for_anonymisation().exists()


def test_command_reports_refusal_with_non_zero_exit():
    profile = _leaver(days_ago=1)

    with pytest.raises(CommandError, match="retention period"):
        call_command("anonymise_leavers", employee_id=profile.employee_id)


class TestAdminScreens:
    def test_site_admin_exports_a_person_from_the_admin(self, client, site_admin):
        profile = make_staff(employee_id="E-9")
        client.force_login(site_admin)

        page = client.get("/admin/personal-data/")
        response = client.post("/admin/personal-data/", {"person": "E-9", "export": "1"})

        assert page.status_code == 200
        assert response["Content-Type"] == "application/zip"
        assert profile.pk

    def test_unknown_person_is_a_field_error(self, client, site_admin):
        client.force_login(site_admin)

        response = client.post("/admin/personal-data/", {"person": "nobody"})

        assert "Nobody has this employee ID" in response.content.decode()

    def test_site_admin_anonymises_due_leavers(self, client, site_admin):
        _leaver(days_ago=900)
        client.force_login(site_admin)

        response = client.post("/admin/personal-data/", {"anonymise": "1"})

        assert response.status_code == 302
        assert not privacy.leavers_due_for_anonymisation().exists()

    def test_hr_admin_may_not_use_personal_data_screen(self, client, hr_admin):
        client.force_login(hr_admin)

        response = client.get("/admin/personal-data/")

        # Wagtail answers a denial inside the admin with a redirect to the dashboard.
        assert (response.status_code, response.url) == (302, "/admin/")
        assert client.post("/admin/personal-data/", {"anonymise": "1"}).status_code == 302

    def test_site_admin_reads_and_filters_the_audit_log(self, client, site_admin):
        audit_record(action="certificate.revoked", target_label="Cert 1")
        audit_record(action="auth.login_failed", target_label="someone")
        client.force_login(site_admin)

        response = client.get("/admin/audit_log/", {"action_group": "certificate."})

        body = response.content.decode()
        assert response.status_code == 200
        assert "Cert 1" in body
        assert "someone" not in body

    def test_nobody_can_add_or_edit_audit_events(self, client, site_admin):
        event = audit_record(action="x.y")
        client.force_login(site_admin)

        assert client.get("/admin/audit_log/new/").status_code in (302, 403)
        assert client.get(f"/admin/audit_log/edit/{event.pk}/").status_code in (302, 403)
        assert client.get(f"/admin/audit_log/delete/{event.pk}/").status_code in (302, 403)

    def test_hr_admin_cannot_read_the_audit_log(self, client, hr_admin):
        client.force_login(hr_admin)

        assert client.get("/admin/audit_log/").status_code in (302, 403)


def test_export_includes_the_persons_certificate_pdfs(django_capture_on_commit_callbacks):
    from assessments.models import Certificate
    from tests.assessments.factories import complete_course

    profile = make_staff(user__username="cert.holder")
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(profile.user)
    certificate = Certificate.objects.get(user=profile.user)

    archive = _zip(privacy.personal_data_export(user=profile.user))

    name = f"files/certificate-{certificate.code}.pdf"
    assert name in archive.namelist()
    assert archive.read(name).startswith(b"%PDF")
    assert json.loads(archive.read("data/assessments.certificate.json"))[0]["pk"] == certificate.pk
