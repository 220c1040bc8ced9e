"""Read-side queries of service rollouts: services, who they affect, their history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from lms.models import Department, JobRole, StaffProfile, StaffStatus

from ..models import Service, ServiceChange, ServiceDepartment, ServicePhase


def department_tree() -> dict[int, int | None]:
    """Every department id with its parent id (one query; the tree is small)."""
    return dict(Department.objects.values_list("pk", "parent_id"))


def descendants_by_root(root_ids: list[int], parents: dict[int, int | None]) -> dict[int, int]:
    """Map each department id under one of ``root_ids`` (roots included) to its nearest root.

    Staff of "Building Permits Counter" count for "Permits & Licensing" when only the latter
    is affected, and for the counter itself when both are listed.
    """
    roots = set(root_ids)
    result: dict[int, int] = {}
    for pk in parents:
        node: int | None = pk
        seen: set[int] = set()
        while node is not None and node not in seen:
            if node in roots:
                result[pk] = node
                break
            seen.add(node)
            node = parents.get(node)
    return result


def affected_staff_queryset(
    service: Service,
    *,
    department_ids: list[int] | None = None,
    job_role_ids: list[int] | None = None,
    parents: dict[int, int | None] | None = None,
) -> QuerySet[StaffProfile]:
    """Active staff a service affects: in its affected departments or their sub-departments,
    narrowed to its affected job roles when any are set.

    Callers that already hold the department ids, job role ids or department tree pass them in
    to save the queries.
    """
    if department_ids is None:
        department_ids = list(
            ServiceDepartment.objects.filter(service=service).values_list(
                "department_id", flat=True
            )
        )
    if job_role_ids is None:
        job_role_ids = list(
            JobRole.objects.filter(affected_by_services=service).values_list("pk", flat=True)
        )
    if not department_ids:
        return StaffProfile.objects.none()
    if parents is None:
        parents = department_tree()
    subtree = descendants_by_root(department_ids, parents)
    queryset = StaffProfile.objects.filter(
        status=StaffStatus.ACTIVE, user__is_active=True, department_id__in=list(subtree)
    )
    if job_role_ids:
        queryset = queryset.filter(job_role_id__in=job_role_ids)
    return queryset


def services_for_department(department_id: int) -> QuerySet[Service]:
    """Services (not retired) that affect a department, directly or through a parent of it."""
    parents = department_tree()
    ancestors: list[int] = []
    node: int | None = department_id
    while node is not None and node not in ancestors:
        ancestors.append(node)
        node = parents.get(node)
    return (
        Service.objects.filter(department_rollouts__department_id__in=ancestors)
        .exclude(phase=ServicePhase.RETIRED)
        .distinct()
        .order_by("name")
    )


def services_queryset() -> QuerySet[Service]:
    """Every service with what the services list shows, fetched in a fixed number of queries."""
    return (
        Service.objects.select_related("owning_department")
        .prefetch_related(
            Prefetch(
                "department_rollouts",
                queryset=ServiceDepartment.objects.select_related("department").order_by(
                    "department__name"
                ),
            )
        )
        .order_by("name")
    )


def service_get_by_slug(slug: str) -> Service:
    """One service with its departments, job roles and required training fetched."""
    return (
        Service.objects.select_related("owning_department")
        .prefetch_related(
            Prefetch(
                "department_rollouts",
                queryset=ServiceDepartment.objects.select_related("department").order_by(
                    "department__name", "pk"
                ),
            ),
            "affected_job_roles",
            "required_courses",
            "required_curricula",
        )
        .get(slug=slug)
    )


def service_changes(service: Service, *, limit: int = 50) -> list[ServiceChange]:
    """The service's phase and go-live history, newest first."""
    return list(
        ServiceChange.objects.filter(service=service)
        .select_related("department", "changed_by")
        .order_by("-changed_at", "-pk")[:limit]
    )


@dataclass(frozen=True)
class DepartmentGoLive:
    department_id: int
    department_name: str
    go_live: dt.date | None


def department_go_lives(service: Service) -> list[DepartmentGoLive]:
    """Each affected department's effective go-live date (prefetched departments are reused)."""
    return [
        DepartmentGoLive(row.department_id, row.department.name, row.effective_go_live(service))
        for row in service.department_rollouts.all()
    ]
