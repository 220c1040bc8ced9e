"""Component checks behind GET /healthz. Each returns (ok, detail) and never raises."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection


def check_database() -> tuple[bool, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return True, connection.vendor


def check_cache() -> tuple[bool, str]:
    key = "healthz:probe"
    value = str(time.time())
    cache.set(key, value, 10)
    if cache.get(key) != value:
        return False, "cache did not return the value it was given"
    return True, "read/write ok"


def check_broker() -> tuple[bool, str]:
    from lms.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return True, "connected"


def check_worker() -> tuple[bool, str]:
    from lms.celery import app

    replies = app.control.ping(timeout=1.0)
    if not replies:
        return False, "no Celery worker answered within 1 s"
    return True, f"{len(replies)} worker(s) answered"


CHECKS: dict[str, Callable[[], tuple[bool, str]]] = {
    "database": check_database,
    "cache": check_cache,
    "broker": check_broker,
    "worker": check_worker,
}


def run_checks(names: list[str] | None = None) -> dict[str, dict[str, object]]:
    results: dict[str, dict[str, object]] = {}
    for name in names or settings.HEALTHZ_CHECKS:
        started = time.perf_counter()
        try:
            ok, detail = CHECKS[name]()
        except Exception as exc:  # a health check reports every failure, whatever it is
            ok, detail = False, f"{type(exc).__name__}: {exc}"
        results[name] = {
            "status": "ok" if ok else "error",
            "detail": detail,
            "ms": round((time.perf_counter() - started) * 1000, 1),
        }
    return results
