"""Rate limits on sign-in and password reset; the audit trail of sign-in and role changes."""

import pytest
from django.core.cache import cache

from lms.models import AuditEvent
from lms.ratelimit import rate_limit_exceeded
from lms.roles import Role
from lms.services import user_set_roles
from tests.factories import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


@pytest.fixture(autouse=True)
def _one_window(monkeypatch):
    """Fixed windows: pin the clock so a test never straddles a window boundary."""
    monkeypatch.setattr("lms.ratelimit.time.time", lambda: 1_800_000_000.0)


def test_limit_counts_per_key():
    hits = [rate_limit_exceeded("t:a", limit=3, window=60) for _ in range(5)]

    assert hits == [False, False, False, True, True]
    assert rate_limit_exceeded("t:b", limit=3, window=60) is False


def test_limiter_fails_open_when_the_cache_is_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }

    assert rate_limit_exceeded("down", limit=0, window=60) is False


def test_password_reset_is_rate_limited_per_address(client):
    codes = [
        client.post("/accounts/password_reset/", {"email": "x@example.gov"}).status_code
        for _ in range(6)
    ]

    assert codes[:5] == [302] * 5
    assert codes[5] == 429


def test_sign_in_is_rate_limited_per_address(client):
    codes = [
        client.post("/accounts/login/", {"username": f"u{i}", "password": "x"}).status_code
        for i in range(31)
    ]

    assert codes[-1] == 429
    assert "Too many requests" in client.post("/accounts/login/", {}).content.decode()


def test_failed_sign_in_and_lockout_are_audited(client, learner, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": learner.username, "password": "wrong"})

    assert AuditEvent.objects.filter(action="auth.login_failed").count() >= 4
    assert AuditEvent.objects.filter(action="auth.locked_out").exists()


def test_successful_sign_in_is_audited(client, learner, password):
    client.post("/accounts/login/", {"username": learner.username, "password": password})

    assert AuditEvent.objects.filter(action="auth.login", actor=learner).exists()


def test_role_changes_are_audited():
    user = make_staff().user

    user_set_roles(user=user, roles=[Role.HR_ADMIN])

    event = AuditEvent.objects.filter(action="user.groups_add", target_id=str(user.pk)).get()
    assert event.details["groups"] == ["HR admin"]


def test_audit_events_are_append_only():
    event = AuditEvent.objects.create(action="test.event")

    event.action = "changed"
    with pytest.raises(ValueError, match="cannot be changed"):
        event.save()
    with pytest.raises(ValueError, match="cannot be deleted"):
        event.delete()
