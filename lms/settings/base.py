"""Settings shared by every environment. Environment-specific modules import * from here.

Everything a deployment changes is read from environment variables (see README.md and
.env.example); this module holds only safe defaults for the embedded (SQLite, eager Celery) mode.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


def env_required(name: str) -> str:
    value = env(name)
    if value is None:
        raise ImproperlyConfigured(
            f"The environment variable {name} must be set for this settings module "
            f"({os.environ.get('DJANGO_SETTINGS_MODULE')}). See .env.example."
        )
    return value


SITE_NAME = env("SITE_NAME", "CivicSkills")
MUNICIPALITY_NAME = env("MUNICIPALITY_NAME", "City of Riverton")

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY", "insecure-dev-key-only-for-the-embedded-mode")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Project apps first so their templates override third-party ones.
    "lms",
    "cms",
    "courses",
    "assessments",
    "champions",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "lms.cache.RequestGenerationsMiddleware",
    "cms.routing.CachedSiteMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "lms.mfa.RequireMFAMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "lms.dbbusy.DatabaseBusyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks, so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lms.urls"
WSGI_APPLICATION = "lms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "lms.context_processors.civicskills",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets readers work while a writer commits; the timeout turns lock contention into
    # a clear "database is locked" error after 5 s instead of an immediate failure.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 5,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    # Statements waiting on a lock give up after 5 s with a retryable error, never hang.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c lock_timeout={env('DB_LOCK_TIMEOUT_MS', '5000')} -c statement_timeout=60000"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "lms.validators.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "lms.backends.EmailOrUsernameBackend",
]
LOGIN_URL = "login"
# Two-step sign-in (TOTP) for the admin roles. On in production; the embedded demo leaves it off
# so the published demo sign-ins work without an authenticator app.
MFA_REQUIRED = env_bool("MFA_REQUIRED", False)
LOGIN_REDIRECT_URL = "/"
WAGTAIL_FRONTEND_LOGIN_URL = "/accounts/login/"
WAGTAILADMIN_LOGIN_URL = "/accounts/login/"

# Sessions: end after 8 hours of a working day or when the browser closes. Stored in the
# database and read through the cache (no query per request while the cache is up; the
# database copy keeps people signed in through a cache outage or restart).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_AGE = int(env("SESSION_COOKIE_AGE", str(8 * 60 * 60)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Brute-force protection: lock a username+address pair after 5 failures, cool off after 15 min
# so an attacker cannot lock a colleague out for good.
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False

LANGUAGE_CODE = "en-us"
TIME_ZONE = env("TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # The public-sector design system, installed from npm by `make install`.
    ("uswds", BASE_DIR / "node_modules" / "@uswds" / "uswds" / "dist"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Wagtail
WAGTAIL_SITE_NAME = SITE_NAME
WAGTAILADMIN_BASE_URL = env("SITE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 5 * 1024 * 1024
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_MODERATION_ENABLED = True

# Email
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "CivicSkills <learning@example.gov>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_TIMEOUT = 20

# Redis: the broker and the cache use separate databases so a cache flush never drops tasks.
REDIS_URL = env("REDIS_URL")
CACHE_URL = env("CACHE_URL")
if CACHE_URL:
    CACHES = {
        "default": {
            # Degrades to "no cache" while Redis is down (pages keep working): lms/cache.py
            "BACKEND": "lms.cache.FailSafeRedisCache",
            "LOCATION": CACHE_URL,
            "TIMEOUT": 300,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery
CELERY_BROKER_URL = REDIS_URL or "memory://"
# No result backend unless asked for: nothing in the app waits for a task's return value, and a
# Redis result backend that loses its connection during an outage refuses to reconnect until the
# process restarts ("Retry limit exceeded"). Set it only to inspect results (the tests do).
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND") or None
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", REDIS_URL is None)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_RESULT_EXPIRES = 24 * 60 * 60
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing must not hang a web request when Redis is down: fail fast, the outbox catches up.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1,
    "interval_start": 0,
    "socket_timeout": 2,
    "socket_connect_timeout": 2,
    # A message taken by a worker that died (SIGKILL, power loss) goes back to the queue after
    # this many seconds. Keep it above the longest task (CELERY_TASK_TIME_LIMIT).
    "visibility_timeout": int(env("CELERY_VISIBILITY_TIMEOUT", "3600")),
}
CELERY_TASK_PUBLISH_RETRY = False

# Content-Security-Policy (django-csp 4): no inline script anywhere on the staff site. The
# Wagtail admin ships inline scripts, so it is excluded and covered by its own header below.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'", "https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        "frame-ancestors": ["'self'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# SAMEORIGIN, not DENY: Wagtail's live preview shows our own pages in a frame. Other sites
# still cannot frame us (frame-ancestors 'self' in the CSP says the same).
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = ["security.W019"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Which components /healthz checks; production adds cache, broker and worker.
HEALTHZ_CHECKS = ["database"]

LOG_LEVEL = env("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        # One line per event: time, level, logger, message (and the traceback on the next lines).
        "line": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "line"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.request": {"level": "ERROR", "propagate": True},
        "celery": {"level": "INFO", "propagate": True},
        "axes": {"level": "WARNING", "propagate": True},
    },
}

# Published in the README on purpose: seed_demo refuses to run under production settings.
CIVICSKILLS_DEMO_PASSWORD = "civicskills-demo"  # noqa: S105

# Times are in TIME_ZONE. Every task named here must exist (tests/lms/test_beat.py checks).
CELERY_BEAT_SCHEDULE = {
    "outbox-flush": {"task": "lms.tasks.outbox_flush", "schedule": 60.0},
    "reminders-daily": {"task": "lms.tasks.reminders_daily", "schedule": crontab(hour=7, minute=0)},
    "manager-digest": {"task": "lms.tasks.manager_digest", "schedule": crontab(hour=7, minute=30)},
    "recertification-sweep": {
        "task": "lms.tasks.recertification_sweep",
        "schedule": crontab(hour=2, minute=0),
    },
    "certificates-catch-up": {
        "task": "assessments.tasks.certificates_catch_up",
        "schedule": crontab(minute="*/10"),
    },
    "readiness-snapshot": {
        "task": "champions.tasks.readiness_snapshot_daily",
        "schedule": crontab(hour=1, minute=0),
    },
}

# Extra rules a course must meet to complete, and tasks queued when one completes. Each app
# adds its own here; courses never imports them directly.
COURSE_COMPLETION_REQUIREMENTS: list[str] = [
    "assessments.completion.course_quiz_requirement",
]
COURSE_COMPLETED_TASKS: list[str] = [
    "assessments.tasks.certificate_issue_for_completion",
]

# Extra panels on /my-learning/: dotted callables ``(request) -> dict(template=, context=) | None``.
MY_LEARNING_PANELS: list[str] = [
    "assessments.panels.recommendations_panel",
    "assessments.panels.certificates_panel",
]

# Panels shown on a course page under the lessons, each a dotted path to a
# callable ``(request, page) -> {"template": str, "context": dict} | None``.
# They let other apps (the course quiz) appear on a course page without the
# courses app importing them.
# Files added to a person's data export (lms/privacy.py), each a dotted path to a callable
# ``(*, user) -> Iterable[lms.privacy.PersonalDataFile]``.
PERSONAL_DATA_FILES: list[str] = ["assessments.privacy.certificate_files"]

COURSE_PAGE_PANELS: list[str] = [
    "assessments.panels_quiz.course_quiz_panel",
]
