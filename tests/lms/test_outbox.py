"""The transactional outbox: work is queued with the data, and nothing is lost when sending fails."""

import pytest
from django.db import transaction

from lms.models import OutboxMessage
from lms.outbox import outbox_deliver, outbox_enqueue

pytestmark = pytest.mark.django_db(transaction=True)


def test_message_is_sent_after_commit():
    with transaction.atomic():
        outbox_enqueue("lms.tasks.ping", value="hi")
        assert OutboxMessage.objects.get().sent_at is None

    assert OutboxMessage.objects.get().sent_at is not None


def test_rolled_back_transaction_queues_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox_enqueue("lms.tasks.ping", value="hi")
        raise RuntimeError("boom")

    assert not OutboxMessage.objects.exists()


def test_same_dedupe_key_queues_once():
    with transaction.atomic():
        outbox_enqueue("lms.tasks.ping", dedupe_key="ping:1", value="a")
        outbox_enqueue("lms.tasks.ping", dedupe_key="ping:1", value="a")

    assert OutboxMessage.objects.count() == 1


def test_failed_send_is_kept_and_delivered_by_the_sweep(monkeypatch):
    import lms.outbox

    def broken(message):
        raise ConnectionError("broker unavailable")

    monkeypatch.setattr(lms.outbox, "_send", broken)
    with transaction.atomic():
        outbox_enqueue("lms.tasks.ping", value="later")
    message = OutboxMessage.objects.get()
    assert message.sent_at is None
    assert message.attempts == 1
    assert "broker unavailable" in message.last_error

    monkeypatch.undo()
    assert outbox_deliver() == 1
    message.refresh_from_db()
    assert message.sent_at is not None
    assert message.last_error == ""
