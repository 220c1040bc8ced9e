"""Staff-site views of service rollouts: the change office's list of services."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from lms.permissions import role_required
from lms.roles import Role

from ..filters import ServiceFilterSet
from ..selectors.readiness import service_summaries
from ..selectors.rollouts import services_queryset

READINESS_ROLES = (Role.CHANGE_OFFICE, Role.HR_ADMIN)
PER_PAGE = 25


@role_required(*READINESS_ROLES)
@require_GET
def services_list(request):
    """Every service with its phase, go-live and latest readiness, filterable."""
    filterset = ServiceFilterSet(request.GET or None, queryset=services_queryset())
    paginator = Paginator(filterset.qs, PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "champions/rollouts/services_list.html",
        {
            "filterset": filterset,
            "form": filterset.form,
            "page_obj": page,
            "summaries": service_summaries(list(page.object_list)),
            "querystring": query.urlencode(),
        },
    )
