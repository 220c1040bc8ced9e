"""Demo data of certificates and the skills check (called from assessments.demo.seed).

Idempotent: running it again adds nothing. The demo learner gets the certificate of the course
the courses demo completed for them, and two skills checks two months apart (so "change since
last time" shows); staff across departments take the check so the heat map has cells of five
people or more; a few more job roles get a target profile.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db.models import Count
from django.utils import timezone

from courses.models import Competence, CompetencyFramework, JobRoleTarget
from lms.models import JobRole, StaffProfile, StaffStatus

from .models import SelfAssessment, SelfAssessmentStatement
from .services.certificates import certificates_catch_up
from .services.selfassessment import (
    selfassessment_save_answers,
    selfassessment_start,
    selfassessment_submit,
)

# Targets for job roles the courses demo does not cover (competence code → level).
EXTRA_TARGETS = {
    "Accounts Payable Clerk": {"1.3": 4, "3.4": 3, "4.1": 3, "4.2": 4},
    "Service Desk Technician": {"4.1": 5, "5.1": 5, "5.2": 4},
    "Recreation Programmer": {"2.1": 3, "2.3": 3, "3.1": 3},
}
DEPARTMENTS_WITH_DATA = 4
PEOPLE_PER_DEPARTMENT = 6


def _take(user, levels: dict[int, int], *, when: dt.datetime | None = None) -> SelfAssessment:
    assessment = selfassessment_start(user=user)
    selfassessment_save_answers(assessment=assessment, answers=levels)
    assessment = selfassessment_submit(assessment=assessment)
    if when is not None:
        SelfAssessment.objects.filter(pk=assessment.pk).update(started_at=when, submitted_at=when)
    return assessment


def _levels(statements, rng: random.Random, base: int) -> dict[int, int]:
    return {s.pk: max(1, min(8, base + rng.choice((-1, 0, 0, 1)))) for s in statements}


def seed_certificates_and_skills(stdout=None, users=None, **ctx) -> dict:
    """Seed certificates and skills checks; returns counts."""
    issued = certificates_catch_up()
    framework = CompetencyFramework.objects.filter(is_default=True).first()
    if framework is None:
        if stdout is not None:
            stdout.write("  certificates: no default framework, skills checks skipped")
        return {"certificates_issued": issued, "skills_checks": 0}
    competences = {c.code: c for c in Competence.objects.filter(framework=framework)}
    for role_name, targets in EXTRA_TARGETS.items():
        role = JobRole.objects.filter(name=role_name).first()
        for code, level in targets.items():
            if role is not None and code in competences:
                JobRoleTarget.objects.get_or_create(
                    job_role=role, competence=competences[code], defaults={"level": level}
                )
    rng = random.Random(2025)  # noqa: S311 - demo data, not security
    taken = 0
    learner = (users or {}).get("learner")
    if learner is not None and not SelfAssessment.objects.filter(user=learner).exists():
        selfassessment_start(user=learner)  # adds the default statements
        statements = list(
            SelfAssessmentStatement.objects.filter(
                is_active=True, competence__framework=framework
            ).order_by("pk")
        )
        _take(learner, _levels(statements, rng, 2), when=timezone.now() - dt.timedelta(days=60))
        _take(learner, _levels(statements, rng, 3))
        taken += 2
    statements = list(
        SelfAssessmentStatement.objects.filter(
            is_active=True, competence__framework=framework
        ).order_by("pk")
    )
    departments = (
        StaffProfile.objects.filter(status=StaffStatus.ACTIVE, department__isnull=False)
        .values("department_id")
        .annotate(people=Count("pk"))
        .filter(people__gte=5)
        .order_by("-people", "department_id")[:DEPARTMENTS_WITH_DATA]
    )
    for index, row in enumerate(departments):
        people = (
            StaffProfile.objects.filter(
                department_id=row["department_id"], status=StaffStatus.ACTIVE
            )
            .select_related("user")
            .order_by("employee_id")[:PEOPLE_PER_DEPARTMENT]
        )
        for profile in people:
            if SelfAssessment.objects.filter(user=profile.user).exists():
                continue
            _take(profile.user, _levels(statements, rng, 2 + index % 3))
            taken += 1
    if stdout is not None:
        stdout.write(f"  certificates: {issued} certificates issued, {taken} skills checks taken")
    return {"certificates_issued": issued, "skills_checks": taken}
