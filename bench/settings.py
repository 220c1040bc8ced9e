"""Settings for the benchmark: production-like (DEBUG off) on its own fresh database."""

import os

from lms.settings.base import *  # noqa: F403
from lms.settings.base import BASE_DIR, dj_database_url

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
ROOT_URLCONF = "bench.urls"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ["BENCH_DATABASE_URL"],
        conn_max_age=600,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://"
# With CACHE_URL set, the cache is Redis as in production (the gunicorn workers then share
# routes, sessions and roles); without it, each process has its own local-memory cache. Each
# run has its own key prefix: nothing cached for an earlier run's database is ever read.
if os.environ.get("CACHE_URL"):
    CACHES = {
        "default": {
            "BACKEND": "lms.cache.FailSafeRedisCache",
            "LOCATION": os.environ["CACHE_URL"],
            "KEY_PREFIX": f"bench-{os.environ.get('BENCH_CACHE_PREFIX', 'run')}",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = BASE_DIR / "bench" / "results" / "media"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
MFA_REQUIRED = False
AXES_ENABLED = False
