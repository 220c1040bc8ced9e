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
