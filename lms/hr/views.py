"""Staff-site pages of HR: the compliance report and a line manager's "My team"."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from lms.audit import audit_record
from lms.models import Department, JobRole, StaffProfile
from lms.permissions import has_role, hr_department_scope, require_hr_department, role_required
from lms.roles import Role

from .filters import ComplianceFilterSet
from .report_cache import compliance_department_rows_cached
from .reports import compliance_csv, compliance_xlsx
from .selectors import (
    EXPIRY_WINDOWS,
    compliance_base,
    compliance_rows,
    compliance_totals,
    team_member_assignments,
    team_members_page,
)


def _int_param(request, name: str) -> int | None:
    value = request.GET.get(name, "")
    if not value:
        return None
    try:
        return int(value)
    except ValueError as exc:
        raise Http404 from exc


@role_required(Role.HR_ADMIN)
def compliance_report(request):
    """Compliance by department, drilling down to job roles and people; CSV/XLSX export."""
    scope = hr_department_scope(request.user)
    filterset = ComplianceFilterSet(
        request.GET or None, queryset=compliance_base(scope=scope), request=request
    )
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    department = job_role = None
    department_id = _int_param(request, "drill_department")
    job_role_id = _int_param(request, "drill_job_role")
    group = "department"
    if department_id is not None:
        department = get_object_or_404(Department, pk=department_id)
        require_hr_department(request.user, department.pk)
        queryset = queryset.filter(user__profile__department_id=department.pk)
        group = "job_role"
        if job_role_id is not None:
            job_role = get_object_or_404(JobRole, pk=job_role_id)
            queryset = queryset.filter(user__profile__job_role_id=job_role.pk)
            group = "person"
    export = request.GET.get("export")
    if export in {"csv", "xlsx"} and request.GET.get("rows") == "person":
        group = "person"  # one row per person for everyone in the current filter
    cached_at = None
    filters_valid = not filterset.is_bound or filterset.is_valid()
    if group == "department" and export not in {"csv", "xlsx"} and filters_valid:
        # The whole-city page: cached per scope and filters (exports and drill-downs are not).
        cached = compliance_department_rows_cached(
            scope=scope,
            filters=[(name, request.GET.getlist(name)) for name in filterset.filters],
            compute=lambda: compliance_rows(queryset=queryset, group=group),
        )
        rows, cached_at = cached.rows, cached.cached_at
    else:
        rows = compliance_rows(queryset=queryset, group=group)
    if export in {"csv", "xlsx"}:
        filename = f"compliance-{timezone.localdate():%Y-%m-%d}"
        audit_record(
            action="export.compliance",
            actor=request.user,
            request=request,
            target_label=f"compliance report by {group}",
            format=export,
            rows=len(rows),
            filters={key: value for key, value in request.GET.items() if key != "export"},
        )
        if export == "csv":
            return compliance_csv(rows=rows, group=group, filename=filename)
        return compliance_xlsx(rows=rows, group=group, filename=filename)
    query = request.GET.copy()
    for key in ("export", "rows", "drill_department", "drill_job_role"):
        query.pop(key, None)
    return render(
        request,
        "lms/compliance_report.html",
        {
            "filterset": filterset,
            "rows": rows,
            "totals": compliance_totals(rows),
            "group": group,
            "department": department,
            "job_role": job_role,
            "windows": EXPIRY_WINDOWS,
            "filter_query": query.urlencode(),
            "current_query": request.GET.urlencode(),
            "cached_at": cached_at,
        },
    )


@role_required()
def my_team(request):
    """A line manager's direct reports with their training counts; ?person=<id> for one."""
    manager = getattr(request.user, "profile", None)
    if manager is None:
        raise Http404
    page = team_members_page(manager=manager, page_number=request.GET.get("page"))
    if not page.paginator.count and not has_role(request.user, Role.LINE_MANAGER):
        raise PermissionDenied
    person = None
    assignments = []
    person_id = _int_param(request, "person")
    if person_id is not None:
        person = get_object_or_404(
            StaffProfile.objects.select_related("user"), pk=person_id, manager=manager
        )
        assignments = team_member_assignments(profile=person)
    return render(
        request,
        "lms/my_team.html",
        {
            "reports": list(page.object_list),
            "page": page,
            "page_query": "" if person is None else f"person={person.pk}",
            "person": person,
            "assignments": assignments,
            "today": timezone.localdate(),
        },
    )
