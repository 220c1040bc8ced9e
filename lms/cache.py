"""A Redis cache that degrades to "no cache" while Redis is down, instead of failing pages.

Wagtail keeps site root paths and settings in the cache, so with Django's plain RedisCache a
Redis outage would turn every page into a 500. This backend logs the failure, answers as if the
key were missing (reads) or not stored (writes), and stops calling Redis for a few seconds (a
small circuit breaker) so that each request does not wait on a dead socket. ``incr``/``decr``
still raise: callers that count (the rate limiter) decide themselves how to fail.
"""

from __future__ import annotations

import logging
import time
from contextvars import ContextVar

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)
RETRY_AFTER_SECONDS = 5.0


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's client builds a new ``redis.Redis`` for every cache call, and redis-py copies
    its ~170 response callbacks into each one: about a third of a millisecond per call, a dozen
    calls per page. A client per connection pool is enough (redis-py clients are thread-safe;
    the pool does the connecting, and reconnects after a fork)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class FailSafeRedisCache(RedisCache):
    _down_until: float = 0.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient

    def _available(self) -> bool:
        return time.monotonic() >= self._down_until

    def _failed(self, operation: str, exc: Exception) -> None:
        if self._available():
            logger.warning("cache_unavailable operation=%s error=%r", operation, exc)
        self._down_until = time.monotonic() + RETRY_AFTER_SECONDS

    def _call(self, operation: str, fallback, *args, **kwargs):
        if not self._available():
            return fallback
        try:
            return getattr(super(), operation)(*args, **kwargs)
        except UNAVAILABLE as exc:
            self._failed(operation, exc)
            return fallback

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default=default, version=version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version=version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, key, value, timeout=timeout, version=version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, key, value, timeout=timeout, version=version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout=timeout, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout=timeout, version=version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version=version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version=version)

    def clear(self):
        return self._call("clear", False)


# --- Read-through caching with invalidation -----------------------------------------------------
#
# Small helpers for the hot per-request lookups (a person's roles, whether they have an
# authenticator, the page a URL routes to). Every value is stored wrapped in a 1-tuple so that
# None/False can be cached too. Invalidation happens twice: at once, and again when the
# transaction commits — otherwise a request reading between the change and the commit could put
# the old value back for the rest of the timeout. While the cache is down (FailSafeRedisCache)
# every read misses and the value is computed, so correctness never depends on the cache.

_MISSING = object()


def _quietly(operation: str, fallback, *args, **kwargs):
    """A cache call that answers ``fallback`` instead of raising: these lookups run on every
    request (middleware included), so even a cache backend that is not fail-safe must not be
    able to turn a page — or /healthz — into a 500."""
    from django.core.cache import cache

    try:
        return getattr(cache, operation)(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001  (any backend's connection error)
        logger.warning("cache_unavailable operation=%s error=%r", operation, exc)
        return fallback


# Values read ahead for the current request (``prefetch``), by key: set by
# ``RequestGenerationsMiddleware``, None outside a request.
_request_values: ContextVar[dict | None] = ContextVar("cache_prefetched", default=None)


def prefetch(*keys: str) -> None:
    """Read these keys in one round trip, for ``cached`` to answer from during this request
    (a signed-in request needs both its roles and whether it has an authenticator)."""
    values = _request_values.get()
    if values is None:
        return
    wanted = [key for key in keys if key not in values]
    if wanted:
        found = _quietly("get_many", {}, wanted)
        values.update({key: found.get(key, _MISSING) for key in wanted})


def cached(key: str, compute, *, timeout: int = 3600):
    """``compute()``'s value, from the cache when it is there."""
    values = _request_values.get()
    if values is not None and key in values:
        hit = values[key]
    else:
        hit = _quietly("get", _MISSING, key, _MISSING)
    if hit is not _MISSING and isinstance(hit, tuple) and len(hit) == 1:
        return hit[0]
    value = compute()
    _quietly("set", None, key, (value,), timeout)
    if values is not None:
        values[key] = (value,)
    return value


def _drop_request_values(keys) -> None:
    values = _request_values.get()
    if values is not None:
        for key in keys:
            values.pop(key, None)


def forget(*keys: str) -> None:
    """Drop cached values now and once the current transaction (if any) commits."""
    from django.db import transaction

    def drop() -> None:
        _quietly("delete_many", None, list(keys))
        _drop_request_values(keys)

    drop()
    transaction.on_commit(drop)


# Within a request each generation token is read from the cache once and then remembered
# (``RequestGenerationsMiddleware``): a lesson page asks for the pages token half a dozen times.
# The families almost every page reads (registered with ``read_on_every_request``) are fetched
# together in one round trip when the request starts. A request that renews a generation itself
# drops its remembered token, now and at commit.
_request_tokens: ContextVar[dict | None] = ContextVar("cache_generations", default=None)
_every_request: set[str] = set()


def read_on_every_request(name: str) -> str:
    """Register a generation family that most requests read (prefetched with the others)."""
    _every_request.add(name)
    return name


class RequestGenerationsMiddleware:
    """Remember generation tokens, and values read ahead with ``prefetch``, for the length of
    one request (see ``generation``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        keys = {_generation_key(name): name for name in _every_request}
        found = _quietly("get_many", {}, list(keys)) if keys else {}
        reset = _request_tokens.set({keys[key]: token for key, token in found.items()})
        reset_values = _request_values.set({})
        try:
            return self.get_response(request)
        finally:
            _request_values.reset(reset_values)
            _request_tokens.reset(reset)


def _generation_key(name: str) -> str:
    return f"generation:{name}"


def generation(name: str) -> str | None:
    """The current token of a family of cached values (None while the cache is down)."""
    import uuid

    tokens = _request_tokens.get()
    if tokens is not None and name in tokens:
        return tokens[name]
    key = _generation_key(name)
    token = _quietly("get", None, key)
    if token is None:
        token = uuid.uuid4().hex
        if not _quietly("add", False, key, token, None):
            token = _quietly("get", None, key)
    if tokens is not None and token is not None:
        tokens[name] = token
    return token


def _drop_request_token(name: str) -> None:
    tokens = _request_tokens.get()
    if tokens is not None:
        tokens.pop(name, None)


def new_generation(name: str) -> None:
    """Invalidate every value cached under ``generation(name)`` (now and at commit)."""
    from django.db import transaction

    forget(_generation_key(name))
    _drop_request_token(name)
    transaction.on_commit(lambda: _drop_request_token(name))


# --- Per-process memos under a generation ---------------------------------------------------------
#
# For data every request needs and editors rarely change (the live courses and their lessons):
# kept as Python objects in this process, so a hit costs one cache read (the generation token)
# instead of queries plus building model instances. The token is shared by every process, so a
# change anywhere renews it and each process rebuilds on its next request. Tokens are random and
# never reused, so a memo can only ever be current or missed. Values are shared between requests:
# callers must treat them as read-only.

_memos: dict[str, tuple[str, object]] = {}
MAX_MEMOS = 1000  # keys can come from requests (a Site per host): never let them pile up


def memoized(key: str, family: str, compute):
    """``compute()``'s value, kept in this process while ``generation(family)`` is unchanged
    (computed every time while the cache is down)."""
    token = generation(family)
    if token is None:
        return compute()
    hit = _memos.get(key)
    if hit is not None and hit[0] == token:
        return hit[1]
    value = compute()
    if len(_memos) >= MAX_MEMOS and key not in _memos:
        _memos.clear()
    _memos[key] = (token, value)
    return value
