"""The permission helper every view relies on, and its denials."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory

from lms.permissions import (
    can_view_staff_member,
    department_descendant_ids,
    has_role,
    hr_department_scope,
    require_hr_department,
    role_required,
    user_roles,
)
from lms.roles import Role
from tests.factories import DepartmentFactory, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    directorate = DepartmentFactory(name="Community Services")
    permits = DepartmentFactory(name="Permits", parent=directorate)
    counter = DepartmentFactory(name="Permit Counter", parent=permits)
    finance = DepartmentFactory(name="Finance")
    return directorate, permits, counter, finance


def test_everyone_is_a_learner_and_roles_come_from_groups():
    profile = make_staff(Role.CHAMPION)

    assert user_roles(profile.user) == {Role.LEARNER, Role.CHAMPION}
    assert has_role(profile.user, Role.CHAMPION)
    assert not has_role(profile.user, Role.HR_ADMIN)


def test_anonymous_and_inactive_users_hold_no_role(django_user_model):
    from django.contrib.auth.models import AnonymousUser

    assert user_roles(AnonymousUser()) == frozenset()
    inactive = make_staff(Role.HR_ADMIN).user
    inactive.is_active = False
    assert user_roles(inactive) == frozenset()


def test_superuser_holds_every_role():
    user = make_staff().user
    user.is_superuser = True

    assert has_role(user, Role.HR_ADMIN)
    assert has_role(user, Role.CHANGE_OFFICE)


def test_descendants_include_sub_departments(tree):
    directorate, permits, counter, finance = tree

    assert department_descendant_ids([permits.pk]) == {permits.pk, counter.pk}
    assert department_descendant_ids([directorate.pk]) == {directorate.pk, permits.pk, counter.pk}


def test_hr_scope_is_limited_to_listed_departments_and_below(tree):
    _directorate, permits, counter, finance = tree
    hr = make_staff(Role.HR_ADMIN)
    hr.hr_departments.set([permits])

    assert hr_department_scope(hr.user) == {permits.pk, counter.pk}
    require_hr_department(hr.user, counter.pk)
    with pytest.raises(PermissionDenied):
        require_hr_department(hr.user, finance.pk)


def test_hr_scope_whole_organisation():
    hr = make_staff(Role.HR_ADMIN, hr_all_departments=True)

    assert hr_department_scope(hr.user) is None


def test_non_hr_has_empty_scope():
    assert hr_department_scope(make_staff().user) == set()


def test_who_may_see_a_staff_members_record(tree):
    _directorate, permits, _counter, finance = tree
    manager = make_staff(department=permits)
    report = make_staff(department=permits, manager=manager)
    colleague = make_staff(department=permits)
    hr_permits = make_staff(Role.HR_ADMIN, department=finance)
    hr_permits.hr_departments.set([permits])
    hr_finance = make_staff(Role.HR_ADMIN, department=finance)
    hr_finance.hr_departments.set([finance])

    assert can_view_staff_member(report.user, report)
    assert can_view_staff_member(manager.user, report)
    assert can_view_staff_member(hr_permits.user, report)
    assert not can_view_staff_member(colleague.user, report)
    assert not can_view_staff_member(report.user, manager)
    assert not can_view_staff_member(hr_finance.user, report)


def test_role_required_redirects_anonymous_and_forbids_the_wrong_role():
    from django.contrib.auth.models import AnonymousUser

    @role_required(Role.HR_ADMIN)
    def view(request):
        return HttpResponse("ok")

    request = RequestFactory().get("/hr/")
    request.user = AnonymousUser()
    response = view(request)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/hr/")

    request.user = make_staff().user
    with pytest.raises(PermissionDenied):
        view(request)

    request.user = make_staff(Role.HR_ADMIN).user
    assert view(request).status_code == 200


def test_roles_sync_creates_a_group_per_role_with_its_permissions():
    from django.contrib.auth.models import Group

    names = set(Group.objects.values_list("name", flat=True))
    assert {role.value for role in Role} <= names
    hr = Group.objects.get(name=Role.HR_ADMIN.value)
    assert hr.permissions.filter(codename="access_admin").exists()
    assert not Group.objects.get(name=Role.LEARNER.value).permissions.exists()
