"""Every scheduled task exists, so beat never sends work no worker understands."""

from django.conf import settings

from lms.celery import app


def test_every_beat_task_is_registered():
    app.loader.import_default_modules()
    missing = [
        entry["task"]
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] not in app.tasks
    ]
    assert missing == []


def test_every_completion_hook_task_is_registered():
    app.loader.import_default_modules()
    assert [name for name in settings.COURSE_COMPLETED_TASKS if name not in app.tasks] == []
