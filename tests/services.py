"""Which real services this test run has, and how a test asks for one.

Locally a test that needs Redis, PostgreSQL or chromium skips with a clear reason when the
service is absent. CI sets CIVICSKILLS_REQUIRE_SERVICES=1: there a missing service fails the test.
"""

from __future__ import annotations

import os
import shutil
import socket
from functools import cache
from urllib.parse import urlparse

import pytest

REQUIRE_SERVICES = os.environ.get("CIVICSKILLS_REQUIRE_SERVICES") == "1"


def _unavailable(reason: str) -> None:
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (CIVICSKILLS_REQUIRE_SERVICES=1, so this is an error)")
    pytest.skip(reason)


@cache
def redis_url() -> str | None:
    url = os.environ.get("REDIS_URL")
    if not url:
        return None
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379), 1):
            return url
    except OSError:
        return None


def require_redis() -> str:
    url = redis_url()
    if url is None:
        _unavailable("needs a running Redis: set REDIS_URL, e.g. redis://127.0.0.1:6379/0")
    return url


def require_postgres() -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        _unavailable(
            "needs PostgreSQL: set DATABASE_URL, e.g. postgres://user:pass@127.0.0.1/civicskills"
        )


def chromium_path() -> str | None:
    return (
        os.environ.get("CHROMIUM_PATH")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )


def require_chromium() -> str:
    path = chromium_path()
    if path is None:
        _unavailable("needs Debian's chromium for browser tests: apt-get install chromium")
    return path
