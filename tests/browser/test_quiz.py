"""A learner takes a course quiz in a real browser: fails, retries, passes; axe scans."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.assessments.factories import (
    answer,
    choice,
    content,
    make_course,
    make_question,
    make_quiz,
)
from tests.factories import make_staff

pytestmark = pytest.mark.browser


@pytest.fixture
def quiz(transactional_db):
    course = make_course("Spotting phishing emails", slug="spotting-phishing-emails")
    report = make_question(
        name="Report",
        body=content(
            "single_choice",
            "<p>An email asks for your password. What do you do?</p>",
            choices=[choice("Report it", 1.0, "Right: report it."), choice("Reply", 0.0, "Never.")],
        ),
    )
    flags = make_question(
        name="Flags",
        body=content(
            "multiple_response",
            "<p>Which are warning signs?</p>",
            choices=[choice("Urgency", 0.5), choice("Odd link", 0.5), choice("Your name", -1.0)],
        ),
    )
    word = make_question(
        name="Word",
        body=content(
            "short_text", "<p>Which button do you press?</p>", answers=[answer("Report phishing")]
        ),
    )
    return make_quiz(course=course, questions=[report, flags, word], pass_mark=100)


def _tick(page, text: str) -> None:
    """USWDS hides the real radio/checkbox input; people click its label."""
    page.locator("label").filter(has_text=re.compile(f"^{re.escape(text)}$")).click()


def test_learner_fails_retries_and_passes(
    browser_page, live_server, quiz, password, sign_in, axe_check
):
    make_staff(user__username="lena")
    page = browser_page
    sign_in(page, live_server, "lena", password)
    page.goto(f"{live_server.url}/quizzes/{quiz.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(quiz.title)
    axe_check(page)
    page.get_by_role("button", name="Start the quiz").click()

    # First attempt: one wrong answer.
    expect(page.get_by_role("group", name="Question 1")).to_be_visible()
    axe_check(page)
    _tick(page, "Reply")
    _tick(page, "Urgency")
    _tick(page, "Odd link")
    page.get_by_label("Your answer").fill("report phishing")
    page.get_by_role("button", name="Submit your answers").click()
    expect(page.get_by_role("heading", name="You did not pass this time")).to_be_visible()
    expect(page.get_by_text("Never.")).to_be_visible()
    axe_check(page)

    # Retry: save an answer, come back (resume), then submit all right.
    page.get_by_role("link", name="Try again").click()
    page.get_by_role("button", name="Try again").click()
    _tick(page, "Report it")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Your answers are saved.")).to_be_visible()
    page.reload()
    expect(page.get_by_label("Report it")).to_be_checked()
    _tick(page, "Urgency")
    _tick(page, "Odd link")
    page.get_by_label("Your answer").fill("Report phishing")
    page.get_by_role("button", name="Submit your answers").click()
    expect(page.get_by_role("heading", name="You passed")).to_be_visible()
    axe_check(page)
