"""Browser tests: Playwright driving Debian's chromium against pytest-django's live server.

Fixtures:
- ``browser_page``: a fresh Playwright page (own cookies) pointed at the live server.
- ``sign_in(page, live_server, username, password)``: signs in through the real form.
- ``axe_check(page)``: runs axe-core on the page and fails on serious or critical violations.
"""

from __future__ import annotations

import pytest

from tests.services import require_chromium

CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def _chromium():
    path = require_chromium()
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
    try:
        yield browser
    finally:
        browser.close()
        playwright.stop()


@pytest.fixture
def browser_page(_chromium, live_server, transactional_db):
    context = _chromium.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def phone_page(_chromium, live_server, transactional_db):
    """A page the size of a phone screen, for checking pages work on small devices."""
    context = _chromium.new_context(
        base_url=live_server.url,
        viewport={"width": 375, "height": 740},
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


def _sign_in(page, live_server, username: str, password: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username or e-mail address").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("domcontentloaded")


@pytest.fixture
def sign_in():
    return _sign_in


def _axe_check(page, *, impacts: tuple[str, ...] = ("serious", "critical")) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    violations = [v for v in results.response["violations"] if v.get("impact") in impacts]
    if violations:
        lines = []
        for violation in violations:
            targets = [", ".join(node["target"]) for node in violation["nodes"][:5]]
            lines.append(
                f"{violation['impact']}: {violation['id']} — {violation['help']} at {targets}"
            )
        pytest.fail(f"axe found accessibility violations on {page.url}:\n" + "\n".join(lines))


@pytest.fixture
def axe_check():
    return _axe_check
