"""The permission helper every view uses.

Two layers: ``has_role`` for coarse access (which pages a person may open at all), and the
``can_*`` / ``*_scope`` functions for object-level questions. Views call these and answer 403
(signed in, not allowed) or redirect to sign-in (anonymous); they never decide on their own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from .cache import cached, generation, read_on_every_request
from .roles import ADMIN_ROLES, Role

# Renewed whenever any group or group membership changes (lms.signals).
ROLES_GENERATION = read_on_every_request("roles")


def user_roles(user) -> frozenset[Role]:
    """The roles a user holds, computed once per request and cached on the user object."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_civicskills_roles", None)
    if cached is not None:
        return cached
    names = group_names(user.pk)
    roles = {Role.LEARNER}
    roles.update(role for role in Role if role.value in names)
    if user.is_superuser:
        roles.add(Role.SITE_ADMIN)
    result = frozenset(roles)
    user._civicskills_roles = result
    return result


def group_names(user_id: int) -> frozenset[str]:
    """Names of the groups a user is in, remembered in the cache between requests.

    The "roles" generation is renewed whenever any group membership or group changes
    (lms.signals), so a role taken away stops working on the next request.
    """
    from django.contrib.auth.models import Group

    def load() -> frozenset[str]:
        return frozenset(Group.objects.filter(user=user_id).values_list("name", flat=True))

    key = group_names_key(user_id)
    return load() if key is None else cached(key, load)


def group_names_key(user_id: int) -> str | None:
    """The cache key of a user's group names (None while the cache is down)."""
    token = generation(ROLES_GENERATION)
    return None if token is None else f"roles:{token}:{user_id}"


def has_role(user, *roles: Role) -> bool:
    """True when the user holds any of ``roles``. Site admins hold every role."""
    held = user_roles(user)
    return Role.SITE_ADMIN in held or any(role in held for role in roles)


def uses_admin(user) -> bool:
    return bool(user_roles(user) & ADMIN_ROLES)


def role_required(*roles: Role) -> Callable:
    """View decorator: anonymous → sign-in, signed in without the role → 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if roles and not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def department_descendant_ids(
    department_ids: Iterable[int], *, tree: dict[int, int | None] | None = None
) -> set[int]:
    """The given departments and every department below them (one query; the tree is small).
    ``tree`` ({department id: parent id}) saves the query when the caller already read it."""
    from .models import Department

    if tree is None:
        tree = dict(Department.objects.values_list("pk", "parent_id"))
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in tree.items():
        children.setdefault(parent_id, []).append(pk)
    result: set[int] = set()
    stack = list(department_ids)
    while stack:
        pk = stack.pop()
        if pk in result:
            continue
        result.add(pk)
        stack.extend(children.get(pk, ()))
    return result


def hr_department_scope(user) -> set[int] | None:
    """Department ids an HR admin may see: ``None`` means all, an empty set means none."""
    if not has_role(user, Role.HR_ADMIN):
        return set()
    if Role.SITE_ADMIN in user_roles(user):
        return None
    profile = getattr(user, "profile", None)
    if profile is None:
        return set()
    if profile.hr_all_departments:
        return None
    return department_descendant_ids(profile.hr_departments.values_list("pk", flat=True))


def require_hr_department(user, department_id: int | None) -> None:
    """Raise PermissionDenied unless an HR admin's scope covers the department."""
    scope = hr_department_scope(user)
    if scope is None:
        return
    if department_id is None or department_id not in scope:
        raise PermissionDenied


def can_view_staff_member(viewer, profile) -> bool:
    """May ``viewer`` see the training record of ``profile``? Self, line manager, HR in scope."""
    if not viewer.is_authenticated or not viewer.is_active:
        return False
    if profile.user_id == viewer.pk:
        return True
    viewer_profile = getattr(viewer, "profile", None)
    if viewer_profile is not None and profile.manager_id == viewer_profile.pk:
        return True
    scope = hr_department_scope(viewer)
    if scope is None:
        return True
    return profile.department_id in scope
