"""Outage and crash safety with real services: Redis stopped and restarted inside the test, a
real Celery worker process. Nothing the platform owes is lost, and nothing is done twice."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from assessments.models import Certificate
from courses.models import CourseCompletion
from courses.services import enrolment_create
from lms.models import OutboxMessage
from lms.outbox import outbox_deliver
from tests.courses.factories import lessons_of, make_course
from tests.factories import DEFAULT_PASSWORD, make_staff
from tests.redis_server import PrivateRedis
from tests.services import require_postgres

pytestmark = [pytest.mark.services, pytest.mark.xdist_group("celery_worker")]


@pytest.fixture
def private_stack(transactional_db, settings):
    """A private redis-server (broker + cache) and a real worker; the test may stop Redis."""
    from tests.celery_worker import celery_app_using, celery_worker

    require_postgres()
    redis = PrivateRedis()
    redis.start()
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CACHES = {
        "default": {
            "BACKEND": "lms.cache.FailSafeRedisCache",
            "LOCATION": redis.url(1),
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    settings.HEALTHZ_CHECKS = ["database", "cache", "broker", "worker"]
    try:
        with (
            celery_app_using(redis.url(0), result_backend=None) as app,
            celery_worker(redis.url(0), results=False) as (process, node),
        ):
            yield redis, app, process
    finally:
        redis.stop()


def _wait_for(predicate, *, seconds: float = 60.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.25)
    return False


def test_redis_down_then_back_nothing_is_lost(client, private_stack):
    redis, app, _worker = private_stack
    profile = make_staff(user__username="riley")
    course = make_course("Online permits basics", lessons=1)
    enrolment_create(user=profile.user, course=course)
    lesson = lessons_of(course)[0]

    redis.stop()

    # Sign-in works (sessions live in the database; the rate limiter fails open).
    signed_in = client.post("/accounts/login/", {"username": "riley", "password": DEFAULT_PASSWORD})
    assert signed_in.status_code == 302
    # Completing the course works and is saved; the certificate task could not be queued.
    completed = client.post(reverse("courses:lesson_complete", args=[lesson.pk]))
    assert completed.status_code in (200, 302)
    completion = CourseCompletion.objects.get(user=profile.user, course=course)
    assert not Certificate.objects.filter(completion=completion).exists()
    queued = OutboxMessage.objects.get(
        task_name="assessments.tasks.certificate_issue_for_completion",
        kwargs__completion_id=completion.pk,
    )
    assert queued.sent_at is None and queued.last_error
    # The learner is told the certificate is on its way; pages keep answering.
    my_learning = client.get(reverse("courses:my_learning"))
    assert my_learning.status_code == 200
    assert "on its way" in my_learning.content.decode()
    # Health reports the broker (and cache) down with 503.
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.json()["components"]["broker"]["status"] == "error"

    redis.start()  # same port: the worker and this process reconnect by themselves
    assert outbox_deliver() >= 1  # what the outbox_flush beat task does every minute

    assert _wait_for(lambda: Certificate.objects.filter(completion=completion).exists())
    assert Certificate.objects.filter(completion=completion).count() == 1
    assert _wait_for(lambda: client.get("/healthz").status_code == 200, seconds=30)
