"""A learner finishes a course in the browser, downloads the certificate from /my-learning/ and
the public verification page shows it valid; axe scans of the skills check and verify page."""

from __future__ import annotations

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from assessments.models import Certificate
from tests.assessments.factories import make_course, make_lesson
from tests.factories import make_staff

pytestmark = pytest.mark.browser


@pytest.fixture
def learner_with_course(transactional_db):
    from courses.services import enrolment_create, lesson_complete

    user = make_staff(user__username="lena", user__first_name="Lena", user__last_name="Ortiz").user
    course = make_course("Phishing awareness")
    first = make_lesson(course, "Spotting phishing")
    last = make_lesson(course, "Reporting phishing")
    enrolment_create(user=user, course=course)
    lesson_complete(user=user, lesson=first)
    return user, last


def test_complete_download_and_verify(
    browser_page, live_server, learner_with_course, sign_in, password, axe_check
):
    user, last_lesson = learner_with_course
    page = browser_page
    sign_in(page, live_server, "lena", password)
    page.goto(f"{live_server.url}{last_lesson.url}")
    page.get_by_role("button", name="Mark as complete and finish").click()
    page.wait_for_load_state("domcontentloaded")

    page.goto(f"{live_server.url}/my-learning/")
    expect(page.get_by_role("heading", name="Your certificates")).to_be_visible()
    certificate = Certificate.objects.get(user=user)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF of Phishing awareness").click()
    path = download_info.value.path()
    with open(path, "rb") as handle:
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(handle.read())).pages)
    assert "Lena Ortiz" in text and certificate.code in text

    page.goto(f"{live_server.url}/certificates/verify/{certificate.code}/")
    expect(page.get_by_role("heading", name="This certificate is valid")).to_be_visible()
    expect(page.get_by_text("Phishing awareness")).to_be_visible()
    axe_check(page)


def test_skills_check_pages_are_accessible(
    browser_page, live_server, learner_with_course, sign_in, password, axe_check
):
    page = browser_page
    sign_in(page, live_server, "lena", password)
    page.goto(f"{live_server.url}/skills-check/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Digital skills check")
    axe_check(page)
    page.get_by_role("button", name="Start the skills check").click()
    page.wait_for_load_state("domcontentloaded")
    expect(page.get_by_text("Step 1 of")).to_be_visible()
    axe_check(page)
