"""A Celery worker killed with SIGKILL in the middle of a batch: after a restart every item is
done exactly once. Real Redis, real PostgreSQL, real worker processes."""

from __future__ import annotations

import datetime as dt
import email
import time

import pytest
from django.utils import timezone

from lms.hr.services import assignments_create
from lms.models import ReminderLog
from tests.factories import make_staff
from tests.lms.factories import make_course
from tests.services import require_postgres, require_redis

pytestmark = [pytest.mark.services, pytest.mark.xdist_group("celery_worker")]

PEOPLE = 24
KILL_AT = 9


def _recipients(folder) -> list[str]:
    return sorted(
        email.message_from_bytes(path.read_bytes())["To"] for path in folder.glob("*.eml")
    )


def _wait_for(predicate, *, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.25)
    return False


@pytest.mark.django_db(transaction=True)
def test_reminder_run_killed_mid_batch_sends_every_email_exactly_once(settings, tmp_path):
    from tests.celery_worker import celery_app_using, celery_worker

    url = require_redis()
    require_postgres()
    settings.CELERY_TASK_ALWAYS_EAGER = False
    course = make_course("Cyber safety basics")
    people = [make_staff(user__email=f"person{i:02d}@example.gov").user for i in range(PEOPLE)]
    assignments_create(
        users=people, course=course, due_date=timezone.localdate() - dt.timedelta(days=3)
    )
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    worker_env = {
        "EMAIL_BACKEND": "tests.mail_backends.KillSwitchFileBackend",
        "CIVICSKILLS_TEST_MAIL_DIR": str(mail_dir),
        "CIVICSKILLS_TEST_KILL_AT": str(KILL_AT),
        # Messages of a dead worker return to the queue after 3 s (production: 1 hour).
        "CELERY_VISIBILITY_TIMEOUT": "3",
    }

    with celery_app_using(url, result_backend=None) as app:
        with celery_worker(url, results=False, extra_env=worker_env) as (first, _node):
            app.send_task("lms.tasks.reminders_daily")
            assert _wait_for(lambda: first.poll() is not None, seconds=120), "never killed"
        assert (mail_dir / "killed").exists()
        assert len(_recipients(mail_dir)) == KILL_AT  # the batch stopped half-way

        with celery_worker(url, results=False, extra_env=worker_env):
            assert _wait_for(lambda: len(_recipients(mail_dir)) >= PEOPLE, seconds=120)
            time.sleep(3)  # anything sent twice would show up now

    recipients = _recipients(mail_dir)
    assert recipients == sorted(person.email for person in people)
    assert ReminderLog.objects.filter(sent_at__isnull=True).count() == 0
