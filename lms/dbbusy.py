"""Database lock contention as a clear, retryable answer instead of a hang or a 500.

SQLite waits at most ``timeout`` seconds for a write lock and PostgreSQL gives up after
``lock_timeout`` (both set in settings). When that happens the request ends with HTTP 503,
a ``Retry-After`` header and a page that says the change was not saved, so the person can try
again. Nothing is half-written: the request's transaction is rolled back by the database.
"""

from __future__ import annotations

import logging

from django.db import OperationalError
from django.shortcuts import render

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5

# SQLite: "database is locked" / "database table is locked".
# PostgreSQL: SQLSTATE 55P03 lock_not_available, 40P01 deadlock_detected,
# 40001 serialization_failure; 57014 query_canceled covers statement_timeout.
_PG_RETRYABLE = {"55P03", "40P01", "40001", "57014"}


def is_lock_contention(exc: BaseException) -> bool:
    """True when ``exc`` means "someone else holds the lock, try again shortly"."""
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__ or exc
    sqlstate = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    if sqlstate in _PG_RETRYABLE:
        return True
    return "is locked" in str(exc)


class DatabaseBusyMiddleware:
    """Answer 503 + Retry-After when a view fails on database lock contention."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_lock_contention(exception):
            return None
        logger.warning("database_busy path=%s error=%r", request.path, exception)
        response = render(
            request,
            "503_busy.html",
            {"retry_after": RETRY_AFTER_SECONDS},
            status=503,
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
