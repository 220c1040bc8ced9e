"""The digital-skills self-assessment: taking it, the profile, change, gaps, recommendations,
and the aggregated heat map (privacy threshold, HR scope)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse

from assessments.models import SelfAssessment, SelfAssessmentStatement
from assessments.panels import recommendations_panel
from assessments.selectors.selfassessment import (
    recommendations_for,
    selfassessment_profile,
    skills_heatmap,
)
from assessments.services.selfassessment import (
    DEFAULT_STATEMENTS,
    selfassessment_save_answers,
    selfassessment_start,
    selfassessment_submit,
)
from courses.models import CourseCompetence, JobRoleTarget
from lms.roles import Role
from tests.assessments.factories import (
    complete_course,
    default_framework,
    make_course,
    take_selfassessment,
)
from tests.factories import DepartmentFactory, JobRoleFactory, make_staff

pytestmark = pytest.mark.django_db


def _competence(code: str):
    return default_framework().competences.get(code=code)


def test_default_statements_cover_every_digcomp_competence(learner):
    selfassessment_start(user=learner)
    framework = default_framework()
    for competence in framework.competences.all():
        assert SelfAssessmentStatement.objects.filter(competence=competence).exists()
    assert SelfAssessmentStatement.objects.filter(text=DEFAULT_STATEMENTS["1.1"][0]).exists()


def test_starting_again_continues_the_open_sitting(learner):
    assert selfassessment_start(user=learner) == selfassessment_start(user=learner)


def test_submit_requires_every_statement(learner):
    assessment = selfassessment_start(user=learner)
    with pytest.raises(ValidationError, match="still need"):
        selfassessment_submit(assessment=assessment)


def test_levels_outside_the_scale_are_refused(learner):
    assessment = selfassessment_start(user=learner)
    statement = SelfAssessmentStatement.objects.first()
    with pytest.raises(ValidationError):
        selfassessment_save_answers(assessment=assessment, answers={statement.pk: 9})
    assert not assessment.answers.exists()


def test_profile_change_gap_and_recommendations(learner):
    safety = _competence("4.1")
    privacy = _competence("4.2")
    JobRoleTarget.objects.create(job_role=learner.profile.job_role, competence=safety, level=5)
    JobRoleTarget.objects.create(job_role=learner.profile.job_role, competence=privacy, level=2)
    security_course = make_course("Secure devices")
    CourseCompetence.objects.create(course=security_course, competence=safety)
    unrelated = make_course("Spreadsheets")
    CourseCompetence.objects.create(course=unrelated, competence=_competence("3.4"))

    take_selfassessment(learner, lambda s: 2)
    second = take_selfassessment(learner, lambda s: 4 if s.competence.code == "4.1" else 3)
    assert SelfAssessment.objects.filter(user=learner, is_latest=True).get() == second

    profile = selfassessment_profile(assessment=second)
    assert profile.previous is not None
    rows = {row.competence.code: row for area in profile.areas for row in area.competences}
    assert rows["4.1"].level == Decimal("4.00")
    assert rows["4.1"].change == Decimal("2.00")
    assert rows["4.1"].gap == Decimal("1.00")
    assert rows["4.2"].gap == 0
    assert [row.competence.code for row in profile.gaps] == ["4.1"]
    assert profile.recommendations == [security_course]
    safety_area = next(area for area in profile.areas if area.area.code == "4")
    assert safety_area.change is not None and safety_area.change > 0

    # A completed course is no longer recommended.
    complete_course(learner, security_course)
    assert recommendations_for(learner)[1] == []


def test_result_page_and_its_denials(client, learner, other_learner):
    assessment = take_selfassessment(learner)
    url = reverse("assessments:self_assessment_result", args=[assessment.pk])
    assert client.get(url).status_code == 302
    client.force_login(other_learner)
    assert client.get(url).status_code == 404
    client.force_login(learner)
    response = client.get(url)
    assert response.status_code == 200
    assert "Your digital skills profile" in response.content.decode()


def test_taking_the_check_through_the_pages(learner_client, learner):
    response = learner_client.post(reverse("assessments:self_assessment"))
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:self_assessment_step", args=[1])
    step = 1
    while True:
        page = learner_client.get(reverse("assessments:self_assessment_step", args=[step]))
        assert page.status_code == 200
        form = page.context["form"]
        # Submitting with nothing rated shows an error at the field.
        if step == 1:
            invalid = learner_client.post(reverse("assessments:self_assessment_step", args=[1]))
            assert "Choose the level that fits you best." in invalid.content.decode()
        data = dict.fromkeys(form.fields, "3")
        response = learner_client.post(
            reverse("assessments:self_assessment_step", args=[step]), data
        )
        assert response.status_code == 302
        if "results" in response["Location"]:
            break
        step += 1
    assert step == default_framework().areas.count()
    assessment = SelfAssessment.objects.get(user=learner)
    assert assessment.submitted_at is not None
    assert response["Location"] == reverse(
        "assessments:self_assessment_result", args=[assessment.pk]
    )
    start = learner_client.get(reverse("assessments:self_assessment")).content.decode()
    assert "Take the skills check again" in start


def test_the_check_needs_sign_in(client):
    response = client.get(reverse("assessments:self_assessment"))
    assert response.status_code == 302


def test_recommendations_panel(learner):
    request = RequestFactory().get("/")
    request.user = learner
    panel = recommendations_panel(request)
    assert panel["context"]["latest"] is None
    course = make_course("Find information")
    CourseCompetence.objects.create(course=course, competence=_competence("1.1"))
    take_selfassessment(learner, lambda s: 1)
    panel = recommendations_panel(request)
    assert panel["context"]["courses"] == [course]


def test_recommendations_panel_on_my_learning(learner_client, learner):
    course = make_course("Find information")
    CourseCompetence.objects.create(course=course, competence=_competence("1.1"))
    take_selfassessment(learner, lambda s: 1)
    page = learner_client.get(reverse("courses:my_learning")).content.decode()
    assert "Courses for your digital skills" in page
    assert "Find information" in page


# --- The heat map ------------------------------------------------------------------------------


def _people(department, job_role, count: int, level: int):
    for _ in range(count):
        take_selfassessment(
            make_staff(department=department, job_role=job_role).user, lambda s, lv=level: lv
        )


def test_heatmap_suppresses_small_groups():
    role = JobRoleFactory(name="Clerk")
    finance, parks = DepartmentFactory(name="Finance"), DepartmentFactory(name="Parks")
    _people(finance, role, 5, 4)
    _people(parks, role, 4, 2)
    heatmap = skills_heatmap(scope=None)
    rows = {row.label: row for row in heatmap.rows}
    assert rows["Finance"].people == 5
    assert all(
        cell.level == Decimal("4.0") and not cell.suppressed for cell in rows["Finance"].cells
    )
    assert all(cell.suppressed and cell.level is None for cell in rows["Parks"].cells)
    assert rows["Finance"].cells[0].css_class == "cs-heat-4"
    # The total row uses everyone (9 people).
    assert heatmap.total.people == 9
    assert heatmap.total.cells[0].level == Decimal("3.1")
    by_role = skills_heatmap(scope=None, by="job_role")
    assert by_role.rows[0].label == "Clerk"


def test_overview_page_scope_and_privacy(client, django_assert_max_num_queries):
    role = JobRoleFactory(name="Clerk")
    finance, parks = DepartmentFactory(name="Finance"), DepartmentFactory(name="Parks")
    hr = make_staff(Role.HR_ADMIN, user__username="hr_parks")
    hr.hr_departments.add(parks)
    client.force_login(hr.user)
    url = reverse("assessments:skills_overview")
    for count in (5, 7):
        _people(finance, role, count - (5 if count == 7 else 0) if count == 7 else count, 4)
        _people(parks, role, 2 if count == 5 else 3, 3)
        with django_assert_max_num_queries(20):
            response = client.get(url)
        body = response.content.decode()
        assert "Parks" in body
        assert "Finance" not in body, "HR admins only see their departments"
        assert "fewer than 5 people" in body


def test_overview_denials(client, learner):
    url = reverse("assessments:skills_overview")
    assert client.get(url).status_code == 302
    client.force_login(learner)
    assert client.get(url).status_code == 403
    client.force_login(make_staff(Role.CHANGE_OFFICE, user__username="co").user)
    assert client.get(url).status_code == 200


def test_individual_results_need_the_permission(client, django_assert_max_num_queries):
    role = JobRoleFactory(name="Clerk")
    finance = DepartmentFactory(name="Finance")
    hr = make_staff(Role.HR_ADMIN, user__username="hr_all", hr_all_departments=True)
    url = reverse("assessments:skills_people")
    client.force_login(hr.user)
    assert client.get(url).status_code == 403
    hr.user.user_permissions.add(Permission.objects.get(codename="view_individual_selfassessment"))
    hr.user = type(hr.user).objects.get(pk=hr.user.pk)
    client.force_login(hr.user)
    for count in (2, 6):
        _people(finance, role, count - SelfAssessment.objects.count(), 3)
        with django_assert_max_num_queries(20):
            response = client.get(url)
        assert response.status_code == 200
        assert len(response.context["rows"]) == count
        assert response.context["rows"][0][2][0] == Decimal("3.00")
