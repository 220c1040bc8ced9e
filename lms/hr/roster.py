"""Roster import: the HR system's staff list (CSV or XLSX) becomes staff profiles.

``roster_import(data=..., dry_run=..., deactivate_missing=...)`` is the one entry point the
admin, the ``import_staff`` command and the Celery task share. It reads the file, checks every
row before anything is written (row number, column, value, reason), and only when there is no
error writes everything in one transaction: departments and job roles named in the file,
user accounts (in bulk, unusable passwords), profiles, then managers (who may appear later in
the file than their reports). Rows that match the database already are skipped, so importing
an unchanged file again writes nothing. See docs/roster-import.md for the format.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.audit import audit_record
from lms.models import Department, JobRole, RosterImport, StaffProfile, StaffStatus
from lms.services import staff_mark_leaver, staff_reinstate
from lms.uploads import validate_upload

User = get_user_model()

REQUIRED_COLUMNS = ("employee_id", "first_name", "last_name", "email", "department", "job_title")
OPTIONAL_COLUMNS = ("manager_employee_id", "location", "start_date", "status")
BATCH = 1000
MAX_ERRORS = 1000  # the report lists this many; the count is always exact

Progress = Callable[[int, int], None]


@dataclass
class RosterRow:
    number: int  # the row number as a spreadsheet shows it (the header is row 1)
    employee_id: str
    first_name: str
    last_name: str
    email: str
    department: str
    job_title: str
    manager_employee_id: str = ""
    location: str = ""
    start_date: dt.date | None = None
    status: str = StaffStatus.ACTIVE


@dataclass
class RosterReport:
    """What an import found and did (or, on a dry run / with errors, would do)."""

    total_rows: int = 0
    errors: list[dict] = field(default_factory=list)
    error_count: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    leavers: int = 0
    reinstated: int = 0
    deactivated_missing: int = 0
    departments_created: list[str] = field(default_factory=list)
    job_roles_created: list[str] = field(default_factory=list)
    dry_run: bool = False
    written: bool = False

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def error(self, row: int, column: str, value, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(
                {"row": row, "column": column, "value": str(value or ""), "message": str(message)}
            )

    def as_dict(self) -> dict:
        return {
            "total_rows": self.total_rows,
            "errors": self.errors,
            "error_count": self.error_count,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "leavers": self.leavers,
            "reinstated": self.reinstated,
            "deactivated_missing": self.deactivated_missing,
            "departments_created": self.departments_created,
            "job_roles_created": self.job_roles_created,
            "dry_run": self.dry_run,
            "written": self.written,
        }


# --- reading ---------------------------------------------------------------------------------


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _raw_rows(data: bytes, kind: str) -> list[list[str]]:
    if kind == "xlsx":
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            return [[_cell(value) for value in row] for row in sheet.iter_rows(values_only=True)]
        finally:
            workbook.close()
    text = data.decode("utf-8-sig")
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text, newline=""))]


def roster_read(*, data: bytes, report: RosterReport) -> list[RosterRow]:
    """Check the file type and the header, then parse rows (format errors go to ``report``)."""
    try:
        data, kind = validate_upload(ContentFile(data), allowed={"csv", "xlsx"})
    except ValidationError as exc:
        report.error(0, "", "", " ".join(exc.messages))
        return []
    try:
        raw = _raw_rows(data, kind)
    except Exception as exc:  # a damaged workbook or CSV: tell the person, write nothing
        report.error(0, "", "", _("The file could not be read: %(error)s") % {"error": exc})
        return []
    if not raw or not any(raw[0]):
        report.error(1, "", "", _("The file has no header row."))
        return []
    header = [name.strip().lower().replace(" ", "_") for name in raw[0]]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        report.error(
            1, ", ".join(missing), "", _("Required columns are missing from the header row.")
        )
        return []
    index = {
        name: header.index(name) for name in REQUIRED_COLUMNS + OPTIONAL_COLUMNS if name in header
    }
    rows: list[RosterRow] = []
    for number, values in enumerate(raw[1:], start=2):
        if not any(values):
            continue
        get = {name: (values[i] if i < len(values) else "") for name, i in index.items()}
        row = RosterRow(
            number=number,
            employee_id=get["employee_id"],
            first_name=get["first_name"],
            last_name=get["last_name"],
            email=get["email"].lower(),
            department=get["department"],
            job_title=get["job_title"],
            manager_employee_id=get.get("manager_employee_id", ""),
            location=get.get("location", ""),
        )
        for column in REQUIRED_COLUMNS:
            if not get[column]:
                report.error(number, column, "", _("A value is required."))
        if row.email:
            try:
                validate_email(row.email)
            except ValidationError:
                report.error(
                    number, "email", get["email"], _("This is not a valid e-mail address.")
                )
        start = get.get("start_date", "")
        if start:
            try:
                row.start_date = dt.date.fromisoformat(start[:10] if "T" in start else start)
            except ValueError:
                report.error(number, "start_date", start, _("Use a date as YYYY-MM-DD."))
        status = get.get("status", "").lower() or StaffStatus.ACTIVE
        if status not in StaffStatus.values:
            report.error(
                number, "status", get.get("status", ""), _("The status must be active or leaver.")
            )
        row.status = status
        rows.append(row)
    report.total_rows = len(rows)
    return rows


# --- checking against the file and the database ------------------------------------------------


def _existing_profiles(employee_ids: list[str]) -> dict[str, StaffProfile]:
    result: dict[str, StaffProfile] = {}
    for start in range(0, len(employee_ids), BATCH):
        batch = employee_ids[start : start + BATCH]
        for profile in StaffProfile.objects.filter(employee_id__in=batch).select_related(
            "user", "manager"
        ):
            result[profile.employee_id] = profile
    return result


def _users_by_email(emails: list[str]) -> dict[str, tuple[int, str | None]]:
    """e-mail (lower case) → (user id, employee id of their profile or None)."""
    result: dict[str, tuple[int, str | None]] = {}
    for start in range(0, len(emails), BATCH):
        batch = emails[start : start + BATCH]
        rows = (
            User.objects.annotate(email_lower=Lower("email"))
            .filter(email_lower__in=batch)
            .values_list("email_lower", "pk", "profile__employee_id")
        )
        for email, pk, employee_id in rows:
            result[email] = (pk, employee_id)
    return result


def _check(rows: list[RosterRow], report: RosterReport) -> dict[str, StaffProfile]:
    """Duplicates, e-mail clashes, unknown managers and manager cycles; returns existing profiles."""
    first_row_of_id: dict[str, int] = {}
    first_row_of_email: dict[str, int] = {}
    for row in rows:
        if row.employee_id:
            if row.employee_id in first_row_of_id:
                report.error(
                    row.number,
                    "employee_id",
                    row.employee_id,
                    _("Duplicate employee ID (first on row %(row)d).")
                    % {"row": first_row_of_id[row.employee_id]},
                )
            else:
                first_row_of_id[row.employee_id] = row.number
        if row.email:
            if row.email in first_row_of_email:
                report.error(
                    row.number,
                    "email",
                    row.email,
                    _("Duplicate e-mail address (first on row %(row)d).")
                    % {"row": first_row_of_email[row.email]},
                )
            else:
                first_row_of_email[row.email] = row.number
    existing = _existing_profiles(list(first_row_of_id))
    owners = _users_by_email(list(first_row_of_email))
    for row in rows:
        owner = owners.get(row.email)
        if owner is None:
            continue
        user_id, owner_employee_id = owner
        profile = existing.get(row.employee_id)
        if profile is None or profile.user_id != user_id:
            report.error(
                row.number,
                "email",
                row.email,
                _("This e-mail address belongs to another person (employee %(id)s).")
                % {"id": owner_employee_id or _("without an employee ID")},
            )
    # Managers: in the file, or already in the database.
    in_file = {row.employee_id: row for row in rows if row.employee_id}
    wanted = sorted({r.manager_employee_id for r in rows if r.manager_employee_id} - set(in_file))
    known = set(_existing_profiles(wanted))
    for row in rows:
        manager = row.manager_employee_id
        if manager and manager not in in_file and manager not in known:
            report.error(
                row.number,
                "manager_employee_id",
                manager,
                _("No one with this employee ID is in the file or on the system."),
            )
    # Cycles: follow the manager chain of every person in the file (the file wins over the DB).
    db_manager_of = {
        employee_id: (profile.manager.employee_id if profile.manager else "")
        for employee_id, profile in existing.items()
    }

    def manager_of(employee_id: str) -> str:
        if employee_id in in_file:
            return in_file[employee_id].manager_employee_id
        return db_manager_of.get(employee_id, "")

    reported: set[str] = set()
    for row in rows:
        seen = [row.employee_id]
        node = manager_of(row.employee_id)
        while node and node not in seen and len(seen) < 10_000:
            seen.append(node)
            node = manager_of(node)
        if node and node == row.employee_id and row.employee_id not in reported:
            reported.update(seen)
            report.error(
                row.number,
                "manager_employee_id",
                row.manager_employee_id,
                _("Line managers form a cycle: %(chain)s.")
                % {"chain": " → ".join([*seen, row.employee_id])},
            )
    return existing


# --- writing -------------------------------------------------------------------------------------


def _username_for(email: str, taken: set[str]) -> str:
    base = email[:150]
    candidate, suffix = base, 1
    while candidate in taken:
        suffix += 1
        candidate = f"{base[: 150 - len(str(suffix)) - 1]}-{suffix}"
    taken.add(candidate)
    return candidate


def _named(model, names: set[str], report_list: list[str]) -> dict[str, object]:
    """Look up departments/job roles by name (case-insensitive), creating the new ones."""
    by_lower = {obj.name.lower(): obj for obj in model.objects.all()}
    new = sorted({name for name in names if name.lower() not in by_lower}, key=str.lower)
    seen: set[str] = set()
    to_create = []
    for name in new:
        if name.lower() not in seen:
            seen.add(name.lower())
            to_create.append(model(name=name))
    if to_create:
        model.objects.bulk_create(to_create)
        report_list.extend(obj.name for obj in to_create)
        by_lower = {obj.name.lower(): obj for obj in model.objects.all()}
    return by_lower


def _write(
    rows: list[RosterRow],
    existing: dict[str, StaffProfile],
    report: RosterReport,
    *,
    deactivate_missing: bool,
    progress: Progress | None,
) -> list[int]:
    """Write the checked rows (inside the caller's transaction); returns user ids to refresh."""
    departments = _named(Department, {r.department for r in rows}, report.departments_created)
    job_roles = _named(JobRole, {r.job_title for r in rows}, report.job_roles_created)
    now = timezone.now()
    refresh: set[int] = set()
    done = 0

    # New people: users then profiles, in batches, managers afterwards.
    new_rows = [row for row in rows if row.employee_id not in existing]
    for start in range(0, len(new_rows), BATCH):
        batch = new_rows[start : start + BATCH]
        taken = set(
            User.objects.filter(username__in=[r.email[:150] for r in batch]).values_list(
                "username", flat=True
            )
        )
        users = [
            User(
                username=_username_for(row.email, taken),
                email=row.email,
                first_name=row.first_name,
                last_name=row.last_name,
                password=make_password(None),
                is_active=row.status == StaffStatus.ACTIVE,
            )
            for row in batch
        ]
        User.objects.bulk_create(users, batch_size=BATCH)
        ids = dict(
            User.objects.filter(username__in=[u.username for u in users]).values_list(
                "username", "pk"
            )
        )
        profiles = [
            StaffProfile(
                user_id=ids[user.username],
                employee_id=row.employee_id,
                department=departments[row.department.lower()],
                job_role=job_roles[row.job_title.lower()],
                location=row.location,
                start_date=row.start_date,
                status=row.status,
                left_at=now if row.status == StaffStatus.LEAVER else None,
            )
            for row, user in zip(batch, users, strict=True)
        ]
        StaffProfile.objects.bulk_create(profiles, batch_size=BATCH)
        refresh.update(ids[u.username] for u, r in zip(users, batch, strict=True))
        report.created += len(batch)
        report.leavers += sum(1 for r in batch if r.status == StaffStatus.LEAVER)
        done += len(batch)
        if progress:
            progress(done, len(rows))

    # Everyone's profile id by employee id (new ones included) for the manager links.
    profile_ids: dict[str, int] = {}
    employee_ids = sorted(
        {r.employee_id for r in rows} | {r.manager_employee_id for r in rows} - {""}
    )
    for start in range(0, len(employee_ids), BATCH):
        batch_ids = employee_ids[start : start + BATCH]
        profile_ids.update(
            StaffProfile.objects.filter(employee_id__in=batch_ids).values_list("employee_id", "pk")
        )
    new_with_manager = [
        StaffProfile(pk=profile_ids[r.employee_id], manager_id=profile_ids[r.manager_employee_id])
        for r in new_rows
        if r.manager_employee_id
    ]
    StaffProfile.objects.bulk_update(new_with_manager, ["manager"], batch_size=BATCH)

    # Existing people: only rows that differ are written.
    changed_users, changed_profiles, leaving, returning = [], [], [], []
    for row in rows:
        profile = existing.get(row.employee_id)
        if profile is None:
            continue
        user = profile.user
        user_changed = False
        for attr in ("first_name", "last_name", "email"):
            if getattr(user, attr) != getattr(row, attr):
                setattr(user, attr, getattr(row, attr))
                user_changed = True
        department = departments[row.department.lower()]
        job_role = job_roles[row.job_title.lower()]
        manager_id = profile_ids[row.manager_employee_id] if row.manager_employee_id else None
        moved = profile.department_id != department.pk or profile.job_role_id != job_role.pk
        profile_changed = moved or (
            profile.manager_id != manager_id
            or profile.location != row.location
            or (row.start_date is not None and profile.start_date != row.start_date)
        )
        if profile_changed:
            profile.department, profile.job_role = department, job_role
            profile.manager_id, profile.location = manager_id, row.location
            if row.start_date is not None:
                profile.start_date = row.start_date
            profile.updated_at = now
            changed_profiles.append(profile)
        if moved:
            refresh.add(profile.user_id)
        if row.status != profile.status:
            (leaving if row.status == StaffStatus.LEAVER else returning).append(profile)
            refresh.add(profile.user_id)
        if user_changed:
            changed_users.append(user)
        if user_changed or profile_changed or row.status != profile.status:
            report.updated += 1
        else:
            report.unchanged += 1
    User.objects.bulk_update(changed_users, ["first_name", "last_name", "email"], batch_size=BATCH)
    StaffProfile.objects.bulk_update(
        changed_profiles,
        ["department", "job_role", "manager", "location", "start_date", "updated_at"],
        batch_size=BATCH,
    )
    for profile in leaving:
        staff_mark_leaver(profile=profile)
    for profile in returning:
        staff_reinstate(profile=profile)
    report.leavers += len(leaving)
    report.reinstated = len(returning)
    if progress:
        progress(len(rows), len(rows))

    if deactivate_missing:
        in_file = {r.employee_id for r in rows}
        missing = StaffProfile.objects.filter(status=StaffStatus.ACTIVE).exclude(
            employee_id__in=in_file
        )
        for profile in missing.select_related("user"):
            staff_mark_leaver(profile=profile)
            refresh.add(profile.user_id)
            report.deactivated_missing += 1
    return sorted(refresh)


def roster_import(
    *,
    data: bytes,
    dry_run: bool = False,
    deactivate_missing: bool = False,
    actor=None,
    progress: Progress | None = None,
) -> RosterReport:
    """Import a roster file (CSV or XLSX bytes); returns the report.

    With any error nothing is written (``report.ok`` is False, ``report.errors`` lists them row
    by row). With ``dry_run`` the changes are worked out and rolled back, so the report says
    what an import would do. Changes of department or job role (and joiners, leavers) re-run
    the assignment rules for those people.
    """
    from .services import assignments_refresh_for_people

    report = RosterReport(dry_run=dry_run)
    rows = roster_read(data=data, report=report)
    existing = _check(rows, report)
    if not report.ok:
        return report

    class _DryRun(Exception):
        pass

    try:
        with transaction.atomic():
            refresh = _write(
                rows, existing, report, deactivate_missing=deactivate_missing, progress=progress
            )
            assignments_refresh_for_people(user_ids=refresh)
            if dry_run:
                raise _DryRun
            audit_record(
                action="roster.imported",
                actor=actor,
                created=report.created,
                updated=report.updated,
                leavers=report.leavers,
                deactivated_missing=report.deactivated_missing,
            )
    except _DryRun:
        return report
    report.written = True
    return report


def roster_preview(*, data: bytes, deactivate_missing: bool = False) -> RosterReport:
    """What importing this file would do, without writing anything (a dry run)."""
    return roster_import(data=data, dry_run=True, deactivate_missing=deactivate_missing)


# --- the admin's uploads (RosterImport), run by Celery tasks ------------------------------------


def _progress_key(import_id: int) -> str:
    return f"roster-import-progress:{import_id}"


def roster_progress(*, roster_import_id: int) -> int | None:
    """Rows processed so far by a running import (kept in the cache while it runs)."""
    from django.core.cache import cache

    return cache.get(_progress_key(roster_import_id))


def roster_upload_create(*, upload, deactivate_missing: bool, actor) -> RosterImport:
    """Store an uploaded roster and queue its check (the preview). Raises ValidationError."""
    from lms.models import RosterImport
    from lms.outbox import outbox_enqueue

    data, kind = validate_upload(upload, allowed={"csv", "xlsx"})
    with transaction.atomic():
        record = RosterImport(
            original_name=getattr(upload, "name", "roster")[:255],
            kind=kind,
            deactivate_missing=deactivate_missing,
            created_by=actor,
        )
        record.file.save(f"roster.{kind}", ContentFile(data), save=False)
        record.save()
        outbox_enqueue(
            "lms.tasks.roster_check",
            dedupe_key=f"roster-check:{record.pk}",
            roster_import_id=record.pk,
        )
    return record


def roster_upload_check(*, roster_import_id: int) -> None:
    """The preview: a dry run of the stored file; READY or INVALID with the report."""
    from lms.models import RosterImport, RosterImportStatus

    record = RosterImport.objects.get(pk=roster_import_id)
    if record.status != RosterImportStatus.VALIDATING:
        return
    with record.file.open("rb") as handle:
        data = handle.read()
    report = roster_preview(data=data, deactivate_missing=record.deactivate_missing)
    RosterImport.objects.filter(pk=record.pk, status=RosterImportStatus.VALIDATING).update(
        status=RosterImportStatus.READY if report.ok else RosterImportStatus.INVALID,
        total_rows=report.total_rows,
        report=report.as_dict(),
    )


def roster_upload_confirm(*, roster_import: RosterImport, actor) -> bool:
    """Queue the import of a checked upload; False when it is not ready (or already queued)."""
    from lms.models import RosterImport, RosterImportStatus
    from lms.outbox import outbox_enqueue

    with transaction.atomic():
        updated = RosterImport.objects.filter(
            pk=roster_import.pk, status=RosterImportStatus.READY
        ).update(status=RosterImportStatus.IMPORTING, started_at=timezone.now(), processed_rows=0)
        if updated:
            outbox_enqueue(
                "lms.tasks.roster_run",
                dedupe_key=f"roster-run:{roster_import.pk}",
                roster_import_id=roster_import.pk,
            )
    return bool(updated)


def roster_upload_run(*, roster_import_id: int) -> None:
    """Import a confirmed upload (idempotent: a finished import is not run again)."""
    from django.core.cache import cache

    from lms.models import RosterImport, RosterImportStatus

    record = RosterImport.objects.select_related("created_by").get(pk=roster_import_id)
    if record.status != RosterImportStatus.IMPORTING:
        return
    with record.file.open("rb") as handle:
        data = handle.read()

    def progress(done: int, total: int) -> None:
        cache.set(_progress_key(record.pk), done, timeout=3600)

    report = roster_import(
        data=data,
        deactivate_missing=record.deactivate_missing,
        actor=record.created_by,
        progress=progress,
    )
    RosterImport.objects.filter(pk=record.pk).update(
        status=RosterImportStatus.DONE if report.written else RosterImportStatus.FAILED,
        processed_rows=report.total_rows if report.written else 0,
        total_rows=report.total_rows,
        report=report.as_dict(),
        finished_at=timezone.now(),
    )
    cache.delete(_progress_key(record.pk))
