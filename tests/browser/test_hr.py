"""The HR compliance report in a real browser: filter, read the numbers, export CSV, axe."""

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lms.hr.services import assignments_create
from lms.roles import Role
from tests.factories import DepartmentFactory, make_staff
from tests.lms.factories import complete, make_course

pytestmark = pytest.mark.browser


@pytest.fixture
def hr_user(transactional_db):
    profile = make_staff(
        Role.HR_ADMIN,
        user__username="hana",
        user__first_name="Hana",
        user__last_name="Kovač",
        hr_all_departments=True,
    )
    return profile.user


@pytest.fixture
def training(transactional_db):
    permits, parks = DepartmentFactory(name="Permits"), DepartmentFactory(name="Parks")
    course = make_course("Phishing awareness")
    done = [make_staff(department=permits) for _ in range(2)]
    late = [make_staff(department=parks) for _ in range(3)]
    assignments_create(users=[p.user for p in done], course=course, due_date=timezone.localdate())
    assignments_create(
        users=[p.user for p in late],
        course=course,
        due_date=timezone.localdate() - dt.timedelta(days=5),
    )
    complete(done[0].user, course)
    return permits, parks


def test_hr_admin_filters_the_report_and_downloads_the_csv(
    browser_page, live_server, hr_user, training, password, sign_in, axe_check
):
    permits, _parks = training
    page = browser_page
    sign_in(page, live_server, "hana", password)
    page.goto(f"{live_server.url}/hr/compliance/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Training compliance")
    table = page.get_by_role("table")
    expect(table.get_by_role("row", name="Parks")).to_be_visible()
    axe_check(page)

    page.get_by_label("Department (with sub-departments)").select_option(str(permits.pk))
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state("domcontentloaded")
    expect(table.get_by_role("row", name="Parks")).to_have_count(0)
    permits_row = table.locator("tbody tr").filter(has_text="Permits")
    expect(permits_row).to_have_count(1)
    cells = permits_row.locator("td")
    # Assigned 2, completed 1, in progress 0, not started 1, overdue 0, 50 %.
    expect(cells.nth(0)).to_have_text("2")
    expect(cells.nth(1)).to_have_text("1")
    expect(cells.nth(5)).to_have_text("50%")
    axe_check(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export CSV").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    assert "Permits" in text and "Parks" not in text
