"""lms.cache: the Redis client reuse and the per-process memos."""

from __future__ import annotations

import itertools

import pytest

from lms.cache import generation, memoized, new_generation


@pytest.mark.django_db
def test_memo_is_kept_until_the_generation_changes():
    compute = itertools.count(1).__next__  # 1, 2, … : how many times it ran

    assert memoized("test.memo", "test-family", compute) == 1
    assert memoized("test.memo", "test-family", compute) == 1
    new_generation("test-family")
    assert memoized("test.memo", "test-family", compute) == 2
    assert generation("test-family") is not None


def test_memo_computes_every_time_without_a_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    compute = itertools.count(1).__next__  # 1, 2, … : how many times it ran

    assert memoized("test.memo.nocache", "test-family", compute) == 1
    assert memoized("test.memo.nocache", "test-family", compute) == 2


@pytest.mark.services
def test_failsafe_cache_reuses_one_redis_client(settings):
    from django.core.cache import cache

    from tests.services import require_redis

    settings.CACHES = {
        "default": {"BACKEND": "lms.cache.FailSafeRedisCache", "LOCATION": require_redis()}
    }
    cache.set("reused-client", "yes")
    assert cache.get("reused-client") == "yes"
    assert cache._cache.get_client() is cache._cache.get_client(write=True)
    cache.delete("reused-client")


@pytest.mark.django_db
def test_a_request_reads_each_generation_once_and_sees_its_own_changes(settings):
    from django.core.cache import cache
    from django.test import RequestFactory

    from lms.cache import RequestGenerationsMiddleware

    seen = []

    def view(request):
        first = generation("test-request")
        cache.delete("generation:test-request")  # another process renews it: not seen mid-request
        seen.append(generation("test-request") == first)
        new_generation("test-request")  # this request renews it: seen at once
        seen.append(generation("test-request") != first)
        return None

    RequestGenerationsMiddleware(view)(RequestFactory().get("/"))
    assert seen == [True, True]
    # Outside a request every call reads the cache.
    token = generation("test-request")
    cache.delete("generation:test-request")
    assert generation("test-request") != token


@pytest.mark.django_db
def test_the_generations_every_request_reads_come_in_one_round_trip(cache_calls):
    from django.test import RequestFactory

    from cms.routing import PAGES
    from lms.cache import RequestGenerationsMiddleware
    from lms.permissions import ROLES_GENERATION

    pages, roles = generation(PAGES), generation(ROLES_GENERATION)  # both exist already
    cache_calls.clear()

    def view(request):
        return (generation(PAGES), generation(ROLES_GENERATION))

    assert RequestGenerationsMiddleware(view)(RequestFactory().get("/")) == (pages, roles)
    assert cache_calls == ["get_many"]


@pytest.mark.django_db
def test_prefetched_values_answer_cached_until_forgotten(cache_calls):
    from django.core.cache import cache
    from django.test import RequestFactory

    from lms.cache import RequestGenerationsMiddleware, cached, forget, prefetch

    cache.set("prefetch-test:known", (1,))

    def view(request):
        prefetch("prefetch-test:known", "prefetch-test:absent")
        known = cached("prefetch-test:known", lambda: 0)
        absent = cached("prefetch-test:absent", lambda: 5)  # missing: computed and stored
        again = cached("prefetch-test:absent", lambda: 6)  # answered from the request
        forget("prefetch-test:known")  # this request's own change is seen at once
        after = cached("prefetch-test:known", lambda: 3)
        return known, absent, again, after

    cache_calls.clear()
    result = RequestGenerationsMiddleware(view)(RequestFactory().get("/"))
    # one read ahead for both keys; the only other read is the one after forget()
    assert cache_calls == ["get_many", "get_many", "set", "get", "set"]
    assert result == (1, 5, 5, 3)
    assert cache.get("prefetch-test:absent") == (5,)
