"""Fixtures shared by the whole suite."""

from __future__ import annotations

import os

import pytest

from lms.roles import Role
from tests.factories import DEFAULT_PASSWORD, make_staff

# Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls from a
# thread with a running loop unless told that this is deliberate (tests only).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache, so rate-limit counters never leak between tests."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def cache_calls(monkeypatch) -> list[str]:
    """The names of the cache reads and writes made from now on (get, get_many, add, set), one
    per call the code makes (LocMemCache's get_many calls its own get: not counted twice)."""
    from django.core.cache import cache

    calls: list[str] = []
    inside: list[str] = []
    for name in ("get", "get_many", "add", "set"):
        original = getattr(cache, name)

        def spy(*args, _name=name, _original=original, **kwargs):
            if not inside:
                calls.append(_name)
            inside.append(_name)
            try:
                return _original(*args, **kwargs)
            finally:
                inside.pop()

        monkeypatch.setattr(cache, name, spy)
    return calls


@pytest.fixture(autouse=True)
def _base_content(request):
    """Tests that commit (live server, real workers) flush every table afterwards, which also
    removes what data migrations created; put the site's base content back for them."""
    marker = request.node.get_closest_marker("django_db")
    transactional = (
        "transactional_db" in request.fixturenames
        or "live_server" in (request.fixturenames)
        or bool(marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))
    )
    if not transactional:
        return
    request.getfixturevalue("transactional_db")
    from cms.services import site_ensure_default
    from lms.services import roles_sync

    site_ensure_default()
    roles_sync()
    _restore_data_migrations()


def _restore_data_migrations() -> None:
    """Re-run the data migrations whose rows a flush removed (idempotent update_or_create)."""
    import importlib

    from django.apps import apps

    for module_name, function in DATA_MIGRATIONS:
        getattr(importlib.import_module(module_name), function)(apps, None)


DATA_MIGRATIONS = [
    ("courses.migrations.0003_digcomp_framework", "load_digcomp"),
]


@pytest.fixture
def password() -> str:
    return DEFAULT_PASSWORD


@pytest.fixture
def learner(db):
    return make_staff(user__username="learner1").user


@pytest.fixture
def other_learner(db):
    return make_staff(user__username="learner2").user


@pytest.fixture
def hr_admin(db):
    profile = make_staff(Role.HR_ADMIN, user__username="hr1", hr_all_departments=True)
    return profile.user


@pytest.fixture
def site_admin(db):
    profile = make_staff(Role.SITE_ADMIN, user__username="admin1")
    profile.user.is_superuser = True
    profile.user.is_staff = True
    profile.user.save()
    return profile.user


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client


@pytest.fixture
def real_celery(transactional_db, settings):
    """Tasks go through the real Redis broker to a real worker process for this test.

    Worker tests share one xdist group (see the ``services`` marker) so two workers never
    consume each other's tasks.
    """
    from tests.celery_worker import celery_app_using, celery_worker
    from tests.services import require_postgres, require_redis

    url = require_redis()
    require_postgres()
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with celery_app_using(url, result_backend=url) as app, celery_worker(url) as (process, node):
        yield app, process, node
