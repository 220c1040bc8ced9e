"""Reminder e-mails: due soon, overdue cadence, manager digest, once a day, never to leavers."""

import datetime as dt

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends import locmem
from django.utils import timezone

from lms.hr.reminders import manager_digest_send, reminder_claim, reminders_run
from lms.hr.services import assignments_create
from lms.models import ReminderLog
from lms.roles import Role
from lms.services import staff_mark_leaver
from lms.tasks import reminders_daily
from tests.factories import make_staff
from tests.lms.factories import make_course

pytestmark = pytest.mark.django_db


def _assign(profile, course, days):
    assignments_create(
        users=[profile.user], course=course, due_date=timezone.localdate() + dt.timedelta(days=days)
    )


def test_upcoming_and_overdue_once_per_day_even_when_run_twice():
    soon, late = make_course("Soon course"), make_course("Late course")
    person = make_staff()
    _assign(person, soon, 2)
    _assign(person, late, -4)
    mail.outbox.clear()
    assert reminders_daily.apply().get() == {"upcoming": 1, "overdue": 1}
    assert reminders_run() == {"upcoming": 0, "overdue": 0}
    assert len(mail.outbox) == 2
    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects == ["Training due soon", "Training overdue"]
    html = mail.outbox[0].alternatives[0][0]
    assert (
        "http" in html
        and "/soon-course/" in (mail.outbox[0].body + html)
        or "/late-course/" in html
    )


def test_sent_claim_is_never_sent_again():
    course = make_course("Late course")
    person = make_staff()
    _assign(person, course, -1)
    today = timezone.localdate()
    claim_id = reminder_claim(
        user_id=person.user.pk,
        kind="overdue",
        assignment_ids=list(person.user.assignments.values_list("pk", flat=True)),
        date=today,
    )
    ReminderLog.objects.filter(pk=claim_id).update(sent_at=timezone.now())
    mail.outbox.clear()
    assert reminders_run()["overdue"] == 0
    assert reminders_run()["overdue"] == 0
    assert mail.outbox == []


def test_claimed_but_unsent_reminder_is_sent_exactly_once_on_rerun():
    soon, late = make_course("Soon course"), make_course("Late course")
    person = make_staff()
    _assign(person, soon, 2)
    _assign(person, late, -3)
    today = timezone.localdate()
    # An earlier run claimed both e-mails, then its worker was killed before sending.
    for kind, course in (("upcoming", soon), ("overdue", late)):
        reminder_claim(
            user_id=person.user.pk,
            kind=kind,
            assignment_ids=list(
                person.user.assignments.filter(course=course).values_list("pk", flat=True)
            ),
            date=today,
        )
    mail.outbox.clear()
    assert reminders_run() == {"upcoming": 1, "overdue": 1}
    assert reminders_run() == {"upcoming": 0, "overdue": 0}
    assert sorted(m.subject for m in mail.outbox) == ["Training due soon", "Training overdue"]
    assert "Soon course" in next(m.body for m in mail.outbox if m.subject.endswith("soon"))
    assert not ReminderLog.objects.filter(sent_at__isnull=True).exists()


class WorkerKilled(BaseException):
    """Stands for SIGKILL: not an Exception, so nothing in the run catches it."""


def test_run_killed_midway_then_rerun_sends_everyone_exactly_once(monkeypatch):
    course = make_course("Late course")
    people = sorted((make_staff() for _ in range(3)), key=lambda p: p.user.pk)
    for person in people:
        _assign(person, course, -2)
    original_send = EmailMultiAlternatives.send
    victim = people[1].user.email

    def killed_before_second_send(message, *args, **kwargs):
        if message.to == [victim]:
            raise WorkerKilled
        return original_send(message, *args, **kwargs)

    mail.outbox.clear()
    monkeypatch.setattr(EmailMultiAlternatives, "send", killed_before_second_send)
    with pytest.raises(WorkerKilled):
        reminders_run()
    # The batch was claimed at once; the first person got theirs (and it is marked sent), the
    # second and third are claimed but not sent.
    assert [m.to for m in mail.outbox] == [[people[0].user.email]]
    claims = ReminderLog.objects.filter(kind="overdue", assignment__isnull=True)
    assert {(c.user_id, c.sent_at is not None) for c in claims} == {
        (people[0].user.pk, True),
        (people[1].user.pk, False),
        (people[2].user.pk, False),
    }
    monkeypatch.setattr(EmailMultiAlternatives, "send", original_send)
    assert reminders_run()["overdue"] == 2
    assert reminders_run()["overdue"] == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.user.email for p in people)


def test_failed_send_is_retried_by_the_next_run(monkeypatch):
    course = make_course("Late course")
    person = make_staff()
    _assign(person, course, -2)

    def refused(message, *args, **kwargs):
        raise OSError("mail server down")

    mail.outbox.clear()
    with monkeypatch.context() as patch:
        patch.setattr(EmailMultiAlternatives, "send", refused)
        assert reminders_run()["overdue"] == 0
    assert reminders_run()["overdue"] == 1
    assert reminders_run()["overdue"] == 0
    assert len(mail.outbox) == 1


def test_unsent_claim_of_an_earlier_day_does_not_block_today():
    course = make_course("Soon course")
    person = make_staff()
    _assign(person, course, 2)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    reminder_claim(
        user_id=person.user.pk,
        kind="upcoming",
        assignment_ids=list(person.user.assignments.values_list("pk", flat=True)),
        date=yesterday,
    )
    mail.outbox.clear()
    assert reminders_run()["upcoming"] == 1
    assert len(mail.outbox) == 1


def test_overdue_cadence_follows_settings():
    course = make_course("Late course")
    person = make_staff()
    _assign(person, course, -10)
    today = timezone.localdate()
    assert reminders_run(today=today)["overdue"] == 1
    assert reminders_run(today=today + dt.timedelta(days=1))["overdue"] == 0
    from lms.hr.reminders import municipality_settings

    every = municipality_settings().overdue_reminder_every_days
    assert reminders_run(today=today + dt.timedelta(days=every))["overdue"] == 1


def test_leavers_get_no_reminders():
    course = make_course("Late course")
    person = make_staff()
    _assign(person, course, -1)
    staff_mark_leaver(profile=person)
    mail.outbox.clear()
    assert reminders_run() == {"upcoming": 0, "overdue": 0}
    assert mail.outbox == []


def test_manager_digest_on_weekday_only_and_once():
    course = make_course("Late course")
    boss = make_staff(Role.LINE_MANAGER)
    report = make_staff(manager=boss)
    _assign(report, course, -2)
    from lms.hr.reminders import municipality_settings

    weekday = municipality_settings().manager_digest_weekday
    today = timezone.localdate()
    day = today + dt.timedelta(days=(weekday - today.weekday()) % 7)
    mail.outbox.clear()
    assert manager_digest_send(today=day + dt.timedelta(days=1)) == 0
    assert manager_digest_send(today=day) == 1
    assert manager_digest_send(today=day) == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [boss.user.email]
    assert report.user.last_name in mail.outbox[0].body


def test_plain_text_part_is_not_html_escaped_and_the_html_part_is():
    """A course called "Health & Safety" reads as such in the text part, not "Health &amp;
    Safety"; the HTML part escapes it."""
    person = make_staff(user__first_name="Ann & Bo")
    _assign(person, make_course("Health & Safety <basics>"), -3)
    mail.outbox.clear()
    reminders_run()
    (message,) = mail.outbox
    assert "Hello Ann & Bo," in message.body
    assert "- Health & Safety <basics> — due " in message.body
    assert "&amp;" not in message.body and "&lt;" not in message.body
    html = message.alternatives[0][0]
    assert "Health &amp; Safety &lt;basics&gt;" in html and "Ann &amp; Bo" in html
    assert "<td>Required</td>" in html


# --- batches: one claim transaction and one mail connection per batch ------------------------


class CountingBackend(locmem.EmailBackend):
    """The test outbox, counting the mail connections the reminder run opens."""

    opened = 0

    def open(self):
        type(self).opened += 1
        return super().open()


def _overdue_people(count: int, course) -> list:
    people = sorted((make_staff() for _ in range(count)), key=lambda p: p.user.pk)
    for person in people:
        _assign(person, course, -3)
    return people


def test_batches_share_one_mail_connection_and_send_everyone_once(settings, monkeypatch):
    from lms.hr import reminders

    settings.EMAIL_BACKEND = "tests.lms.test_hr_reminders.CountingBackend"
    monkeypatch.setattr(reminders, "REMINDER_BATCH", 2)
    monkeypatch.setattr(CountingBackend, "opened", 0)
    people = _overdue_people(5, make_course("Late course"))
    mail.outbox.clear()
    assert reminders_run()["overdue"] == 5
    assert CountingBackend.opened == 3  # batches of 2, 2 and 1
    assert reminders_run()["overdue"] == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.user.email for p in people)
    claims = ReminderLog.objects.filter(kind="overdue")
    assert claims.count() == 10 and not claims.filter(sent_at__isnull=True).exists()


def test_reading_for_reminders_does_not_grow_with_people():
    """Only the per-e-mail lock and mark (the exactly-once writes) grow with the people."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    course = make_course("Late course")

    def run_for(count: int) -> int:
        _overdue_people(count, course)
        with CaptureQueriesContext(connection) as queries:
            assert reminders_run()["overdue"] == count
        return len(queries)

    run_for(1)  # the first run also fills the site-root cache
    two, three, six = run_for(2), run_for(3), run_for(6)
    per_email = three - two
    assert six - two == 4 * per_email
    # PostgreSQL: the mark only (the batch's advisory locks are two statements per batch);
    # elsewhere a transaction per e-mail: savepoint, lock, mark, release.
    assert per_email == (1 if connection.vendor == "postgresql" else 4)


def test_a_refused_message_in_a_batch_is_the_only_one_sent_next_time(monkeypatch):
    people = _overdue_people(3, make_course("Late course"))
    original_send = EmailMultiAlternatives.send
    refused = people[1].user.email

    def send(message, *args, **kwargs):
        if message.to == [refused]:
            raise OSError("mailbox unavailable")
        return original_send(message, *args, **kwargs)

    mail.outbox.clear()
    with monkeypatch.context() as patch:
        patch.setattr(EmailMultiAlternatives, "send", send)
        assert reminders_run()["overdue"] == 2
    assert reminders_run()["overdue"] == 1
    assert reminders_run()["overdue"] == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.user.email for p in people)


def test_manager_digests_are_claimed_together_and_an_interrupted_one_resumed():
    from lms.hr.reminders import municipality_settings

    course = make_course("Late course")
    bosses = [make_staff(Role.LINE_MANAGER) for _ in range(2)]
    for boss in bosses:
        _assign(make_staff(manager=boss), course, -2)
    weekday = municipality_settings().manager_digest_weekday
    today = timezone.localdate()
    day = today + dt.timedelta(days=(weekday - today.weekday()) % 7)
    # An earlier run claimed the first manager's digest, then died before sending it.
    reminder_claim(user_id=bosses[0].user.pk, kind="manager_digest", assignment_ids=[], date=day)
    mail.outbox.clear()
    assert manager_digest_send(today=day) == 2
    assert manager_digest_send(today=day) == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted(b.user.email for b in bosses)


@pytest.mark.services
def test_claim_another_run_is_sending_is_left_to_it():
    """PostgreSQL: a run skips a claim whose advisory lock another run holds (it is sending
    it), and the claim is sent once after that run let go without marking it."""
    from django.db import connection, connections

    from lms.hr.reminders import CLAIM_LOCK_NAMESPACE
    from tests.services import require_postgres

    require_postgres()
    person = _overdue_people(1, make_course("Late course"))[0]
    claim_id = reminder_claim(
        user_id=person.user.pk,
        kind="overdue",
        assignment_ids=list(person.user.assignments.values_list("pk", flat=True)),
        date=timezone.localdate(),
    )
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", [CLAIM_LOCK_NAMESPACE, claim_id])
        mail.outbox.clear()
        assert reminders_run()["overdue"] == 0
    finally:
        other.close()  # the other run died: its session's locks are gone
    assert connection.vendor == "postgresql"
    assert reminders_run()["overdue"] == 1
    assert reminders_run()["overdue"] == 0
    assert [m.to for m in mail.outbox] == [[person.user.email]]
