"""Staff-site views of the champion network: hub, directory, nominations, recognition."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lms.permissions import has_role, role_required
from lms.roles import Role
from lms.selectors import staff_for_manager

from ..filters_network import DirectoryFilter, NominationFilter
from ..forms_network import BadgeAwardForm, DecisionForm, NominationForm
from ..models import Champion, ChampionStatus
from ..selectors.feedback import feedback_open_routed_to
from ..selectors.mentoring import hosted_office_hours, mentee_progress_for_champion_user
from ..selectors.network import (
    champion_activity,
    champions_approved_for_user,
    coverage_gaps_for_department,
    directory_queryset,
    nominations_queryset,
)
from ..services.network import badge_award, champion_decide, champion_nominate, champion_step_down

PAGE_SIZE = 25


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    """One page of a list, and the query string without ``page`` for the page links."""
    page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


def apply_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: at the field when it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@role_required(Role.CHAMPION)
def hub(request):
    """The champion's home: services, mentees' progress, drop-ins, questions, activity."""
    championships = list(champions_approved_for_user(request.user))
    context = {
        "championships": championships,
        "mentees": mentee_progress_for_champion_user(request.user),
        "office_hours": list(hosted_office_hours(request.user)[:10]),
        "questions": list(feedback_open_routed_to(request.user, championships=championships)[:20]),
        "activity": champion_activity(request.user),
    }
    return render(request, "champions/hub/hub.html", context)


@role_required()
def directory(request):
    """Approved champions per department, so staff know whom to ask."""
    filterset = DirectoryFilter(request.GET or None, queryset=directory_queryset())
    page, query = paginate(request, filterset.qs, per_page=50)
    return render(
        request,
        "champions/network/directory.html",
        {
            "filter": filterset,
            "page": page,
            "query": query,
            "is_change_office": has_role(request.user, Role.CHANGE_OFFICE),
        },
    )


@role_required()
@require_http_methods(["GET", "POST"])
def nominate(request):
    """Nominate yourself, or a direct report, as a champion; shows the department's gaps."""
    profile = getattr(request.user, "profile", None)
    reports = list(staff_for_manager(profile)) if profile is not None else []
    form = NominationForm(request.POST or None, user=request.user, reports=reports)
    if request.method == "POST" and form.is_valid():
        nominee = form.cleaned_data["nominee"]
        department = form.cleaned_data["department"] or getattr(
            getattr(nominee, "profile", None), "department", None
        )
        if department is None:
            form.add_error("department", _("Choose the department."))
        else:
            try:
                champion_nominate(
                    user=nominee,
                    service=form.cleaned_data["service"],
                    department=department,
                    nominated_by=request.user,
                    motivation=form.cleaned_data["motivation"],
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(
                    request, _("Thank you. The change office will look at the nomination.")
                )
                return redirect("champions:nominate")
    department = profile.department if profile is not None else None
    context = {
        "form": form,
        "gaps": coverage_gaps_for_department(department),
        "department": department,
        "my_nominations": Champion.objects.filter(user=request.user)
        .select_related("service", "department")
        .order_by("-nominated_at", "-pk"),
    }
    return render(request, "champions/network/nominate.html", context)


@role_required(Role.CHANGE_OFFICE)
def nominations(request):
    """The change office's list of nominations and champions, with filters."""
    data = request.GET.copy()
    if "status" not in data:
        data["status"] = ChampionStatus.NOMINATED
    filterset = NominationFilter(data, queryset=nominations_queryset())
    page, query = paginate(request, filterset.qs)
    return render(
        request,
        "champions/network/nominations.html",
        {"filter": filterset, "page": page, "query": query},
    )


@role_required(Role.CHANGE_OFFICE)
@require_http_methods(["GET", "POST"])
def nomination_decide(request, pk: int):
    """Approve or decline a nomination with a reason, or record that a champion stepped down."""
    try:
        champion = nominations_queryset().get(pk=pk)
    except Champion.DoesNotExist as exc:
        raise Http404 from exc
    form = DecisionForm(request.POST or None)
    if champion.status == ChampionStatus.APPROVED:
        form.fields["decision"].choices = [("step_down", _("Stepped down"))]
    if request.method == "POST" and form.is_valid():
        decision = form.cleaned_data["decision"]
        reason = form.cleaned_data["reason"]
        try:
            if decision == "step_down":
                champion_step_down(champion=champion, actor=request.user, reason=reason)
                messages.success(request, _("The champion has stepped down."))
            else:
                result = champion_decide(
                    champion=champion, decision=decision, reason=reason, actor=request.user
                )
                messages.success(request, _("Your decision is recorded and the nominee told."))
                if result.champion.status == ChampionStatus.APPROVED and not (
                    result.curriculum_assigned
                ):
                    messages.warning(
                        request,
                        _(
                            "No active champion curriculum was found, so no training was "
                            "assigned. Assign it from the HR admin."
                        ),
                    )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect("champions:nominations")
    return render(request, "champions/network/decide.html", {"champion": champion, "form": form})


@role_required(Role.CHANGE_OFFICE)
@require_http_methods(["GET", "POST"])
def award_badge(request):
    """The change office awards a recognition badge to a champion."""
    form = BadgeAwardForm(request.POST or None, initial={"user": request.GET.get("user")})
    if request.method == "POST" and form.is_valid():
        try:
            award = badge_award(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("%(badge)s awarded to %(name)s.")
                % {"badge": award.badge.name, "name": award.user.get_full_name()},
            )
            return redirect("champions:directory")
    return render(request, "champions/network/award_badge.html", {"form": form})
