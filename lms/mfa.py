"""Multi-factor sign-in with TOTP (django-otp).

Required for the admin roles (HR, change office, content editors, site admins) when
``settings.MFA_REQUIRED`` is on (production); optional for everyone else, who can turn it on
from "Two-step sign-in". Once a person has a confirmed authenticator, every sign-in asks for a
code, whatever their role.
"""

from __future__ import annotations

import base64

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from .audit import audit_record
from .cache import cached, prefetch
from .permissions import group_names_key, uses_admin
from .qr import qr_svg

# Paths a signed-in but not yet verified person may still open.
_EXEMPT_PREFIXES = ("/accounts/mfa/", "/accounts/logout/", "/static/", "/healthz")


def mfa_required_for(user) -> bool:
    """Must this person pass a second factor before using the site?"""
    if not user.is_authenticated:
        return False
    if has_confirmed_device(user.pk):
        return True
    return bool(getattr(settings, "MFA_REQUIRED", False)) and uses_admin(user)


def has_confirmed_device(user_id: int) -> bool:
    """Does this person have a confirmed authenticator? Remembered in the cache; every save or
    delete of a device forgets it (lms.signals), so a new device is asked for at once."""

    def load() -> bool:
        return TOTPDevice.objects.filter(user_id=user_id, confirmed=True).exists()

    return cached(mfa_device_key(user_id), load)


def mfa_device_key(user_id: int) -> str:
    return f"mfa-device:{user_id}"


class RequireMFAMiddleware:
    """Send signed-in people who need a second factor to set one up or enter a code."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        # The two per-person lookups nearly every page makes, in one cache round trip.
        prefetch(*filter(None, (mfa_device_key(user.pk), group_names_key(user.pk))))
        if (
            not user.is_verified()
            and not request.path.startswith(_EXEMPT_PREFIXES)
            and mfa_required_for(user)
        ):
            return redirect(f"{reverse('mfa_verify')}?next={request.get_full_path()}")
        return self.get_response(request)


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("6-digit code from your authenticator app"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "class": "usa-input"}
        ),
    )


def _throttled_message() -> str:
    # django-otp doubles the wait after each wrong code, so guessing is slow.
    return _("Too many wrong codes in a row. Wait a few seconds, then try the newest code.")


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


@login_required
def mfa_verify(request):
    """Enter a code from the authenticator app (or set one up if there is none yet)."""
    if request.user.is_verified():
        return redirect(_next_url(request))
    devices = list(TOTPDevice.objects.devices_for_user(request.user, confirmed=True))
    if not devices:
        return redirect(f"{reverse('mfa_setup')}?next={_next_url(request)}")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"].replace(" ", "")
        throttled = False
        for device in devices:
            allowed, _reason = device.verify_is_allowed()
            throttled = throttled or not allowed
            if allowed and device.verify_token(token):
                otp_login(request, device)
                return redirect(_next_url(request))
        audit_record(action="auth.mfa_failed", actor=request.user, request=request)
        form.add_error(
            "token",
            _throttled_message()
            if throttled
            else _("That code is not right or has expired. Try the newest code."),
        )
    return render(
        request, "registration/mfa_verify.html", {"form": form, "next": _next_url(request)}
    )


@login_required
def mfa_setup(request):
    """Add an authenticator app: scan the QR code, then confirm with a first code."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).order_by(
        "-pk"
    ).first() or TOTPDevice.objects.create(
        user=request.user, name="Authenticator app", confirmed=False
    )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _reason = device.verify_is_allowed()
        if not allowed:
            form.add_error("token", _throttled_message())
        elif device.verify_token(form.cleaned_data["token"].replace(" ", "")):
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
                audit_record(action="auth.mfa_enabled", actor=request.user, request=request)
            otp_login(request, device)
            messages.success(request, _("Two-step sign-in is on for your account."))
            return redirect(_next_url(request))
        else:
            form.add_error(
                "token",
                _("That code is not right. Check the time on your phone and try the newest code."),
            )
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    context = {
        "form": form,
        "next": _next_url(request),
        "qr": qr_svg(
            device.config_url, label=_("QR code to add CivicSkills to your authenticator app")
        ),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "required": mfa_required_for(request.user) or uses_admin(request.user),
    }
    return render(request, "registration/mfa_setup.html", context)
