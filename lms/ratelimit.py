"""A small fixed-window rate limiter on the Django cache.

It fails open: if the cache (Redis) is down, requests are allowed and a warning is logged, so an
outage of Redis never locks people out of signing in. django-axes still guards passwords from
the database.
"""

from __future__ import annotations

import logging
import time
from functools import wraps

from django.core.cache import cache
from django.shortcuts import render
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR") or "unknown"


def rate_limit_exceeded(key: str, *, limit: int, window: int) -> bool:
    """Count one hit for ``key``; True once more than ``limit`` hits fall in ``window`` seconds."""
    bucket = f"ratelimit:{key}:{int(time.time() // window)}"
    try:
        if cache.add(bucket, 1, window + 1):
            return False
        return cache.incr(bucket) > limit
    except Exception as exc:  # cache unavailable: fail open, never block sign-in on Redis
        logger.warning("ratelimit_cache_unavailable key=%s error=%r", key, exc)
        return False


def ratelimit(*, scope: str, limit: int, window: int, methods: tuple[str, ...] = ("POST",)):
    """View decorator: answer 429 with a clear page when one address sends too many requests."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods and rate_limit_exceeded(
                f"{scope}:{client_ip(request)}", limit=limit, window=window
            ):
                response = render(
                    request,
                    "429.html",
                    {"retry_after": window, "message": _("Too many requests from your address.")},
                    status=429,
                )
                response["Retry-After"] = str(window)
                return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
