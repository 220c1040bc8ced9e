"""Admin "Assignments" listing (scoped, read + delete, audited) and "Assign training"."""

import datetime as dt

import pytest
from django.utils import timezone

from lms.hr.services import assignments_create
from lms.models import Assignment, AuditEvent
from lms.roles import Role
from tests.factories import DepartmentFactory, JobRoleFactory, make_staff
from tests.lms.factories import make_course, make_curriculum

pytestmark = pytest.mark.django_db
LIST = "/admin/lms_assignments/"
ASSIGN = "/admin/assign-training/"


@pytest.fixture
def org():
    permits, parks = DepartmentFactory(name="Permits"), DepartmentFactory(name="Parks")
    counter = DepartmentFactory(name="Permit counter", parent=permits)
    return permits, parks, counter


def _scoped_hr(department):
    profile = make_staff(Role.HR_ADMIN, department=department)
    profile.hr_departments.add(department)
    return profile.user


def test_listing_is_scoped_and_other_departments_are_404(client, org):
    permits, parks, counter = org
    course = make_course("Phishing awareness")
    mine, theirs = make_staff(department=counter), make_staff(department=parks)
    assignments_create(users=[mine.user, theirs.user], course=course)
    own = Assignment.objects.get(user=mine.user)
    other = Assignment.objects.get(user=theirs.user)
    client.force_login(_scoped_hr(permits))
    listing = client.get(LIST)
    assert listing.status_code == 200
    assert [a.pk for a in listing.context["object_list"]] == [own.pk]
    assert b"Assign training" in listing.content
    assert client.get(f"{LIST}inspect/{own.pk}/").status_code == 200
    assert client.get(f"{LIST}inspect/{other.pk}/").status_code == 404
    assert client.get(f"{LIST}delete/{other.pk}/").status_code == 404
    assert client.post(f"{LIST}delete/{other.pk}/").status_code == 404
    assert Assignment.objects.filter(pk=other.pk).exists()


def test_listing_filters_by_department_tree(client, hr_admin, org):
    permits, parks, counter = org
    course = make_course("Phishing awareness")
    people = [make_staff(department=counter), make_staff(department=parks)]
    assignments_create(users=[p.user for p in people], course=course)
    client.force_login(hr_admin)
    response = client.get(LIST, {"department": permits.pk})
    assert [a.user_id for a in response.context["object_list"]] == [people[0].user.pk]


def test_delete_is_audited(client, hr_admin, org):
    _permits, parks, _counter = org
    course = make_course("Phishing awareness")
    person = make_staff(department=parks)
    assignments_create(users=[person.user], course=course)
    assignment = Assignment.objects.get()
    client.force_login(hr_admin)
    assert client.get(f"{LIST}delete/{assignment.pk}/").status_code == 200
    response = client.post(f"{LIST}delete/{assignment.pk}/")
    assert response.status_code == 302
    assert not Assignment.objects.exists()
    event = AuditEvent.objects.get(action="assignment.removed")
    assert event.actor == hr_admin
    assert event.target_id == str(assignment.pk)
    assert event.details["user_id"] == person.user.pk


def test_no_add_or_edit_pages(client, hr_admin):
    client.force_login(hr_admin)
    assert client.get(f"{LIST}new/").status_code == 404
    assert client.get(f"{LIST}edit/1/").status_code == 404


def test_learner_cannot_open_the_listing_or_the_form(client, learner):
    client.force_login(learner)
    assert client.get(LIST).status_code == 302
    assert client.get(ASSIGN).status_code == 302


@pytest.mark.parametrize("size", [2, 12])
def test_listing_query_budget(client, hr_admin, org, size, django_assert_max_num_queries):
    _permits, parks, _counter = org
    course = make_course("Phishing awareness")
    assignments_create(
        users=[make_staff(department=parks).user for _ in range(size)], course=course
    )
    client.force_login(hr_admin)
    with django_assert_max_num_queries(40):
        assert client.get(LIST).status_code == 200


def test_assign_training_preview_then_confirm(client, hr_admin, org):
    permits, parks, counter = org
    clerk, inspector = JobRoleFactory(name="Clerk"), JobRoleFactory(name="Inspector")
    in_sub = make_staff(department=counter, job_role=clerk)
    make_staff(department=counter, job_role=inspector)
    picked = make_staff(department=parks)
    course = make_course("Permit portal")
    due = timezone.localdate() + dt.timedelta(days=30)
    data = {
        "course": course.pk,
        "departments": [permits.pk],
        "include_subdepartments": "on",
        "job_roles": [clerk.pk],
        "people": f"{picked.employee_id}\n",
        "due_date": due.isoformat(),
        "required": "on",
        "preview": "1",
    }
    client.force_login(hr_admin)
    assert client.get(ASSIGN).status_code == 200
    preview = client.post(ASSIGN, data)
    assert preview.status_code == 200
    assert preview.context["count"] == 2
    assert not Assignment.objects.exists()
    data.pop("preview")
    confirmed = client.post(ASSIGN, {**data, "confirm": "1"})
    assert confirmed.status_code == 302 and confirmed.url == LIST
    rows = Assignment.objects.order_by("user_id")
    assert sorted(r.user_id for r in rows) == sorted([in_sub.user.pk, picked.user.pk])
    assert {(r.due_date, r.required, r.assigned_by_id) for r in rows} == {(due, True, hr_admin.pk)}
    event = AuditEvent.objects.get(action="assignments.created")
    assert event.actor == hr_admin and event.details["new"] == 2
    # Confirming again assigns nobody twice.
    client.post(ASSIGN, {**data, "confirm": "1"})
    assert Assignment.objects.count() == 2


def test_assign_a_curriculum_by_email_recommended(client, hr_admin, org):
    _permits, parks, _counter = org
    person = make_staff(department=parks)
    curriculum = make_curriculum("Essentials", [make_course("One"), make_course("Two")])
    client.force_login(hr_admin)
    client.post(
        ASSIGN, {"curriculum": curriculum.pk, "people": person.user.email.upper(), "confirm": "1"}
    )
    rows = Assignment.objects.filter(user=person.user)
    assert rows.count() == 2
    assert {(r.curriculum_id, r.required, r.due_date) for r in rows} == {
        (curriculum.pk, False, None)
    }


def test_assign_training_errors(client, hr_admin, org):
    course = make_course("Permit portal")
    curriculum = make_curriculum("Essentials", [course])
    client.force_login(hr_admin)
    both = client.post(ASSIGN, {"course": course.pk, "curriculum": curriculum.pk, "people": "x"})
    assert "Choose either a course or a curriculum" in str(both.context["form"].errors)
    nobody = client.post(ASSIGN, {"course": course.pk, "preview": "1"})
    assert "Choose who gets the training" in str(nobody.context["form"].errors)
    unknown = client.post(ASSIGN, {"course": course.pk, "people": "NOPE-1", "confirm": "1"})
    assert "NOPE-1" in str(unknown.context["form"].errors["people"])
    assert not Assignment.objects.exists()


def test_scoped_hr_admin_cannot_assign_outside_scope(client, org):
    permits, parks, _counter = org
    outsider = make_staff(department=parks)
    course = make_course("Permit portal")
    client.force_login(_scoped_hr(permits))
    form = client.get(ASSIGN).context["form"]
    assert parks not in form.fields["departments"].queryset
    response = client.post(
        ASSIGN, {"course": course.pk, "people": outsider.employee_id, "confirm": "1"}
    )
    assert outsider.employee_id in str(response.context["form"].errors["people"])
    refused = client.post(ASSIGN, {"course": course.pk, "departments": [parks.pk], "confirm": "1"})
    assert "departments" in refused.context["form"].errors
    assert not Assignment.objects.exists()


def test_large_assignment_runs_as_a_task(client, hr_admin, org, monkeypatch):
    from lms.hr import services

    _permits, parks, _counter = org
    people = [make_staff(department=parks) for _ in range(3)]
    course = make_course("Permit portal")
    monkeypatch.setattr(services, "LARGE_RULE_PEOPLE", 2)
    client.force_login(hr_admin)
    with_task = client.post(
        ASSIGN, {"course": course.pk, "departments": [parks.pk], "confirm": "1"}
    )
    assert with_task.status_code == 302
    # Tests run Celery eagerly: the outbox delivered the task after commit.
    from lms.outbox import outbox_deliver

    outbox_deliver()
    assert Assignment.objects.filter(user__in=[p.user for p in people]).count() == 3
