"""A learner takes a course from start to finish in a real browser; axe scans of the catalogue,
a course page and a lesson page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.courses.factories import knowledge_check, make_course
from tests.factories import make_staff

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _no_other_app_hooks(settings):
    settings.COURSE_COMPLETION_REQUIREMENTS = []
    settings.COURSE_COMPLETED_TASKS = []
    settings.MY_LEARNING_PANELS = []
    settings.COURSE_PAGE_PANELS = []


@pytest.fixture
def course(transactional_db):
    return make_course(
        "Spotting phishing emails",
        lessons=2,
        body=[
            ("paragraph", "<p>Phishing pretends to come from someone you trust.</p>"),
            ("knowledge_check", knowledge_check("Which link is safe?", correct=1)),
        ],
    )


@pytest.fixture
def learner_account(transactional_db):
    return make_staff(user__username="lena").user


def test_learner_completes_a_course(
    browser_page, live_server, sign_in, password, axe_check, course, learner_account
):
    page = browser_page
    sign_in(page, live_server, "lena", password)

    page.goto(f"{live_server.url}/courses/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Courses")
    axe_check(page)
    page.get_by_role("link", name="Spotting phishing emails").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Spotting phishing emails")
    axe_check(page)
    page.get_by_role("button", name="Enrol and start").click()

    expect(page.get_by_text("Lesson 1 of 2")).to_be_visible()
    # USWDS hides the radio itself off screen and styles its label: click the label.
    page.locator("label.usa-radio__label", has_text="Answer 1").click()
    page.get_by_role("button", name="Check my answer").click()
    expect(page.get_by_text("Feedback 1")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Mark as complete and continue").click()

    expect(page.get_by_text("Lesson 2 of 2")).to_be_visible()
    page.get_by_role("button", name="Mark as complete and finish").click()

    expect(page.get_by_text("You completed this course on")).to_be_visible()
    page.goto(f"{live_server.url}/my-learning/")
    completed = page.locator("section", has=page.locator("#completed-heading"))
    expect(completed.get_by_role("link", name="Spotting phishing emails")).to_be_visible()
    axe_check(page)
