"""Test settings: the embedded mode, plus the real services when their URLs are set."""

from .base import *  # noqa: F403
from .base import env, env_bool

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# pytest-django uses locmem in the test process anyway; a worker process started by a test may
# be given another backend (tests/mail_backends.py) so the test can count its e-mails.
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
# Tests run tasks inline; the real-worker tests switch this off for themselves and start
# their worker process with CELERY_TASK_ALWAYS_EAGER=0.
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", True)
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
STORAGES = {  # noqa: F405
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_ENABLED = True
LOGGING = {"version": 1, "disable_existing_loggers": False}
# Tests share one Redis at most; keep the Django cache per process so parallel runs never see
# each other's keys. Tests of the Redis cache configure it themselves.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
