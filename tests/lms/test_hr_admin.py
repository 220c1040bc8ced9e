"""HR admin screens: roster upload → preview → confirm, scoped staff listing, rule saving."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lms.models import RosterImport, RosterImportStatus, StaffProfile
from lms.roles import Role
from tests.factories import DepartmentFactory, make_staff

pytestmark = pytest.mark.django_db

CSV = (
    "employee_id,first_name,last_name,email,department,job_title\n"
    "E1,Ana,García,ana@city.gov,Permits,Clerk\n"
).encode()


def test_roster_upload_preview_confirm(client, hr_admin, django_capture_on_commit_callbacks):
    client.force_login(hr_admin)
    assert client.get("/admin/roster-imports/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/roster-imports/", {"file": SimpleUploadedFile("roster.csv", CSV)}
        )
    record = RosterImport.objects.get()
    assert response.url.endswith(f"/admin/roster-imports/{record.pk}/")
    assert record.status == RosterImportStatus.READY
    assert record.report["created"] == 1
    assert not StaffProfile.objects.filter(employee_id="E1").exists()
    page = client.get(f"/admin/roster-imports/{record.pk}/")
    assert b"Confirm and import" in page.content
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/roster-imports/{record.pk}/")
    record.refresh_from_db()
    assert record.status == RosterImportStatus.DONE
    assert StaffProfile.objects.filter(employee_id="E1").exists()


def test_roster_upload_with_errors_shows_report(
    client, hr_admin, django_capture_on_commit_callbacks
):
    client.force_login(hr_admin)
    bad = b"employee_id,first_name,last_name,email,department,job_title\nE1,,X,bad,Permits,Clerk\n"
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/admin/roster-imports/", {"file": SimpleUploadedFile("r.csv", bad)})
    record = RosterImport.objects.get()
    assert record.status == RosterImportStatus.INVALID
    page = client.get(f"/admin/roster-imports/{record.pk}/")
    assert b"nothing was imported" in page.content
    assert client.post(f"/admin/roster-imports/{record.pk}/").status_code == 302
    record.refresh_from_db()
    assert record.status == RosterImportStatus.INVALID


def test_roster_admin_denied_to_scoped_hr_and_learners(client, learner):
    permits = DepartmentFactory(name="Permits")
    scoped = make_staff(Role.HR_ADMIN, department=permits)
    scoped.hr_departments.add(permits)
    client.force_login(scoped.user)
    # Wagtail's admin answers a PermissionDenied with a redirect to the dashboard.
    response = client.get("/admin/roster-imports/")
    assert response.status_code == 302 and response.url == "/admin/"
    client.force_login(learner)
    assert client.get("/admin/roster-imports/").status_code == 302
    assert not RosterImport.objects.exists()


def test_staff_listing_and_edit_are_scoped(client):
    permits, parks = DepartmentFactory(name="Permits"), DepartmentFactory(name="Parks")
    mine, theirs = make_staff(department=permits), make_staff(department=parks)
    scoped = make_staff(Role.HR_ADMIN, department=permits)
    scoped.hr_departments.add(permits)
    client.force_login(scoped.user)
    listing = client.get("/admin/lms_staff/")
    assert listing.status_code == 200
    assert mine.employee_id.encode() in listing.content
    assert theirs.employee_id.encode() not in listing.content
    assert client.get(f"/admin/lms_staff/edit/{mine.pk}/").status_code == 200
    assert client.get(f"/admin/lms_staff/edit/{theirs.pk}/").status_code == 404
