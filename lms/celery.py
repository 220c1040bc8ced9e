"""The Celery application. Workers and beat start with `celery -A lms worker|beat`."""

import os

from celery import Celery
from celery.signals import task_failure

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")

app = Celery("lms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_failure.connect
def log_task_failure(sender=None, task_id=None, exception=None, **kwargs):
    """One log line per failed task, so production logs show what broke and where."""
    import logging

    logging.getLogger("lms.tasks").error(
        "task_failed task=%s id=%s error=%r", getattr(sender, "name", sender), task_id, exception
    )
