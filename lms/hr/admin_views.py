"""Wagtail admin pages of the roster import: upload → preview (checked) → confirm → progress."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lms.models import RosterImport
from lms.permissions import has_role, hr_department_scope
from lms.roles import Role

from .forms import AssignTrainingForm, RosterUploadForm
from .roster import roster_progress, roster_upload_confirm, roster_upload_create
from .selectors import assign_training_people
from .services import assignments_create_or_enqueue


def _check_access(request) -> None:
    # The roster covers the whole organisation: only HR admins with the whole scope import it.
    if not has_role(request.user, Role.HR_ADMIN) or hr_department_scope(request.user) is not None:
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
def roster_upload(request):
    _check_access(request)
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            record = roster_upload_create(
                upload=form.cleaned_data["file"],
                deactivate_missing=form.cleaned_data["deactivate_missing"],
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            return redirect("lms_roster_detail", pk=record.pk)
    recent = RosterImport.objects.select_related("created_by").order_by("-created_at")[:10]
    return render(request, "lms/admin/roster_upload.html", {"form": form, "recent": recent})


@require_http_methods(["GET", "POST"])
def roster_detail(request, pk: int):
    _check_access(request)
    record = get_object_or_404(RosterImport, pk=pk)
    if request.method == "POST":
        if roster_upload_confirm(roster_import=record, actor=request.user):
            messages.success(request, _("The import has started."))
        return redirect("lms_roster_detail", pk=record.pk)
    progress = roster_progress(roster_import_id=record.pk) if record.is_working else None
    return render(
        request,
        "lms/admin/roster_detail.html",
        {"record": record, "report": record.report or {}, "progress": progress},
    )


@require_http_methods(["GET", "POST"])
def assign_training(request):
    """One-off "Assign training": choose → preview (number of people) → confirm."""
    if not has_role(request.user, Role.HR_ADMIN):
        raise PermissionDenied
    scope = hr_department_scope(request.user)
    form = AssignTrainingForm(request.POST or None, scope=scope)
    count = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        people = assign_training_people(
            scope=scope,
            departments=data["departments"],
            include_subdepartments=data["include_subdepartments"],
            job_roles=data["job_roles"],
            people=data["people"],
        )
        user_ids = list(people.order_by("user_id").values_list("user_id", flat=True))
        if not user_ids:
            form.add_error(None, _("Nobody you manage matches this choice."))
        elif "confirm" in request.POST:
            try:
                created = assignments_create_or_enqueue(
                    user_ids=user_ids,
                    course=data["course"],
                    curriculum=data["curriculum"],
                    required=data["required"],
                    due_date=data["due_date"],
                    assigned_by=request.user,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                if created is None:
                    messages.success(
                        request,
                        _("Assigning to %(count)s people has started; it takes a few minutes.")
                        % {"count": len(user_ids)},
                    )
                else:
                    messages.success(
                        request,
                        _("%(new)s new assignments for %(count)s people.")
                        % {"new": created, "count": len(user_ids)},
                    )
                return redirect("lms_assignments:index")
        else:
            count = len(user_ids)
    return render(request, "lms/admin/assign_training.html", {"form": form, "count": count})
