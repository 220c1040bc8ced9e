"""Reminder e-mails: due soon, overdue, the weekly line-manager digest, and "due date moved".

One e-mail of each kind per person per day, delivered exactly once even if a worker is killed
mid-run (the tasks are ``acks_late`` + ``reject_on_worker_lost``, so a killed run is run again).
People are taken ``REMINDER_BATCH`` at a time:

1. **Claim** the batch. The ``ReminderLog`` rows of its e-mails (one for each e-mail, one per
   assignment an e-mail covers) are written in one transaction, which commits before anything
   is sent. The unique constraints let only one run claim a person's e-mail of a kind for a day;
   people claimed already (by an earlier or a concurrent run) are left out of the batch.
2. **Send and mark** the batch over one mail connection, one e-mail at a time, each marked
   sent (``sent_at`` on the claim's rows, committed) before the next one goes out. Marking a
   whole batch at once would save round trips, but a worker killed mid-batch would then leave
   every e-mail it had sent unmarked, and all of them would go out again. A concurrent run must
   not send a claim that is being sent: on PostgreSQL the run holds an advisory lock on each
   claim of the batch from before its send until after its mark (``_batch_locks``: one query
   per batch, so the mark is the only statement per e-mail, and the locks die with a killed
   worker's session); elsewhere each e-mail is locked, sent and marked in its own transaction.
   On PostgreSQL the marks' commits do not wait for the disk flush (see
   ``_marks_without_flush_wait``): that wait, not the SQL, was most of the run.
3. **Resume.** Each run first sends today's claims of its kind whose ``sent_at`` is still
   empty (a worker died between claim and mark, or the mail server refused the message), then
   claims new ones. Claims with ``sent_at`` set are never sent again.

Residual windows, each of which can only repeat an e-mail, never lose one (we prefer a
duplicate reminder to a missing one):

- a worker killed after the mail server accepted a message but before that message's mark
  committed: the next run sends that one reminder a second time;
- the PostgreSQL server itself crashing (not the worker: a killed worker loses nothing that
  committed) within a fraction of a second of some marks: those few are sent again.

People are processed in ascending user id, so a run is deterministic (and a test can stop it
half-way). Building the e-mails reads a fixed number of queries per batch, whatever its size
(the course titles and URLs once per run); the mark above is the only statement per e-mail.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.models import (
    Assignment,
    AssignmentStatus,
    ReminderKind,
    ReminderLog,
    StaffStatus,
)
from lms.sql import insert_columns

from .filters import COMPLETED_Q

logger = logging.getLogger(__name__)

# People claimed, then e-mailed over one mail connection, at a time.
REMINDER_BATCH = 500
# Claim rows written by one INSERT at most.
CLAIM_ROWS_PER_INSERT = 5000
# The namespace (first key) of the PostgreSQL advisory locks on reminder claims ("REM").
CLAIM_LOCK_NAMESPACE = 0x52454D
# The values of an open assignment an e-mail needs (rows are named tuples with these fields).
ROW_FIELDS = ("pk", "user_id", "user__email", "course_id", "due_date", "required")


def municipality_settings():
    """The site settings of the default site (reminder lead days, cadence, digest weekday)."""
    from wagtail.models import Site

    from cms.models import MunicipalitySettings

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return MunicipalitySettings.load()
    return MunicipalitySettings.for_site(site)


def absolute_url(path: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _open_assignments():
    """Active, not completed assignments of people who can still sign in."""
    return (
        Assignment.objects.filter(
            status=AssignmentStatus.ACTIVE,
            user__is_active=True,
            user__profile__status=StaffStatus.ACTIVE,
        )
        .exclude(COMPLETED_Q)
        .order_by("user_id", "due_date", "pk")
    )


def reminder_claim(
    *, user_id: int, kind: str, assignment_ids: list[int], date: dt.date
) -> int | None:
    """Claim the e-mail of ``kind`` for a person today; returns the claim's id, or None.

    None means a claim of this kind exists for the person today already (sent, or pending and
    resumed by ``_resume``). Commits in its own transaction (callers must not be inside one), so
    the claim survives a crash between here and the send.
    """
    try:
        with transaction.atomic():
            claim = ReminderLog.objects.create(
                user_id=user_id, kind=kind, assignment=None, date=date
            )
            ReminderLog.objects.bulk_create(
                [
                    ReminderLog(user_id=user_id, kind=kind, assignment_id=pk, date=date)
                    for pk in assignment_ids
                ],
                ignore_conflicts=True,
            )
    except IntegrityError:
        return None
    return claim.pk


def _claim_batch(*, kind: str, date: dt.date, people: dict[int, list[int]]) -> dict[int, int]:
    """Claim the e-mails of ``kind`` today for ``people`` {user id: assignment ids} at once.

    Returns {user id: claim id} of the claims made here; people with a claim of this kind today
    already are left out, as ``reminder_claim`` would. One transaction, committed before any
    e-mail goes (callers must not be inside one). Should a concurrent run claim one of these
    people between the read and the insert, the insert fails as a whole and the batch is
    claimed person by person instead, so each e-mail still belongs to exactly one run.
    """
    if not people:
        return {}
    emails = ReminderLog.objects.filter(kind=kind, date=date, assignment__isnull=True)
    try:
        with transaction.atomic():
            taken = set(emails.filter(user_id__in=list(people)).values_list("user_id", flat=True))
            fresh = [user_id for user_id in people if user_id not in taken]
            if not fresh:
                return {}
            _claim_rows_insert(kind=kind, date=date, user_ids=fresh)
            claims = dict(emails.filter(user_id__in=fresh).values_list("user_id", "pk"))
            assignment_ids = [pk for user_id in fresh for pk in people[user_id]]
            if assignment_ids:
                _claim_rows_insert(kind=kind, date=date, assignment_ids=assignment_ids)
    except IntegrityError:
        claims = {}
        for user_id, assignment_ids in people.items():
            claim_id = reminder_claim(
                user_id=user_id, kind=kind, assignment_ids=assignment_ids, date=date
            )
            if claim_id is not None:
                claims[user_id] = claim_id
    return claims


def _claim_rows_insert(
    *,
    kind: str,
    date: dt.date,
    user_ids: list[int] | None = None,
    assignment_ids: list[int] | None = None,
) -> None:
    """INSERT … SELECT the ``ReminderLog`` rows of claims: the e-mail rows of ``user_ids``, or
    the rows of ``assignment_ids`` (each with its person's id).

    The database builds the rows, some 90,000 on a day with 20,000 e-mails, which cost seconds
    as model instances. A row that exists already is a unique violation: the caller's claim
    transaction fails as a whole and it claims person by person instead. Columns not set here
    get their model default, as ``ReminderLog()`` would.
    """
    meta, qn = ReminderLog._meta, connection.ops.quote_name
    if assignment_ids is not None:
        source, ids = Assignment._meta, assignment_ids
        from_source = {"user": source.get_field("user").column, "assignment": source.pk.column}
    else:
        source, ids = get_user_model()._meta, user_ids
        from_source = {"user": source.pk.column}
    columns, select, params = insert_columns(
        ReminderLog,
        from_source={name: f"s.{qn(column)}" for name, column in from_source.items()},
        values={"kind": kind, "date": date, "created_at": timezone.now()},
    )
    # Only table and column names of the models, quoted, are interpolated; values are params.
    insert = " ".join(
        [
            connection.ops.insert_statement(),
            f"{qn(meta.db_table)} ({', '.join(columns)}) SELECT {', '.join(select)}",  # noqa: S608
            f"FROM {qn(source.db_table)} s WHERE s.{qn(source.pk.column)} IN",
        ]
    )
    with connection.cursor() as cursor:
        # In slices, so that no statement passes SQLite's limit on parameters.
        for start in range(0, len(ids), CLAIM_ROWS_PER_INSERT):
            chunk = ids[start : start + CLAIM_ROWS_PER_INSERT]
            cursor.execute(f"{insert} ({', '.join(['%s'] * len(chunk))})", [*params, *chunk])


def _message(*, user, subject: str, template: str, context: dict, mail) -> EmailMultiAlternatives:
    context = {
        "user": user,
        "site_name": settings.SITE_NAME,
        "my_learning_url": absolute_url("/my-learning/"),
        **context,
    }
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"lms/emails/{template}.txt", context),
        to=[user.email],
        connection=mail,
    )
    message.attach_alternative(
        render_to_string(f"lms/emails/{template}.html", context), "text/html"
    )
    return message


@dataclass(frozen=True)
class _Email:
    """One claimed e-mail of a batch, rendered and ready to go."""

    claim_id: int
    user_id: int
    message: EmailMultiAlternatives


def _send(*, message: EmailMultiAlternatives, template: str, user_id: int) -> bool:
    try:
        message.send()
    except Exception:  # one bad address or a mail hiccup must not stop everyone else's reminders
        logger.exception("reminder_send_failed kind=%s user=%s", template, user_id)
        _reopen(message.connection)
        return False
    return True


def _reopen(mail) -> None:
    """After a failed send, start a new mail session for the rest of the batch."""
    try:
        mail.close()
        mail.open()
    except Exception:  # the next send tries to connect again, and logs if it cannot
        logger.warning("reminder_mail_reconnect_failed", exc_info=True)


def _mark(*, user_id: int, kind: str, date: dt.date) -> None:
    """Mark a claim sent: ``sent_at`` on its rows (the e-mail's and its assignments')."""
    sql, fields = _mark_statement(connection.vendor)
    values = (timezone.now(), user_id, kind, date)
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [
                field.get_db_prep_save(value, connection)
                for field, value in zip(fields, values, strict=True)
            ],
        )


@functools.cache
def _mark_statement(vendor: str) -> tuple[str, tuple]:
    """The UPDATE of ``_mark`` and the fields of its parameters, built once per database kind.

    Written as SQL because it runs once per e-mail: building the same UPDATE through the ORM
    took several times as long as the database needed to run it.
    """
    meta, qn = ReminderLog._meta, connection.ops.quote_name
    fields = tuple(meta.get_field(name) for name in ("sent_at", "user", "kind", "date"))
    sent_at, user, kind, date = (qn(field.column) for field in fields)
    sql = (
        f"UPDATE {qn(meta.db_table)} SET {sent_at} = %s "  # noqa: S608 (quoted model names)
        f"WHERE {user} = %s AND {kind} = %s AND {date} = %s"
    )
    return sql, fields


def _deliver(*, email: _Email, kind: str, date: dt.date, template: str) -> bool:
    """Send the e-mail of a claim unless it went already, then mark it, in one transaction.

    Used where ``_batch_locks`` has no locks to offer (SQLite, which lets one writer at a time
    anyway): the claim row stays locked while sending, so two runs never send the same claim
    at once; a failed send leaves ``sent_at`` empty for the next run to retry.
    """
    with transaction.atomic():
        unsent = (
            ReminderLog.objects.select_for_update(skip_locked=True)
            .filter(pk=email.claim_id, sent_at__isnull=True)
            .values_list("pk", flat=True)
            .first()
        )
        if unsent is None:
            return False
        if not _send(message=email.message, template=template, user_id=email.user_id):
            return False
        _mark(user_id=email.user_id, kind=kind, date=date)
    return True


@contextmanager
def _marks_without_flush_wait() -> Iterator[None]:
    """On PostgreSQL, let the commits of this block return before their WAL is flushed to disk.

    Each e-mail's mark must commit before the next e-mail goes, and waiting for the disk on every
    one of those commits (a few ms each) cost more than everything else in a reminder run. A
    commit that returned is visible to every session and survives the worker being killed at
    once; only a crash of the database server within a fraction of a second (3 ×
    ``wal_writer_delay``) can lose the last few, and then those e-mails go out again: a
    duplicate, never a missing reminder. Inside an outer transaction nothing commits per e-mail,
    so the setting is left alone.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")
        except DatabaseError:  # a broken connection is closed and replaced by Django anyway
            logger.warning("reminder_reset_synchronous_commit_failed", exc_info=True)


@contextmanager
def _batch_locks(claim_ids: list[int]) -> Iterator[set[int] | None]:
    """The claims of a batch this run may send: taken for the batch, released after it.

    On PostgreSQL, a session-level advisory lock per claim, all taken in one query (claims a
    concurrent run holds are skipped: it is sending them), then one read of which of them are
    still unsent. That read comes after the locks, so a claim another run sent, marked and
    released is seen as sent. Unlike a row lock, an advisory lock outlives the commit of each
    e-mail's mark, so the batch needs no statement per e-mail besides the mark; and it ends with
    the session, so a killed worker's claims are free for the next run at once.

    Elsewhere yields None: each e-mail is then checked and marked in its own transaction.
    """
    if connection.vendor != "postgresql":
        yield None
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT x.id FROM unnest(%s::bigint[]) AS x(id) "
            "WHERE pg_try_advisory_lock(%s, (x.id %% 2147483647)::int)",
            [claim_ids, CLAIM_LOCK_NAMESPACE],
        )
        locked = [claim_id for (claim_id,) in cursor.fetchall()]
    try:
        yield set(
            ReminderLog.objects.filter(pk__in=locked, sent_at__isnull=True).values_list(
                "pk", flat=True
            )
        )
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_advisory_unlock(%s, (x.id %% 2147483647)::int) "
                    "FROM unnest(%s::bigint[]) AS x(id)",
                    [CLAIM_LOCK_NAMESPACE, locked],
                )
        except DatabaseError:  # the locks end with the session
            logger.warning("reminder_unlock_failed", exc_info=True)


def _deliver_batch(emails: list[_Email], *, kind: str, date: dt.date, mail, template: str) -> int:
    """Send a batch of claimed e-mails over the one mail connection ``mail``; returns how many
    went. Each e-mail's mark commits before the next one is sent (see the module docstring)."""
    if not emails:
        return 0
    sent = 0
    with (
        _marks_without_flush_wait(),
        _batch_locks([email.claim_id for email in emails]) as sendable,
    ):
        try:
            mail.open()
        except Exception:  # each send tries to connect again, and logs if it cannot
            logger.warning("reminder_mail_connect_failed", exc_info=True)
        try:
            for email in emails:
                if sendable is None:
                    sent += _deliver(email=email, kind=kind, date=date, template=template)
                elif email.claim_id in sendable and _send(
                    message=email.message, template=template, user_id=email.user_id
                ):
                    # No transaction is open here, so the mark commits (one round trip) before
                    # the next e-mail goes out.
                    _mark(user_id=email.user_id, kind=kind, date=date)
                    sent += 1
        finally:
            mail.close()
    return sent


def _pending_claims(*, kind: str, date: dt.date) -> dict[int, int]:
    """Today's unsent claims of ``kind``: {user id: claim id}, in user id order."""
    rows = (
        ReminderLog.objects.filter(
            kind=kind, date=date, assignment__isnull=True, sent_at__isnull=True
        )
        .order_by("user_id")
        .values_list("user_id", "pk")
    )
    return dict(rows)


def _rows(queryset, *extra: str) -> list:
    """The values an e-mail needs of each assignment (named tuples), in one query."""
    return list(queryset.values_list(*ROW_FIELDS, *extra, named=True))


def _by_user(rows) -> dict[int, list]:
    """Rows grouped by person, in user id order; people without an e-mail address left out."""
    grouped: dict[int, list] = defaultdict(list)
    for row in rows:
        if row.user__email:
            grouped[row.user_id].append(row)
    return grouped


def _course_links(rows) -> dict[int, tuple[str, str]]:
    """{course id: (title, absolute URL)} of the courses in ``rows``: one query per run, so
    building an e-mail reads nothing (a page URL goes through the site-root cache each time)."""
    course_model = Assignment._meta.get_field("course").related_model
    courses = course_model.objects.filter(pk__in={row.course_id for row in rows})
    return {course.pk: (course.title, absolute_url(course.url or "/")) for course in courses}


def _items(rows, courses: dict[int, tuple[str, str]]) -> list[dict]:
    return [
        {
            "course": courses[row.course_id][0],
            "url": courses[row.course_id][1],
            "due_date": row.due_date,
            "required": row.required,
        }
        for row in rows
    ]


def _batches(user_ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(user_ids), REMINDER_BATCH):
        yield user_ids[start : start + REMINDER_BATCH]


def _email_people(
    *,
    by_user: dict[int, list],
    claims_for,
    kind: str,
    date: dt.date,
    subject: str,
    template: str,
    extra: dict,
) -> int:
    """E-mail each person in ``by_user`` their items, batch by batch; returns how many went.

    ``claims_for(batch)`` returns {user id: claim id} of the people of a batch to send
    to (new claims, or today's pending ones when resuming).
    """
    if not by_user:
        return 0
    courses = _course_links([row for rows in by_user.values() for row in rows])
    sent = 0
    for batch in _batches(list(by_user)):
        claims = claims_for(batch)
        if not claims:
            continue
        users = get_user_model().objects.in_bulk(list(claims))
        mail = get_connection()
        emails = [
            _Email(
                claim_id=claims[user_id],
                user_id=user_id,
                message=_message(
                    user=users[user_id],
                    subject=subject,
                    template=template,
                    context={"items": _items(by_user[user_id], courses), **extra},
                    mail=mail,
                ),
            )
            for user_id in batch
            if user_id in claims
        ]
        sent += _deliver_batch(emails, kind=kind, date=date, mail=mail, template=template)
    return sent


def _claim_and_email(
    *, rows, kind: str, date: dt.date, subject: str, template: str, extra: dict
) -> int:
    """Claim the e-mail of ``kind`` today for each person in ``rows``, then send them."""
    by_user = _by_user(rows)
    return _email_people(
        by_user=by_user,
        claims_for=lambda batch: _claim_batch(
            kind=kind,
            date=date,
            people={user_id: [row.pk for row in by_user[user_id]] for user_id in batch},
        ),
        kind=kind,
        date=date,
        subject=subject,
        template=template,
        extra=extra,
    )


def _resume(*, kind: str, date: dt.date, subject: str, template: str, extra: dict) -> int:
    """Send again today's interrupted claims of ``kind`` (about the assignments they cover).

    Assignments completed or withdrawn since the claim are left out; a claim with nothing left
    to say is not sent.
    """
    pending = _pending_claims(kind=kind, date=date)
    if not pending:
        return 0
    # The assignment rows of a claim are marked together with it, so unsent ones are pending.
    claimed = ReminderLog.objects.filter(
        assignment=OuterRef("pk"), kind=kind, date=date, sent_at__isnull=True
    )
    rows = _rows(_open_assignments().filter(Exists(claimed)))
    return _email_people(
        by_user=_by_user([row for row in rows if row.user_id in pending]),
        claims_for=lambda batch: {user_id: pending[user_id] for user_id in batch},
        kind=kind,
        date=date,
        subject=subject,
        template=template,
        extra=extra,
    )


def _handled(*, kind: str, today: dt.date, since: dt.date | None = None) -> Exists:
    """An assignment already reminded of (sent), or claimed today (resumed by ``_resume``)."""
    logs = ReminderLog.objects.filter(assignment=OuterRef("pk"), kind=kind).filter(
        Q(sent_at__isnull=False) | Q(date=today)
    )
    if since is not None:
        logs = logs.filter(date__gt=since)
    return Exists(logs)


def reminders_send_upcoming(*, today: dt.date | None = None) -> int:
    """E-mail people whose training falls due within the lead days (once per assignment)."""
    today = today or timezone.localdate()
    kind, subject, template = ReminderKind.UPCOMING, _("Training due soon"), "reminder_upcoming"
    sent = _resume(kind=kind, date=today, subject=subject, template=template, extra={})
    lead = municipality_settings().reminder_days_before_due
    rows = (
        _open_assignments()
        .filter(due_date__gte=today, due_date__lte=today + dt.timedelta(days=lead))
        .exclude(_handled(kind=kind, today=today))
    )
    return sent + _claim_and_email(
        rows=_rows(rows), kind=kind, date=today, subject=subject, template=template, extra={}
    )


def reminders_send_overdue(*, today: dt.date | None = None) -> int:
    """E-mail people with overdue training, every N days while it stays overdue."""
    today = today or timezone.localdate()
    kind, subject, template = ReminderKind.OVERDUE, _("Training overdue"), "reminder_overdue"
    extra = {"today": today}
    sent = _resume(kind=kind, date=today, subject=subject, template=template, extra=extra)
    every = max(1, municipality_settings().overdue_reminder_every_days)
    rows = (
        _open_assignments()
        .filter(due_date__lt=today)
        .exclude(_handled(kind=kind, today=today, since=today - dt.timedelta(days=every)))
    )
    return sent + _claim_and_email(
        rows=_rows(rows), kind=kind, date=today, subject=subject, template=template, extra=extra
    )


def manager_digest_send(*, today: dt.date | None = None, force: bool = False) -> int:
    """E-mail each line manager the overdue training of their direct reports.

    Runs daily and sends only on the weekday chosen in the site settings (unless ``force``).
    A manager's digest claimed earlier today but never marked sent is sent again.
    """
    today = today or timezone.localdate()
    if not force and today.weekday() != municipality_settings().manager_digest_weekday:
        return 0
    kind = ReminderKind.MANAGER_DIGEST
    rows = _rows(
        _open_assignments().filter(
            due_date__lt=today,
            user__profile__manager__isnull=False,
            user__profile__manager__status=StaffStatus.ACTIVE,
            user__profile__manager__user__is_active=True,
        ),
        "user__profile__manager__user_id",
        "user__profile__manager__user__email",
    )
    by_manager: dict[int, list] = defaultdict(list)
    for row in rows:
        if row.user__profile__manager__user__email:
            by_manager[row.user__profile__manager__user_id].append(row)
    if not by_manager:
        return 0
    pending = _pending_claims(kind=kind, date=today)
    courses = _course_links(rows)
    user_model = get_user_model()
    sent = 0
    for batch in _batches(sorted(by_manager)):
        claims = {manager_id: pending[manager_id] for manager_id in batch if manager_id in pending}
        claims |= _claim_batch(
            kind=kind,
            date=today,
            people={manager_id: [] for manager_id in batch if manager_id not in pending},
        )
        reports = {row.user_id for manager_id in claims for row in by_manager[manager_id]}
        users = user_model.objects.in_bulk([*claims, *reports])
        mail = get_connection()
        emails = []
        for manager_id in batch:
            if manager_id not in claims:
                continue
            people: dict[int, dict] = {}
            for row in by_manager[manager_id]:
                report = users[row.user_id]
                person = people.setdefault(
                    row.user_id, {"name": report.get_full_name() or report.get_username()}
                )
                person.setdefault("items", []).extend(_items([row], courses))
            message = _message(
                user=users[manager_id],
                subject=_("Your team's overdue training"),
                template="manager_digest",
                context={
                    "people": sorted(people.values(), key=lambda p: p["name"]),
                    "my_team_url": absolute_url("/my-team/"),
                    "today": today,
                },
                mail=mail,
            )
            emails.append(_Email(claim_id=claims[manager_id], user_id=manager_id, message=message))
        sent += _deliver_batch(emails, kind=kind, date=today, mail=mail, template="manager_digest")
    return sent


def due_date_moved_send(*, rule_id: int, user_ids: list[int], today: dt.date | None = None) -> int:
    """Tell each person once that the due date of their training from a rule has moved."""
    today = today or timezone.localdate()
    kind = ReminderKind.DUE_DATE_MOVED
    subject, template = _("The due date of your training has changed"), "due_date_moved"
    sent = _resume(kind=kind, date=today, subject=subject, template=template, extra={})
    rows = _open_assignments().filter(rule_id=rule_id, user_id__in=user_ids)
    return sent + _claim_and_email(
        rows=_rows(rows), kind=kind, date=today, subject=subject, template=template, extra={}
    )


def reminders_run(*, today: dt.date | None = None) -> dict:
    """The daily reminder run: "due soon" then "overdue" e-mails; returns how many were sent.

    Safe to run twice a day or after a crash: each e-mail is claimed in ``ReminderLog`` first,
    interrupted claims are sent again, sent ones never.
    """
    today = today or timezone.localdate()
    return {
        "upcoming": reminders_send_upcoming(today=today),
        "overdue": reminders_send_overdue(today=today),
    }
