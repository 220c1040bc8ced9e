"""Factories of the organisation core. Other apps' factories build on these."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from lms.models import Department, JobRole, RoleFamily, StaffProfile
from lms.roles import Role
from lms.services import user_set_roles

DEFAULT_PASSWORD = "correct-horse-battery-staple"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Department {n}")


class JobRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JobRole
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Job role {n}")
    family = RoleFamily.FRONTLINE


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.gov")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or DEFAULT_PASSWORD)
        if create:
            self.save(update_fields=["password"])


class StaffProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffProfile

    user = factory.SubFactory(UserFactory)
    employee_id = factory.Sequence(lambda n: f"E{n:06d}")
    department = factory.SubFactory(DepartmentFactory)
    job_role = factory.SubFactory(JobRoleFactory)


def make_staff(*roles: Role, **kwargs) -> StaffProfile:
    """A member of staff with a user account holding ``roles`` (Learner is implicit)."""
    profile = StaffProfileFactory(**kwargs)
    if roles:
        user_set_roles(user=profile.user, roles=list(roles))
    return profile
