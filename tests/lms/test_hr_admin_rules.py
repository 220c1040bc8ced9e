"""Admin screens of curricula and assignment rules: create through the forms, scope denials."""

import pytest

from lms.models import Assignment, AssignmentRule, AuditEvent, Curriculum
from lms.roles import Role
from tests.factories import DepartmentFactory, make_staff
from tests.lms.factories import make_course

pytestmark = pytest.mark.django_db
CURRICULA = "/admin/lms_curricula/"
RULES = "/admin/lms_assignment_rules/"


def _inline(courses):
    data = {
        "items-TOTAL_FORMS": str(len(courses)),
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
    }
    for index, course in enumerate(courses):
        data.update({f"items-{index}-course": course.pk, f"items-{index}-ORDER": str(index + 1)})
        data[f"items-{index}-id"] = ""
    return data


def _rule_data(**overrides):
    data = {
        "name": "Permits: portal training",
        "course": "",
        "curriculum": "",
        "include_subdepartments": "on",
        "staff_filter": "null",
        "required": "on",
        "due_mode": "after_assignment",
        "due_days": "30",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_create_a_curriculum_with_two_courses_in_order(client, hr_admin):
    first, second = make_course("Digital basics"), make_course("Permit portal")
    client.force_login(hr_admin)
    assert client.get(f"{CURRICULA}new/").status_code == 200
    response = client.post(
        f"{CURRICULA}new/",
        {"name": "Permit counter essentials", "description": "", "is_active": "on"}
        | _inline([second, first]),
    )
    assert response.status_code == 302, response.context["form"].errors
    curriculum = Curriculum.objects.get(name="Permit counter essentials")
    assert list(curriculum.items.order_by("sort_order").values_list("course_id", flat=True)) == [
        second.pk,
        first.pk,
    ]
    assert client.get(CURRICULA).status_code == 200


def test_create_a_rule_assigns_everyone_in_scope(client, hr_admin):
    permits = DepartmentFactory(name="Permits")
    counter = DepartmentFactory(name="Permit counter", parent=permits)
    parks = DepartmentFactory(name="Parks")
    inside = [make_staff(department=permits), make_staff(department=counter)]
    outside = make_staff(department=parks)
    course = make_course("Permit portal")
    client.force_login(hr_admin)
    assert client.get(f"{RULES}new/").status_code == 200
    response = client.post(f"{RULES}new/", _rule_data(course=course.pk, departments=[permits.pk]))
    assert response.status_code == 302, response.context["form"].errors
    rule = AssignmentRule.objects.get()
    assigned = set(Assignment.objects.filter(rule=rule).values_list("user_id", flat=True))
    assert assigned == {p.user.pk for p in inside}
    assert outside.user.pk not in assigned
    assert AuditEvent.objects.filter(action="assignment_rule.created", actor=hr_admin).exists()
    assert AuditEvent.objects.filter(action="assignment_rule.applied").exists()
    # Someone who moves into the department later is assigned by the standing rule.
    from lms.hr.services import assignments_refresh_for_people

    outside.department = counter
    outside.save()
    assignments_refresh_for_people(user_ids=[outside.user.pk])
    assert Assignment.objects.filter(rule=rule, user=outside.user).exists()


def test_rule_form_errors_are_shown_and_nothing_saved(client, hr_admin):
    course = make_course("Permit portal")
    curriculum = Curriculum.objects.create(name="Essentials")
    client.force_login(hr_admin)
    both = client.post(f"{RULES}new/", _rule_data(course=course.pk, curriculum=curriculum.pk))
    assert both.status_code == 200
    assert "Choose either a course or a curriculum" in str(both.context["form"].errors)
    nobody = client.post(f"{RULES}new/", _rule_data(course=course.pk))
    assert nobody.status_code == 200
    assert "Choose who the rule is for" in str(nobody.context["form"].errors)
    assert not AssignmentRule.objects.exists()
    assert not Assignment.objects.exists()


def test_hr_admin_limited_to_one_department_cannot_create_or_open_rules(client, hr_admin):
    permits, parks = DepartmentFactory(name="Permits"), DepartmentFactory(name="Parks")
    make_staff(department=parks)
    course = make_course("Permit portal")
    client.force_login(hr_admin)
    client.post(f"{RULES}new/", _rule_data(course=course.pk, departments=[parks.pk]))
    rule = AssignmentRule.objects.get()
    scoped = make_staff(Role.HR_ADMIN, department=permits)
    scoped.hr_departments.add(permits)
    client.force_login(scoped.user)
    # Rules cover the whole organisation (their people included): scoped HR admins may not
    # open or create one; Wagtail answers PermissionDenied with a redirect to the dashboard.
    edit = client.get(f"{RULES}edit/{rule.pk}/")
    assert edit.status_code == 302 and edit.url == "/admin/"
    create = client.post(f"{RULES}new/", _rule_data(course=course.pk, everyone="on"))
    assert create.status_code == 302 and create.url == "/admin/"
    assert AssignmentRule.objects.count() == 1
