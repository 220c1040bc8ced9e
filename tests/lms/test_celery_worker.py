"""A real task through a real Redis to a real Celery worker process."""

import pytest

from lms.models import OutboxMessage
from lms.tasks import outbox_flush, ping

pytestmark = [pytest.mark.services, pytest.mark.xdist_group("celery")]


def test_task_round_trip_through_redis_and_a_worker(real_celery):
    result = ping.delay("hello from the test")
    assert result.get(timeout=30) == "hello from the test"


def test_worker_reads_and_writes_the_test_database(real_celery):
    message = OutboxMessage.objects.create(task_name="lms.tasks.ping", kwargs={"value": "x"})

    sent = outbox_flush.apply_async().get(timeout=30)

    assert sent == 1
    message.refresh_from_db()
    assert message.sent_at is not None


def test_healthz_sees_broker_and_worker(real_celery, client, settings):
    settings.HEALTHZ_CHECKS = ["database", "broker", "worker"]

    response = client.get("/healthz")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["components"]["broker"]["status"] == "ok"
    assert body["components"]["worker"]["status"] == "ok"
