"""Wagtail admin: skills-check statements for content editors; menu links to HR screens."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.models import SelfAssessmentStatement
from lms.roles import Role
from tests.assessments.factories import default_framework
from tests.factories import make_staff

pytestmark = pytest.mark.django_db


def test_editor_edits_statements_but_cannot_delete(client):
    competence = default_framework().competences.get(code="1.1")
    statement = SelfAssessmentStatement.objects.create(competence=competence, text="I can search.")
    editor = make_staff(Role.CONTENT_EDITOR, user__username="editor1").user
    client.force_login(editor)
    assert client.get(reverse("selfassessment_statements:index")).status_code == 200
    response = client.post(
        reverse("selfassessment_statements:edit", args=[statement.pk]),
        {
            "competence": competence.pk,
            "text": "I can search well.",
            "sort_order": 0,
            "is_active": "",
        },
    )
    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.text == "I can search well." and not statement.is_active
    delete = client.get(reverse("selfassessment_statements:delete", args=[statement.pk]))
    assert delete.status_code in (302, 403)
    assert SelfAssessmentStatement.objects.filter(pk=statement.pk).exists()


def test_hr_admin_cannot_edit_statements_but_sees_the_certificate_links(client, hr_admin):
    client.force_login(hr_admin)
    response = client.get(reverse("selfassessment_statements:index"))
    assert response.status_code in (302, 403)
    home = client.get("/admin/").content.decode()
    assert reverse("assessments:certificate_list") in home
    assert reverse("assessments:certificate_exports") in home
    assert reverse("assessments:skills_overview") in home
