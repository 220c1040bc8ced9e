"""Sign-in with username or e-mail, lockout with cool-off, leavers, password rules, sessions."""

import datetime as dt

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from lms.services import staff_mark_leaver
from tests.factories import make_staff

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def _post_login(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def test_sign_in_with_username(client, learner, password):
    response = _post_login(client, learner.username, password)

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(learner.pk)


def test_sign_in_with_email_in_any_case(client, learner, password):
    response = _post_login(client, learner.email.upper(), password)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(learner.pk)


def test_wrong_password_shows_a_specific_error(client, learner):
    response = _post_login(client, learner.username, "wrong")

    assert response.status_code == 200
    assert "is not right" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_after_five_failures_then_cools_off(client, learner, password, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _post_login(client, learner.username, "wrong")

    locked = _post_login(client, learner.username, password)
    assert locked.status_code == 429
    assert "Too many sign-in attempts" in locked.content.decode()

    # After the cool-off the right password works again: no permanent lock.
    from axes.models import AccessAttempt

    AccessAttempt.objects.update(attempt_time=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    response = _post_login(client, learner.username, password)
    assert response.status_code == 302


def test_lockout_of_one_address_does_not_lock_the_colleague_elsewhere(
    client, learner, password, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": learner.username, "password": "x"}, REMOTE_ADDR="10.9.9.9")

    response = client.post(
        LOGIN, {"username": learner.username, "password": password}, REMOTE_ADDR="10.1.1.1"
    )
    assert response.status_code == 302


def test_leaver_cannot_sign_in_and_keeps_records(client, password):
    profile = make_staff(user__username="leaving")
    staff_mark_leaver(profile=profile)

    response = _post_login(client, "leaving", password)

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    profile.refresh_from_db()
    assert profile.status == "leaver"
    assert profile.left_at is not None


def test_leaver_session_ends_on_next_request(client, password):
    profile = make_staff(user__username="leaving2")
    client.force_login(profile.user)
    staff_mark_leaver(profile=profile)

    response = client.get(reverse("password_change"))

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_password_change_ends_other_sessions(client, learner, password):
    from django.test import Client

    other_device = Client()
    other_device.force_login(learner)
    client.force_login(learner)

    response = client.post(
        reverse("password_change"),
        {
            "old_password": password,
            "new_password1": "a much longer passphrase 2026",
            "new_password2": "a much longer passphrase 2026",
        },
    )

    assert response.status_code == 302
    assert client.get(reverse("password_change")).status_code == 200
    assert other_device.get(reverse("password_change")).status_code == 302


def test_sign_out_needs_post_and_ends_the_session(client, learner):
    client.force_login(learner)

    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")

    assert response.status_code == 200
    assert "You have signed out" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("password", "ok"),
    [
        ("short1", False),  # fewer than 8 characters
        ("password", False),  # common
        ("12345678901", False),  # numeric only
        ("x" * 129, False),  # longer than the limit
        ("river otter lantern 7", True),
        ("a" * 20 + "Zq9!" + "b" * 40, True),  # 64+ characters are fine
    ],
)
def test_password_rules(password, ok):
    if ok:
        validate_password(password)
    else:
        with pytest.raises(ValidationError):
            validate_password(password)


def test_password_reset_sends_a_link(client, learner, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": learner.email})

    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert "/accounts/reset/" in mailoutbox[0].body


def test_pages_carry_a_csp_without_inline_script(client):
    response = client.get(LOGIN)

    csp = response["Content-Security-Policy"]
    script_src = next(part for part in csp.split(";") if part.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src
    assert "object-src 'none'" in csp
