"""A champion logs a mentoring session and answers a question from staff in a real browser;
axe scans of the champion hub, the session form and the question page."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from champions.models import Feedback, FeedbackStatus, MentoringSession
from champions.services.mentoring import mentorship_add
from tests.champions.factories import make_champion, make_feedback, make_service
from tests.factories import DepartmentFactory, make_staff

pytestmark = pytest.mark.browser


@pytest.fixture
def champion(transactional_db):
    department = DepartmentFactory(name="Building Permits Counter")
    service = make_service(name="Online building permits", departments=[department])
    user = make_staff(
        department=department,
        user__username="chidi",
        user__first_name="Chidi",
        user__last_name="Okonkwo",
    ).user
    champion = make_champion(user=user, service=service, department=department)
    mentee = make_staff(
        department=department, user__first_name="Lena", user__last_name="Ortiz"
    ).user
    mentorship_add(champion=champion, mentee=mentee, actor=user)
    make_feedback(
        service=service,
        department=department,
        title="Can applicants still pay by cheque?",
        body="Some contractors only pay by cheque.",
    )
    return champion


def test_champion_logs_a_session_and_answers_a_question(
    browser_page, live_server, sign_in, password, axe_check, champion
):
    page = browser_page
    sign_in(page, live_server, "chidi", password)

    page.goto(f"{live_server.url}/champions/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Champion hub")
    expect(page.get_by_role("link", name="Lena Ortiz")).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="Log a mentoring session").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log a mentoring session")
    page.get_by_label("Date").fill(timezone.localdate().isoformat())
    page.get_by_label("Duration (minutes)").fill("45")
    page.get_by_label("Topic").fill("Checking uploaded plans")
    # USWDS draws its own box over the (visually hidden) input: click the label like a person.
    page.locator("label.usa-checkbox__label", has_text="Lena Ortiz").click()
    expect(page.get_by_label("Lena Ortiz")).to_be_checked()
    page.get_by_label("Follow-ups").fill("Send the quick-reference card")
    axe_check(page)
    page.get_by_role("button", name="Log the session").click()
    expect(page.get_by_text("Session logged.")).to_be_visible()
    expect(page.get_by_text("Checking uploaded plans")).to_be_visible()

    page.goto(f"{live_server.url}/champions/")
    page.get_by_role("link", name="Can applicants still pay by cheque?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Can applicants still pay by cheque?")
    axe_check(page)
    page.get_by_role("textbox", name="Answer").fill(
        "Yes, at the counter until the end of the year."
    )
    page.get_by_role("button", name="Publish the answer").click()
    expect(page.get_by_text("Your answer is published.")).to_be_visible()
    expect(page.get_by_text("No open questions right now.")).to_be_visible()

    session = MentoringSession.objects.get()
    assert session.topic == "Checking uploaded plans"
    assert [u.get_full_name() for u in session.attendees.all()] == ["Lena Ortiz"]
    item = Feedback.objects.get()
    assert item.status == FeedbackStatus.ANSWERED
    assert item.answered_by == champion.user
