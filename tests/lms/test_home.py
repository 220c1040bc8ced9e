"""The home page shows each role what it can do."""

import pytest

from lms.roles import Role
from tests.factories import make_staff

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_sees_a_sign_in_link(client):
    response = client.get("/")

    assert response.status_code == 200
    assert b"Sign in with your staff account" in response.content


def test_learner_sees_only_learner_sections(client):
    client.force_login(make_staff(user__first_name="Lena").user)

    content = client.get("/").content.decode()

    assert "Welcome, Lena" in content
    assert "Your learning" in content
    assert "HR and learning administration" not in content
    assert "Change office" not in content


@pytest.mark.parametrize(
    ("role", "heading"),
    [
        (Role.HR_ADMIN, "HR and learning administration"),
        (Role.CHANGE_OFFICE, "Change office"),
        (Role.CONTENT_EDITOR, "Content"),
    ],
)
def test_admin_roles_see_their_section_and_the_admin_link(client, role, heading):
    client.force_login(make_staff(role).user)

    content = client.get("/").content.decode()

    assert f">{heading}<" in content
    assert 'href="/admin/"' in content


def test_municipality_name_comes_from_site_settings(client):
    from wagtail.models import Site

    from cms.models import MunicipalitySettings

    settings_row = MunicipalitySettings.for_site(Site.objects.get(is_default_site=True))
    settings_row.municipality_name = "Town of Lakeside"
    settings_row.save()

    assert b"Town of Lakeside" in client.get("/").content


def test_home_page_query_count_is_small(client, django_assert_max_num_queries):
    client.force_login(make_staff(Role.HR_ADMIN).user)
    with django_assert_max_num_queries(15):
        client.get("/")
