"""Roster import: format, row-by-row errors, upsert, leavers, managers, command line."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from lms.hr.roster import roster_import
from lms.hr.services import assignment_rule_create
from lms.models import Assignment, AssignmentStatus, Department, JobRole, StaffProfile, StaffStatus
from tests.factories import DepartmentFactory, make_staff
from tests.lms.factories import make_course

pytestmark = pytest.mark.django_db
User = get_user_model()

HEADER = "Employee_ID,First_Name,Last_Name,Email,Department,Job_Title,manager_employee_id,location,start_date,status\n"


def roster(*lines: str, bom: bool = False) -> bytes:
    text = HEADER + "".join(line + "\n" for line in lines)
    return (("\ufeff" if bom else "") + text).encode("utf-8")


def errors_of(report):
    return [(e["row"], e["column"], e["message"]) for e in report.errors]


def test_import_creates_people_departments_roles_and_late_managers():
    data = roster(
        "E2,Zoë,O'Brien-Núñez,zoe@city.gov,Permits,Clerk,E1,City Hall,2024-03-01,active",
        "E1,Ana,García,ana@city.gov,Permits,Permit supervisor,,City Hall,,",
        bom=True,
    )
    report = roster_import(data=data)
    assert report.ok and report.written
    assert report.created == 2
    assert report.departments_created == ["Permits"]
    assert sorted(report.job_roles_created) == ["Clerk", "Permit supervisor"]
    zoe = StaffProfile.objects.select_related("user", "manager").get(employee_id="E2")
    assert (zoe.user.first_name, zoe.user.last_name) == ("Zoë", "O'Brien-Núñez")
    assert zoe.manager.employee_id == "E1"
    assert zoe.user.username == "zoe@city.gov"
    assert not zoe.user.has_usable_password()
    assert str(zoe.start_date) == "2024-03-01"


def test_reimport_unchanged_writes_nothing_and_changes_are_updates():
    data = roster("E1,Ana,García,ana@city.gov,Permits,Clerk,,,,")
    roster_import(data=data)
    again = roster_import(data=data)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    moved = roster_import(data=roster("E1,Ana,García,ana@city.gov,Parks,Clerk,,,,"))
    assert moved.updated == 1
    assert StaffProfile.objects.get(employee_id="E1").department.name == "Parks"


def test_every_error_is_reported_row_by_row_and_nothing_is_written():
    make_staff(employee_id="X9", user__email="taken@city.gov")
    data = roster(
        "E1,,García,ana@city.gov,Permits,Clerk,,,,",
        "E2,Bo,Li,not-an-email,Permits,Clerk,,,,",
        "E1,Cy,Wu,cy@city.gov,Permits,Clerk,,,,",
        "E4,Di,Ng,cy@city.gov,Permits,Clerk,,,,",
        "E5,Ed,Ek,taken@city.gov,Permits,Clerk,,,,",
        "E6,Fa,Fo,fa@city.gov,Permits,Clerk,NOPE,,,",
        "E7,Gi,Go,gi@city.gov,Permits,Clerk,,,31/12/2024,",
        "E8,Hu,Ha,hu@city.gov,Permits,Clerk,,,,retired",
    )
    report = roster_import(data=data)
    assert not report.ok and not report.written
    found = errors_of(report)
    assert (2, "first_name", "A value is required.") in found
    assert any(row == 3 and col == "email" for row, col, _m in found)
    assert any(row == 4 and col == "employee_id" and "row 2" in m for row, col, m in found)
    assert any(row == 5 and col == "email" and "Duplicate" in m for row, col, m in found)
    assert any(row == 6 and col == "email" and "another person" in m for row, col, m in found)
    assert any(row == 7 and col == "manager_employee_id" for row, col, _m in found)
    assert any(row == 8 and col == "start_date" for row, col, _m in found)
    assert any(row == 9 and col == "status" for row, col, _m in found)
    assert not StaffProfile.objects.filter(employee_id__in=["E1", "E2", "E4"]).exists()
    assert not Department.objects.filter(name="Permits").exists()


def test_manager_cycle_is_an_error():
    data = roster(
        "E1,Ana,A,a@city.gov,Permits,Clerk,E2,,,",
        "E2,Bo,B,b@city.gov,Permits,Clerk,E1,,,",
    )
    report = roster_import(data=data)
    assert any("cycle" in e["message"] for e in report.errors)
    assert not StaffProfile.objects.exists()


def test_missing_header_column_is_reported():
    report = roster_import(data=b"employee_id,first_name\nE1,Ana\n")
    assert report.errors[0]["row"] == 1
    assert "email" in report.errors[0]["column"]


def test_leaver_cannot_sign_in_and_keeps_history_and_deactivate_missing():
    roster_import(
        data=roster("E1,Ana,A,a@city.gov,Permits,Clerk,,,,", "E2,Bo,B,b@city.gov,Permits,Clerk,,,,")
    )
    report = roster_import(data=roster("E1,Ana,A,a@city.gov,Permits,Clerk,,,,leaver"))
    assert report.leavers == 1
    ana = StaffProfile.objects.select_related("user").get(employee_id="E1")
    assert ana.status == StaffStatus.LEAVER and not ana.user.is_active
    # Missing from the file: kept as they are, unless asked.
    assert StaffProfile.objects.get(employee_id="E2").status == StaffStatus.ACTIVE
    roster_import(
        data=roster("E1,Ana,A,a@city.gov,Permits,Clerk,,,,leaver"), deactivate_missing=True
    )
    bo = StaffProfile.objects.select_related("user").get(employee_id="E2")
    assert bo.status == StaffStatus.LEAVER and not bo.user.is_active


def test_move_reruns_assignment_rules():
    course = make_course("Permit portal")
    permits = DepartmentFactory(name="Permits")
    rule = assignment_rule_create(name="Permits", course=course, departments=[permits], due_days=30)
    roster_import(data=roster("E1,Ana,A,a@city.gov,Permits,Clerk,,,,"))
    row = Assignment.objects.get(rule=rule)
    assert row.user.profile.employee_id == "E1"
    roster_import(data=roster("E1,Ana,A,a@city.gov,Parks,Clerk,,,,"))
    row.refresh_from_db()
    assert row.status == AssignmentStatus.WITHDRAWN


def test_xlsx_roster():
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["EMPLOYEE_ID", "first_name", "last_name", "email", "department", "job_title"])
    sheet.append([1001, "Łucja", "D'Arcy", "lucja@city.gov", "Parks", "Gardener"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = roster_import(data=buffer.getvalue())
    assert report.ok, report.errors
    assert StaffProfile.objects.get(employee_id="1001").user.first_name == "Łucja"


def test_bulk_import_query_count_is_per_batch_not_per_row(django_assert_max_num_queries):
    lines = [
        f"E{i},First{i},Last{i},p{i}@city.gov,Dept {i % 3},Role {i % 4},,,," for i in range(300)
    ]
    with django_assert_max_num_queries(60):
        report = roster_import(data=roster(*lines))
    assert report.created == 300
    with django_assert_max_num_queries(40):
        again = roster_import(data=roster(*lines))
    assert again.unchanged == 300
    assert JobRole.objects.count() == 4


def test_command_dry_run_and_errors(tmp_path):
    good = tmp_path / "roster.csv"
    good.write_bytes(roster("E1,Ana,A,a@city.gov,Permits,Clerk,,,,"))
    out = io.StringIO()
    call_command("import_staff", str(good), "--dry-run", stdout=out)
    assert "Would import 1 rows" in out.getvalue()
    assert not StaffProfile.objects.exists()
    call_command("import_staff", str(good), stdout=io.StringIO())
    assert StaffProfile.objects.count() == 1
    bad = tmp_path / "bad.csv"
    bad.write_bytes(roster("E2,,B,b@city.gov,Permits,Clerk,,,,"))
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_staff", str(bad), stderr=err)
    assert "Row 2, column 'first_name'" in err.getvalue()
