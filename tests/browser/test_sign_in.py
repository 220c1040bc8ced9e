"""Sign-in, sign-out and the home page in a real browser, with axe scans."""

import re

import pytest
from playwright.sync_api import expect

from lms.roles import Role
from tests.factories import make_staff

pytestmark = pytest.mark.browser


@pytest.fixture
def staff(transactional_db, password):
    profile = make_staff(
        Role.HR_ADMIN,
        user__username="hana",
        user__first_name="Hana",
        user__last_name="Kovač",
        hr_all_departments=True,
    )
    return profile.user


def test_sign_in_page_is_accessible(browser_page, live_server, axe_check):
    browser_page.goto(f"{live_server.url}/accounts/login/")

    expect(browser_page.get_by_role("heading", level=1)).to_have_text("Sign in")
    axe_check(browser_page)


def test_failed_sign_in_shows_a_clear_message(browser_page, live_server, staff, sign_in, axe_check):
    sign_in(browser_page, live_server, "hana", "not-the-password")

    alert = browser_page.get_by_role("alert").first
    expect(alert).to_contain_text("There is a problem")
    expect(alert).to_contain_text("username, e-mail address or password is not right")
    axe_check(browser_page)


def test_sign_in_with_email_shows_the_home_page_then_sign_out(
    browser_page, live_server, staff, password, sign_in, axe_check
):
    sign_in(browser_page, live_server, "hana@example.gov", password)

    expect(browser_page.get_by_role("heading", level=1)).to_have_text("Welcome, Hana")
    expect(
        browser_page.get_by_role("heading", name="HR and learning administration")
    ).to_be_visible()
    axe_check(browser_page)

    browser_page.get_by_role("button", name=re.compile("Sign out")).click()
    expect(browser_page.get_by_role("heading", level=1)).to_have_text("You have signed out")
    browser_page.goto(f"{live_server.url}/")
    expect(browser_page.get_by_role("link", name="Sign in with your staff account")).to_be_visible()


def test_home_page_works_on_a_phone(phone_page, live_server, staff, password, sign_in):
    sign_in(phone_page, live_server, "hana", password)

    menu = phone_page.get_by_role("button", name="Menu")
    expect(menu).to_be_visible()
    menu.click()
    expect(phone_page.get_by_role("button", name=re.compile("Sign out"))).to_be_visible()
