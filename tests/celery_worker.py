"""Start a real Celery worker process against the test database and Redis."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def database_url_for_worker() -> str:
    """The URL of the database this test process uses (the test database, not the real one)."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        user = quote(db.get("USER") or "")
        password = quote(db.get("PASSWORD") or "")
        auth = f"{user}:{password}@" if user else ""
        return f"postgres://{auth}{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"
    return f"sqlite:///{db['NAME']}"


def _forget_connections(app) -> None:
    """Drop the app's cached broker pools and result backend so new settings take effect."""
    app._pool = None
    app.amqp._producer_pool = None
    if hasattr(app._local, "backend"):
        del app._local.backend


@contextmanager
def celery_app_using(broker_url: str, *, result_backend: str | None):
    """Point this process's Celery app at ``broker_url`` (not eager) for the block."""
    from lms.celery import app

    keys = ("task_always_eager", "broker_url", "result_backend")
    previous = {key: app.conf[key] for key in keys}
    app.conf.update(
        task_always_eager=False,
        broker_url=broker_url,
        result_backend=result_backend,
    )
    _forget_connections(app)
    try:
        yield app
    finally:
        app.conf.update(**previous)
        _forget_connections(app)


@contextmanager
def celery_worker(
    redis_url: str,
    *,
    concurrency: int = 1,
    results: bool = True,
    extra_env: dict | None = None,
):
    """Run ``celery -A lms worker`` until the block ends; yields (process, node name)."""
    from lms.celery import app

    node = f"test-{uuid.uuid4().hex[:8]}@localhost"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.test",
        "DATABASE_URL": database_url_for_worker(),
        "REDIS_URL": redis_url,
        "CELERY_RESULT_BACKEND": redis_url if results else "",
        "CELERY_TASK_ALWAYS_EAGER": "0",
        **(extra_env or {}),
    }
    log = open(Path(tempfile.gettempdir()) / f"civicskills-celery-{node}.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "lms",
            "worker",
            "--loglevel=INFO",
            f"--concurrency={concurrency}",
            "--pool=prefork",
            "-n",
            node,
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"The Celery worker exited early; see {log.name}")
            if app.control.ping(destination=[node], timeout=0.5):
                break
        else:
            raise RuntimeError(f"The Celery worker did not answer within 60 s; see {log.name}")
        yield process, node
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log.close()
