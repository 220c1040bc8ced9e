"""The change office's readiness pages in a real browser, with axe scans."""

import pytest
from playwright.sync_api import expect

from champions.models import ServicePhase
from champions.services.readiness import readiness_snapshot_take
from lms.roles import Role
from tests.champions.factories import complete_course, days_from_today, make_course, make_service
from tests.factories import DepartmentFactory, make_staff

pytestmark = pytest.mark.browser


@pytest.fixture
def service(transactional_db):
    make_staff(Role.CHANGE_OFFICE, user__username="cora", user__first_name="Cora")
    counter = DepartmentFactory(name="Building Permits Counter")
    licensing = DepartmentFactory(name="Business & Animal Licensing")
    course = make_course("Online permits portal")
    service = make_service(
        name="Online building permits",
        phase=ServicePhase.ROLLOUT,
        go_live_date=days_from_today(21),
        departments=[counter, (licensing, days_from_today(5))],
        required_courses=[course],
    )
    people = [make_staff(department=counter).user for _ in range(3)]
    make_staff(department=licensing)
    complete_course(people[0], course)
    for days_ago in (2, 1, 0):
        readiness_snapshot_take(service=service, date=days_from_today(-days_ago))
    return service


def test_services_list_and_readiness_page_are_accessible(
    browser_page, live_server, service, password, sign_in, axe_check
):
    sign_in(browser_page, live_server, "cora", password)
    browser_page.goto(f"{live_server.url}/services/")

    expect(browser_page.get_by_role("heading", level=1)).to_have_text("Service readiness")
    axe_check(browser_page)

    browser_page.get_by_role("link", name="Online building permits").click()
    expect(browser_page.get_by_role("heading", level=1)).to_have_text(
        "Readiness: Online building permits"
    )
    expect(browser_page.get_by_role("img", name="Trained staff over time")).to_be_visible()
    expect(browser_page.get_by_text("Only 33% of affected staff")).to_be_visible()
    axe_check(browser_page)

    browser_page.get_by_role("button", name="Prepare the go / no-go report").click()
    expect(browser_page.get_by_role("link", name="Download the go / no-go report")).to_be_visible()
    axe_check(browser_page)
