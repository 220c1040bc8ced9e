"""Two-step sign-in: required for admin roles, optional for others, verified with TOTP codes."""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from lms.models import AuditEvent
from lms.roles import Role
from tests.factories import make_staff

pytestmark = pytest.mark.django_db


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.fixture
def mfa_on(settings):
    settings.MFA_REQUIRED = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # no waiting between attempts inside a test


def test_wrong_codes_in_a_row_make_the_person_wait(client, settings):
    settings.MFA_REQUIRED = True
    user = make_staff(Role.HR_ADMIN).user
    device = TOTPDevice.objects.create(user=user, confirmed=True, name="phone")
    client.force_login(user)

    client.post(reverse("mfa_verify"), {"token": "000000"})
    response = client.post(reverse("mfa_verify"), {"token": _code(device)})

    assert "Wait a few seconds" in response.content.decode()


def test_hr_admin_must_set_up_mfa_before_anything_else(client, mfa_on):
    client.force_login(make_staff(Role.HR_ADMIN).user)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_verify"))
    setup = client.get(reverse("mfa_verify"), follow=True)
    assert setup.redirect_chain[-1][0].startswith(reverse("mfa_setup"))
    assert b"<svg" in setup.content


def test_setup_with_a_valid_code_turns_mfa_on_and_lets_the_person_in(client, mfa_on):
    user = make_staff(Role.HR_ADMIN).user
    client.force_login(user)
    client.get(reverse("mfa_setup"))
    device = TOTPDevice.objects.get(user=user)

    wrong = client.post(reverse("mfa_setup"), {"token": "000000", "next": "/admin/"})
    assert wrong.status_code == 200
    assert "not right" in wrong.content.decode()

    response = client.post(reverse("mfa_setup"), {"token": _code(device), "next": "/admin/"})
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code == 200
    assert AuditEvent.objects.filter(action="auth.mfa_enabled", actor=user).exists()


def test_next_sign_in_asks_for_a_code(client, mfa_on, password):
    user = make_staff(Role.CHANGE_OFFICE, user__username="co").user
    device = TOTPDevice.objects.create(user=user, confirmed=True, name="phone")
    client.post("/accounts/login/", {"username": "co", "password": password})

    assert client.get("/").status_code == 302
    bad = client.post(reverse("mfa_verify"), {"token": "123456", "next": "/"})
    assert "not right" in bad.content.decode()
    assert AuditEvent.objects.filter(action="auth.mfa_failed").count() == 1
    good = client.post(reverse("mfa_verify"), {"token": _code(device), "next": "/"})
    assert good.status_code == 302
    assert client.get("/").status_code == 200


def test_learners_are_not_forced_but_may_opt_in(client, mfa_on, password):
    user = make_staff(user__username="lea").user
    client.force_login(user)
    assert client.get("/").status_code == 200

    TOTPDevice.objects.create(user=user, confirmed=True, name="phone")
    client.logout()
    client.post("/accounts/login/", {"username": "lea", "password": password})
    assert client.get("/").status_code == 302  # now they must enter a code too


def test_mfa_next_parameter_cannot_send_people_off_site(client, mfa_on):
    user = make_staff(Role.HR_ADMIN).user
    device = TOTPDevice.objects.create(user=user, confirmed=True, name="phone")
    client.force_login(user)

    response = client.post(
        reverse("mfa_verify"), {"token": _code(device), "next": "https://evil.example/"}
    )

    assert response["Location"] == "/"


def test_mfa_off_in_the_embedded_demo_by_default(client, settings):
    settings.MFA_REQUIRED = False
    client.force_login(make_staff(Role.HR_ADMIN).user)

    assert client.get("/admin/").status_code == 200
