"""Assignment rules and ad-hoc assignments: scope, idempotency, moves, recertification."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from lms.hr.services import (
    assignment_rule_apply,
    assignment_rule_create,
    assignment_rule_update,
    assignments_create,
    assignments_refresh_for_people,
    recertification_sweep,
)
from lms.models import Assignment, AssignmentStatus, DueMode, RoleFamily
from tests.factories import DepartmentFactory, JobRoleFactory, make_staff
from tests.lms.factories import complete, make_course, make_curriculum

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    return make_course("Phishing awareness")


def test_rule_assigns_department_and_subdepartments(course):
    parent = DepartmentFactory(name="Permits & Licensing")
    child = DepartmentFactory(name="Permit counter", parent=parent)
    other = DepartmentFactory(name="Parks")
    inside = [make_staff(department=parent), make_staff(department=child)]
    outside = make_staff(department=other)
    rule = assignment_rule_create(
        name="Permits",
        course=course,
        departments=[parent],
        due_mode=DueMode.AFTER_ASSIGNMENT,
        due_days=30,
    )
    assigned = set(Assignment.objects.filter(rule=rule).values_list("user_id", flat=True))
    assert assigned == {p.user_id for p in inside}
    assert outside.user_id not in assigned
    row = Assignment.objects.filter(rule=rule).first()
    assert row.due_date == timezone.localdate() + dt.timedelta(days=30)
    assert row.enrolment.user_id == row.user_id


def test_apply_twice_assigns_nobody_twice(course):
    for _ in range(3):
        make_staff()
    rule = assignment_rule_create(name="All", course=course, everyone=True, due_days=10)
    assert Assignment.objects.filter(rule=rule).count() == 3
    assert assignment_rule_apply(rule=rule) == 0
    assert Assignment.objects.filter(rule=rule).count() == 3


def test_family_and_curriculum(course):
    second = make_course("Secure passwords")
    curriculum = make_curriculum("Cyber basics", [course, second])
    manager_role = JobRoleFactory(name="Team lead", family=RoleFamily.MANAGER)
    lead = make_staff(job_role=manager_role)
    make_staff()
    rule = assignment_rule_create(
        name="Managers", curriculum=curriculum, role_families=[RoleFamily.MANAGER], due_days=5
    )
    rows = Assignment.objects.filter(rule=rule)
    assert {(r.user_id, r.course_id) for r in rows} == {
        (lead.user_id, course.pk),
        (lead.user_id, second.pk),
    }


def test_rule_validation_errors(course):
    with pytest.raises(ValidationError) as error:
        assignment_rule_create(name="Nothing", course=course, due_days=3)
    assert "everyone" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        assignment_rule_create(name="Both", everyone=True, due_mode=DueMode.FIXED)
    assert {"course", "due_date"} <= set(error.value.message_dict)


def test_moving_out_of_scope_withdraws_open_but_keeps_completed(course):
    permits, parks = DepartmentFactory(name="Permits"), DepartmentFactory(name="Parks")
    mover, finisher = make_staff(department=permits), make_staff(department=permits)
    rule = assignment_rule_create(name="Permits", course=course, departments=[permits], due_days=9)
    complete(finisher.user, course)
    for profile in (mover, finisher):
        profile.department = parks
        profile.save()
    assignments_refresh_for_people(user_ids=[mover.user_id, finisher.user_id])
    statuses = dict(Assignment.objects.filter(rule=rule).values_list("user_id", "status"))
    assert statuses[mover.user_id] == AssignmentStatus.WITHDRAWN
    assert statuses[finisher.user_id] == AssignmentStatus.ACTIVE
    # Moving back brings the assignment back.
    mover.department = permits
    mover.save()
    assignments_refresh_for_people(user_ids=[mover.user_id])
    assert Assignment.objects.get(rule=rule, user=mover.user).status == AssignmentStatus.ACTIVE


def test_joiner_is_picked_up_by_refresh(course):
    permits = DepartmentFactory(name="Permits")
    rule = assignment_rule_create(name="Permits", course=course, departments=[permits], due_days=9)
    joiner = make_staff(department=permits)
    assignments_refresh_for_people(user_ids=[joiner.user_id])
    assert Assignment.objects.filter(rule=rule, user=joiner.user).exists()


def test_update_due_terms_moves_open_due_dates_and_emails_once(
    course, django_capture_on_commit_callbacks
):
    people = [make_staff() for _ in range(2)]
    rule = assignment_rule_create(name="All", course=course, everyone=True, due_days=10)
    complete(people[1].user, course)
    new_date = timezone.localdate() + dt.timedelta(days=60)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assignment_rule_update(rule=rule, due_mode=DueMode.FIXED, due_date=new_date, due_days=None)
    rows = dict(Assignment.objects.filter(rule=rule).values_list("user_id", "due_date"))
    assert rows[people[0].user_id] == new_date
    assert rows[people[1].user_id] != new_date  # completed: untouched
    assert [m.to for m in mail.outbox] == [[people[0].user.email]]
    # The same change again e-mails nobody.
    with django_capture_on_commit_callbacks(execute=True):
        assignment_rule_update(rule=rule, name="All staff")
    assert len(mail.outbox) == 1


def test_assignments_create_adhoc_is_idempotent_and_keeps_earlier_due(course):
    people = [make_staff() for _ in range(3)]
    due = timezone.localdate() + dt.timedelta(days=20)
    assert assignments_create(users=[p.user for p in people], course=course, due_date=due) == 3
    earlier = due - dt.timedelta(days=5)
    assert (
        assignments_create(users=[p.user_id for p in people], course=course, due_date=earlier) == 0
    )
    assert set(Assignment.objects.values_list("due_date", flat=True)) == {earlier}
    with pytest.raises(ValidationError):
        assignments_create(users=[], course=course)


def test_bulk_assignment_query_count_does_not_grow(course, django_assert_max_num_queries):
    small = [make_staff().user_id for _ in range(3)]
    with django_assert_max_num_queries(20):
        assignments_create(users=small, course=course, due_date=None)
    large = [make_staff().user_id for _ in range(40)]
    with django_assert_max_num_queries(20):
        assignments_create(users=large, course=course, due_date=None)
    assert Assignment.objects.count() == 43


def test_recertification_sweep_assigns_next_cycle_once(course):
    person = make_staff()
    rule = assignment_rule_create(
        name="Yearly", course=course, everyone=True, due_days=30, recertify_months=12
    )
    completion = complete(person.user, course)
    completion.expires_at = timezone.now() + dt.timedelta(days=10)
    completion.save(update_fields=["expires_at"])
    assert recertification_sweep() == 1
    assert recertification_sweep() == 0
    cycles = list(
        Assignment.objects.filter(rule=rule).order_by("cycle").values_list("cycle", flat=True)
    )
    assert cycles == [1, 2]
    new = Assignment.objects.get(rule=rule, cycle=2)
    assert new.due_date == timezone.localdate(completion.expires_at)


# --- the set-based bulk engine (assignments_create on 10,000 people) -------------------------


def test_bulk_assignment_keeps_every_term_and_leaves_existing_rows_alone(course):
    """New, withdrawn, open, completed and self-enrolled people in one call: each gets what
    the row-by-row engine gave them."""
    from courses.models import Enrolment, EnrolmentSource
    from courses.services import enrolment_create
    from lms.models import AuditEvent

    second = make_course("Secure passwords")
    curriculum = make_curriculum("Cyber basics", [course, second])
    boss = make_staff()
    today = timezone.localdate()
    fresh, self_enrolled, late, relaxed, finished, withdrawn = (make_staff() for _ in range(6))
    own = enrolment_create(user=self_enrolled.user, course=course, source=EnrolmentSource.SELF)
    Enrolment.objects.filter(pk=own.pk).update(lessons_completed=3, started_at=timezone.now())
    assignments_create(
        users=[late.user], course=course, due_date=today + dt.timedelta(days=60), required=False
    )
    assignments_create(
        users=[relaxed.user], course=course, due_date=today + dt.timedelta(days=5), required=False
    )
    assignments_create(users=[finished.user, withdrawn.user], course=course, due_date=today)
    complete(finished.user, course)
    Assignment.objects.filter(user=withdrawn.user).update(status=AssignmentStatus.WITHDRAWN)
    before = {
        row["pk"]: row
        for row in Assignment.objects.values("pk", "due_date", "required", "assigned_at")
    }

    due = today + dt.timedelta(days=20)
    people = [fresh, self_enrolled, late, relaxed, finished, withdrawn]
    created = assignments_create(
        users=[p.user for p in people], curriculum=curriculum, due_date=due, assigned_by=boss.user
    )

    rows = {(a.user_id, a.course_id): a for a in Assignment.objects.select_related("enrolment")}
    assert created == len(people) * 2 - 4  # four people had the first course already
    for profile in (fresh, self_enrolled):
        for each in (course, second):
            row = rows[(profile.user_id, each.pk)]
            assert (row.due_date, row.required, row.status) == (due, True, AssignmentStatus.ACTIVE)
            assert (row.curriculum_id, row.rule_id, row.assigned_by_id) == (
                curriculum.pk,
                None,
                boss.user_id,
            )
            assert row.enrolment.user_id == profile.user_id
            assert row.cycle == row.enrolment.cycle == 1
    # An existing enrolment is used as it is: source, progress and all.
    own.refresh_from_db()
    assert rows[(self_enrolled.user_id, course.pk)].enrolment_id == own.pk
    assert (own.source, own.lessons_completed) == (EnrolmentSource.SELF, 3)
    assert rows[(fresh.user_id, course.pk)].enrolment.source == EnrolmentSource.ASSIGNMENT
    # Earlier due date wins and "required" only ever tightens; the rest of the row stays.
    late_row = rows[(late.user_id, course.pk)]
    assert (late_row.due_date, late_row.required) == (due, True)
    assert late_row.assigned_at == before[late_row.pk]["assigned_at"]
    relaxed_row = rows[(relaxed.user_id, course.pk)]
    assert (relaxed_row.due_date, relaxed_row.required) == (today + dt.timedelta(days=5), True)
    # Completed training is not touched; a withdrawn assignment comes back on the new terms.
    finished_row = rows[(finished.user_id, course.pk)]
    assert (finished_row.due_date, finished_row.curriculum_id) == (today, None)
    back = rows[(withdrawn.user_id, course.pk)]
    assert (back.status, back.due_date, back.curriculum_id) == (
        AssignmentStatus.ACTIVE,
        due,
        curriculum.pk,
    )
    assert back.assigned_at > before[back.pk]["assigned_at"]
    # One audit record for the operation; a second run changes nothing.
    event = AuditEvent.objects.filter(action="assignments.created").latest("pk")
    assert event.details["new"] == created and event.details["people"] == len(people)
    assert assignments_create(users=[p.user for p in people], curriculum=curriculum) == 0


def test_bulk_assignment_follows_the_enrolment_cycle(course):
    """After recertification the enrolment is in cycle 2: the assignment is for cycle 2."""
    from courses.models import Enrolment
    from courses.services import enrolment_start_new_cycle

    person = make_staff()
    assignments_create(users=[person.user], course=course)
    complete(person.user, course)
    enrolment_start_new_cycle(enrolment=Enrolment.objects.get(user=person.user, course=course))
    assert assignments_create(users=[person.user], course=course) == 1
    assert sorted(Assignment.objects.values_list("cycle", flat=True)) == [1, 2]
    assert assignments_create(users=[person.user], course=course) == 0


def test_rule_due_dates_per_start_date_in_one_bulk_run(course):
    """ "Days after the start date" gives each person their own date (one INSERT per date)."""
    today = timezone.localdate()
    starts = [None, today - dt.timedelta(days=40), today + dt.timedelta(days=7)]
    people = [make_staff(start_date=start) for start in starts]
    rule = assignment_rule_create(
        name="Joiners", course=course, everyone=True, due_mode=DueMode.AFTER_START, due_days=14
    )
    dues = dict(Assignment.objects.filter(rule=rule).values_list("user_id", "due_date"))
    assert dues == {
        people[0].user_id: today + dt.timedelta(days=14),
        people[1].user_id: today + dt.timedelta(days=14),
        people[2].user_id: today + dt.timedelta(days=21),
    }


def test_bulk_assignment_queries_do_not_depend_on_people(course, monkeypatch):
    """The same statements for 3 people as for 30; only the number of batches adds any."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    import lms.hr.services as hr_services

    curriculum = make_curriculum("Pair", [course, make_course("Second course")])
    due = timezone.localdate() + dt.timedelta(days=9)

    def count(users) -> int:
        with CaptureQueriesContext(connection) as queries:
            assignments_create(users=users, curriculum=curriculum, due_date=due)
        return len(queries)

    few = count([make_staff().user_id for _ in range(3)])
    many = count([make_staff().user_id for _ in range(30)])
    assert many == few
    monkeypatch.setattr(hr_services, "ASSIGN_BATCH", 10)
    batched = count([make_staff().user_id for _ in range(30)])
    # Per batch: the enrolments and the new assignments (each an INSERT in a savepoint) and one
    # read of the assignments the terms could change.
    assert batched == few + 2 * (3 + 1 + 3)
    assert Assignment.objects.count() == 63 * 2


def test_insert_that_meets_a_concurrent_insert_ignores_the_conflict(course):
    """The set-based INSERTs select only missing rows; should another transaction insert one
    of them in between (simulated: a statement that copies rows onto an existing one), the
    statement is run again ignoring the conflict instead of failing the whole assignment."""
    from django.db import connection

    from courses.models import Enrolment
    from courses.services import enrolment_create
    from lms.sql import insert_select

    other = make_course("Other course")
    first, second = make_staff().user, make_staff().user
    for user in (first, second):
        enrolment_create(user=user, course=course)
    enrolment_create(user=first, course=other)  # the row "another transaction" inserted
    table = connection.ops.quote_name(Enrolment._meta.db_table)
    columns = "source, cycle, enrolled_at, lessons_completed"
    body = (
        f"{table} (user_id, course_id, {columns}) "  # noqa: S608 (test SQL, no user input)
        f"SELECT user_id, %s, {columns} FROM {table} WHERE course_id = %s"
    )
    assert insert_select(body, [other.pk, course.pk]) == 1
    assert set(Enrolment.objects.filter(course=other).values_list("user_id", flat=True)) == {
        first.pk,
        second.pk,
    }
