"""Staff-site views of the digital-skills self-assessment: take it, see the result, and the
aggregated overview (heat map) and individual results for HR and the change office."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from lms.permissions import has_role, role_required
from lms.roles import Role

from ..forms.selfassessment import SelfAssessmentStepForm
from ..models import SelfAssessment
from ..selectors import selfassessment as selectors
from ..services import selfassessment as services

PEOPLE_PER_PAGE = 50


@require_http_methods(["GET", "POST"])
@role_required()
def self_assessment(request):
    """Start page: what the check is, the person's past results; POST starts or continues."""
    if request.method == "POST":
        try:
            assessment = services.selfassessment_start(user=request.user)
        except ValidationError as error:
            return render(
                request,
                "assessments/selfassessment/start.html",
                {"error": " ".join(error.messages), "history": [], "open": None},
                status=409,
            )
        steps = selectors.selfassessment_steps(assessment.framework)
        answers = selectors.selfassessment_answers(assessment)
        number = next(
            (s.number for s in steps if any(st.pk not in answers for st in s.statements)),
            len(steps) or 1,
        )
        return redirect("assessments:self_assessment_step", number=number)
    return render(
        request,
        "assessments/selfassessment/start.html",
        {
            "history": selectors.selfassessment_history(request.user),
            "open": selectors.selfassessment_open(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
@role_required()
def self_assessment_step(request, number: int):
    """One area of the check. Saving the last area submits the check and shows the result."""
    assessment = selectors.selfassessment_open(request.user)
    if assessment is None:
        return redirect("assessments:self_assessment")
    steps = selectors.selfassessment_steps(assessment.framework)
    if not 1 <= number <= len(steps):
        raise Http404
    step = steps[number - 1]
    levels = selectors.selfassessment_levels(assessment.framework)
    form = SelfAssessmentStepForm(
        request.POST if request.method == "POST" else None,
        statements=step.statements,
        levels=levels,
        initial_answers=selectors.selfassessment_answers(assessment),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.selfassessment_save_answers(assessment=assessment, answers=form.answers())
            if number < len(steps):
                return redirect("assessments:self_assessment_step", number=number + 1)
            assessment = services.selfassessment_submit(assessment=assessment)
            return redirect("assessments:self_assessment_result", pk=assessment.pk)
        except ValidationError as error:
            form.add_error(None, error)
    return render(
        request,
        "assessments/selfassessment/step.html",
        {
            "form": form,
            "step": step,
            "steps": steps,
            "levels": levels,
            "is_last": number == len(steps),
            "previous_number": number - 1 if number > 1 else None,
        },
    )


@require_http_methods(["GET"])
@role_required()
def self_assessment_result(request, pk: int):
    """A person's own submitted result: profile, change since last time, gaps, courses."""
    assessment = (
        SelfAssessment.objects.select_related("framework", "user")
        .filter(pk=pk, user=request.user, submitted_at__isnull=False)
        .first()
    )
    if assessment is None:
        raise Http404
    return render(
        request,
        "assessments/selfassessment/result.html",
        {
            "profile": selectors.selfassessment_profile(assessment=assessment),
            "levels": selectors.selfassessment_levels(assessment.framework),
        },
    )


@require_http_methods(["GET"])
@role_required(Role.HR_ADMIN, Role.CHANGE_OFFICE)
def skills_overview(request):
    """Heat map of average self-assessed level per area, by department or job role."""
    by = request.GET.get("by", "department")
    scope = selectors.overview_scope(request.user)
    heatmap = selectors.skills_heatmap(scope=scope, by=by)
    return render(
        request,
        "assessments/selfassessment/overview.html",
        {
            "heatmap": heatmap,
            "can_view_people": request.user.has_perm("assessments.view_individual_selfassessment"),
        },
    )


@require_http_methods(["GET"])
@role_required(Role.HR_ADMIN, Role.CHANGE_OFFICE)
def skills_people(request):
    """Individual latest results: only with assessments.view_individual_selfassessment."""
    if not (
        has_role(request.user, Role.SITE_ADMIN)
        or request.user.has_perm("assessments.view_individual_selfassessment")
    ):
        raise PermissionDenied
    scope = selectors.overview_scope(request.user)
    filterset = selectors.PeopleFilterSet(
        request.GET or None, queryset=selectors.skills_people(scope=scope), scope=scope
    )
    page = Paginator(filterset.qs, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    areas = selectors.default_areas()
    rows = []
    for profile in page.object_list:
        latest = profile.user.latest[0] if profile.user.latest else None
        by_area = (
            {score.area_id: score.level for score in latest.area_scores.all()} if latest else {}
        )
        rows.append((profile, latest, [by_area.get(area.pk) for area in areas]))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "assessments/selfassessment/people.html",
        {
            "filter": filterset,
            "page": page,
            "rows": rows,
            "areas": areas,
            "query": query.urlencode(),
            "overview_url": reverse("assessments:skills_overview"),
        },
    )
