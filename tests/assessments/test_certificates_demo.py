"""The certificates and skills-check demo seeder: what it makes, and that it is idempotent."""

from __future__ import annotations

import pytest

from assessments.demo_certificates import seed_certificates_and_skills
from assessments.models import Certificate, SelfAssessment
from assessments.selectors.selfassessment import skills_heatmap
from tests.assessments.factories import complete_course
from tests.factories import DepartmentFactory, make_staff

pytestmark = pytest.mark.django_db


def test_seed_is_idempotent_and_fills_the_heat_map(learner):
    complete_course(learner)
    department = DepartmentFactory(name="Finance")
    for _ in range(5):
        make_staff(department=department)
    first = seed_certificates_and_skills(users={"learner": learner})
    assert first["certificates_issued"] == 1
    assert Certificate.objects.filter(user=learner).count() == 1
    assert SelfAssessment.objects.filter(user=learner, submitted_at__isnull=False).count() == 2
    rows = {row.label: row for row in skills_heatmap(scope=None).rows}
    assert not rows["Finance"].cells[0].suppressed

    again = seed_certificates_and_skills(users={"learner": learner})
    assert again == {"certificates_issued": 0, "skills_checks": 0}
    assert Certificate.objects.count() == 1
