"""seed_demo: idempotent, refused under production settings."""

import pytest
from django.core.management import CommandError, call_command

from lms.models import Department, StaffProfile

pytestmark = pytest.mark.django_db


def test_seed_demo_organisation_is_idempotent():
    from lms import demo

    demo.seed()
    counts = (Department.objects.count(), StaffProfile.objects.count())
    demo.seed()

    assert counts == (Department.objects.count(), StaffProfile.objects.count())
    assert counts[0] >= 8
    assert counts[1] >= 200
    assert StaffProfile.objects.filter(manager__isnull=False).count() >= 200
    for username in ["learner", "manager", "champion", "hr", "changeoffice", "editor", "admin"]:
        assert StaffProfile.objects.filter(user__username=username).exists()


def test_demo_accounts_sign_in_with_the_published_password(client):
    from lms import demo

    demo.seed()

    response = client.post(
        "/accounts/login/", {"username": "learner", "password": "civicskills-demo"}
    )
    assert response.status_code == 302


def test_seed_demo_refuses_production_settings(settings):
    settings.SETTINGS_MODULE = "lms.settings.production"
    settings.DEBUG = False

    with pytest.raises(CommandError, match="refused under production settings"):
        call_command("seed_demo")
