"""GET /healthz: one entry per component, 503 when one is down."""

import pytest

pytestmark = pytest.mark.django_db


def test_healthz_ok_in_the_embedded_mode(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["components"]["database"]["status"] == "ok"


def test_healthz_reports_503_when_the_broker_is_down(client, settings):
    from lms.celery import app

    settings.HEALTHZ_CHECKS = ["database", "broker"]
    previous = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = previous

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["components"]["database"]["status"] == "ok"
    assert body["components"]["broker"]["status"] == "error"


def test_healthz_reports_503_when_the_cache_is_down(client, settings):
    settings.HEALTHZ_CHECKS = ["database", "cache"]
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/1",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["components"]["cache"]["status"] == "error"


@pytest.mark.services
def test_healthz_cache_ok_with_a_real_redis(client, settings):
    from tests.services import require_redis

    url = require_redis()
    settings.HEALTHZ_CHECKS = ["cache"]
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    }

    response = client.get("/healthz")

    assert response.status_code == 200, response.json()


def test_failsafe_cache_answers_like_an_empty_cache_while_redis_is_down(settings):
    from django.core.cache import cache

    settings.CACHES = {
        "default": {
            "BACKEND": "lms.cache.FailSafeRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }

    cache.set("k", "v")
    assert cache.get("k", "fallback") == "fallback"
    assert cache.add("k", 1) is False
    assert cache.get_many(["a", "b"]) == {}
