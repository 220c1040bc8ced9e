"""The compliance report's department rows, cached until what they count changes.

Aggregating every active assignment of the city takes about half a second on PostgreSQL at
20,000 staff, too slow for a page HR opens all day. So the department-level rows are kept in
the Django cache under a key made of:

- the **compliance data version**, a random token that ``compliance_data_changed()`` replaces
  once the current transaction commits. Every service that changes what the report counts calls
  it (assignments created, withdrawn, moved or deleted; an enrolment started, completed or
  recertified; a person moving department or job role; a department renamed or moved), so rows
  cached before the change are never read again;
- the HR admin's department scope, the report's filters and today's date (``overdue`` and the
  expiry windows move with the calendar).

Entries also expire after ``HR_COMPLIANCE_CACHE_SECONDS`` (10 minutes by default), a backstop
for changes made outside the services (a user account deleted, a fix made in a shell), for an
invalidation lost while the cache was unreachable, and for the expiry windows, which move with
the clock. The page says "Figures as of HH:MM" when its rows
came from the cache.

The cache is an optimisation only: when it cannot be read or written (Redis down, whatever the
backend), the rows are computed from the database as if nothing were cached.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from lms.cache import cached, generation, new_generation

# Part of every key: change it when the shape of the cached rows changes.
KEY_PREFIX = "hr:compliance:v2"
GENERATION = "hr-compliance"  # lms.cache generation: the "compliance data version"
DEFAULT_TIMEOUT = 10 * 60


@dataclass(frozen=True)
class ComplianceRows:
    rows: list[dict]
    # When the rows were computed, if they came from the cache; None when computed now.
    cached_at: dt.datetime | None = None


def compliance_data_changed() -> None:
    """Invalidate every cached compliance report once the current transaction commits.

    Call it from any service that changes what the report counts, after the change. Nothing
    happens when the transaction rolls back; outside a transaction the invalidation is
    immediate. Each call costs one cache write at commit (calls are not deduplicated: the bulk
    services call it per batch and rule, never per row); a failed write is logged, not raised.
    """
    transaction.on_commit(_new_version, robust=True)


# Departments are edited in the admin's generic model views (no service of ours runs there):
# a renamed department shows under its old name, and a moved one changes what "Department
# (with sub-departments)" selects, so those saves invalidate too. Deleting a department, course
# or curriculum changes or removes assignments by cascade. Connected from ``LmsConfig.ready``.
@receiver(post_save, sender="lms.Department", dispatch_uid="compliance_department_saved")
def _department_saved(sender, instance, created, raw=False, **kwargs) -> None:
    if not created and not raw:
        compliance_data_changed()


@receiver(post_delete, sender="lms.Department", dispatch_uid="compliance_department_deleted")
@receiver(post_delete, sender="courses.CoursePage", dispatch_uid="compliance_course_deleted")
@receiver(post_delete, sender="lms.Curriculum", dispatch_uid="compliance_curriculum_deleted")
def _structure_deleted(sender, instance, **kwargs) -> None:
    compliance_data_changed()


def _new_version() -> None:
    new_generation(GENERATION)  # lms.cache: never raises; the timeout bounds any staleness


def _rows_key(version: str, *, scope: set[int] | None, filters: Iterable, today: dt.date) -> str:
    what = {
        "scope": "all" if scope is None else sorted(scope),
        "filters": sorted((key, sorted(values)) for key, values in filters),
        "today": today.isoformat(),
    }
    digest = hashlib.sha256(json.dumps(what, sort_keys=True).encode()).hexdigest()
    return f"{KEY_PREFIX}:rows:{version}:{digest}"


def compliance_department_rows_cached(
    *,
    scope: set[int] | None,
    filters: Iterable[tuple[str, list[str]]],
    compute: Callable[[], list[dict]],
) -> ComplianceRows:
    """The department rows for this scope and these (valid) filters, cached; see module doc.

    ``filters`` are the report's filter parameters as (name, values) pairs; ``compute`` runs
    the query when the rows are not cached (or the cache is unavailable: ``lms.cache`` reads and
    writes never raise).
    """
    timeout = getattr(settings, "HR_COMPLIANCE_CACHE_SECONDS", DEFAULT_TIMEOUT)
    version = generation(GENERATION) if timeout else None  # None when the cache does not answer
    if version is None:
        return ComplianceRows(compute())
    computed_now = []

    def load() -> dict:
        computed_now.append(True)
        started = timezone.now()  # the rows show the data as of the start of the query
        return {"rows": compute(), "computed_at": started}

    key = _rows_key(version, scope=scope, filters=filters, today=timezone.localdate())
    entry = cached(key, load, timeout=timeout)
    return ComplianceRows(entry["rows"], cached_at=None if computed_now else entry["computed_at"])
