"""Write-side operations of the organisation core. Views, commands and tasks call these."""

from __future__ import annotations

import datetime as dt
import importlib

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone

from .models import Department, JobRole, StaffProfile, StaffStatus
from .roles import ROLE_PERMISSIONS, Role

User = get_user_model()

ROLE_PERMISSION_MODULES = ["courses.roles", "assessments.roles", "champions.roles"]


def roles_sync() -> None:
    """Create one group per role and grant it exactly the permissions in ``ROLE_PERMISSIONS``.

    Idempotent; runs after every ``migrate`` so new permissions reach their roles. Each app
    lists its own grants in ``<app>/roles.py``.
    """
    merged: dict[Role, list[str]] = {role: list(ROLE_PERMISSIONS.get(role, [])) for role in Role}
    for module_name in ROLE_PERMISSION_MODULES:
        for role, perms in importlib.import_module(module_name).ROLE_PERMISSIONS.items():
            merged[role].extend(perms)
    for role in Role:
        group, _created = Group.objects.get_or_create(name=role.value)
        wanted = []
        for dotted in merged[role]:
            app_label, codename = dotted.split(".", 1)
            perm = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if perm is not None:
                wanted.append(perm)
        group.permissions.set(wanted)


@transaction.atomic
def user_set_roles(*, user, roles: list[Role]) -> None:
    """Replace the role groups a user belongs to (other groups are left alone)."""
    role_names = {role.value for role in Role}
    keep = [g for g in user.groups.all() if g.name not in role_names]
    new = list(Group.objects.filter(name__in=[r.value for r in roles]))
    user.groups.set(keep + new)
    user.__dict__.pop("_civicskills_roles", None)


@transaction.atomic
def staff_create(
    *,
    username: str,
    email: str,
    first_name: str,
    last_name: str,
    employee_id: str,
    department: Department | None = None,
    job_role: JobRole | None = None,
    manager: StaffProfile | None = None,
    location: str = "",
    start_date: dt.date | None = None,
    password: str | None = None,
    roles: list[Role] | None = None,
) -> StaffProfile:
    """Create a user account and its staff profile together."""
    user = User(username=username, email=email, first_name=first_name, last_name=last_name)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    profile = StaffProfile(
        user=user,
        employee_id=employee_id,
        department=department,
        job_role=job_role,
        manager=manager,
        location=location,
        start_date=start_date,
    )
    profile.full_clean()
    profile.save()
    if roles:
        user_set_roles(user=user, roles=roles)
    return profile


@transaction.atomic
def staff_mark_leaver(*, profile: StaffProfile) -> StaffProfile:
    """A person leaves: they can no longer sign in, and every record of theirs is kept.

    Deactivating the user ends their sessions too: Django's auth backend refuses inactive users
    on their next request.
    """
    if profile.status == StaffStatus.LEAVER:
        return profile
    profile.status = StaffStatus.LEAVER
    profile.left_at = timezone.now()
    profile.save(update_fields=["status", "left_at", "updated_at"])
    User.objects.filter(pk=profile.user_id).update(is_active=False)
    return profile


@transaction.atomic
def staff_reinstate(*, profile: StaffProfile) -> StaffProfile:
    """A leaver comes back (rehire or a mistake in the roster): they can sign in again."""
    profile.status = StaffStatus.ACTIVE
    profile.left_at = None
    profile.save(update_fields=["status", "left_at", "updated_at"])
    User.objects.filter(pk=profile.user_id).update(is_active=True)
    return profile
