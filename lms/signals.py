"""Audit receivers for events that happen inside Django and its libraries (sign-in, lockouts,
role changes from any screen) — they only record, they never change data — and the receivers
that forget cached roles and authenticator flags when those change."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django_otp.plugins.otp_totp.models import TOTPDevice

from .audit import audit_record
from .cache import forget, new_generation
from .permissions import ROLES_GENERATION


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs):
    audit_record(
        action="auth.login_failed",
        request=request,
        target_label=str(credentials.get("username", ""))[:150],
    )


@receiver(user_logged_in)
def audit_logged_in(sender, request, user, **kwargs):
    audit_record(action="auth.login", actor=user, target=user, request=request)


def _connect_axes():
    from axes.signals import user_locked_out

    @receiver(user_locked_out, weak=False)
    def audit_locked_out(sender, request, username, ip_address, **kwargs):
        audit_record(
            action="auth.locked_out",
            request=request,
            target_label=str(username or "")[:150],
            ip=ip_address,
        )


_connect_axes()


@receiver(m2m_changed, sender=get_user_model().groups.through)
def audit_groups_changed(sender, instance, action, pk_set, reverse, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if reverse:  # group.user_set changed: instance is the group
        names = [instance.name]
        users = list(get_user_model().objects.filter(pk__in=pk_set or []))
    else:
        names = list(Group.objects.filter(pk__in=pk_set or []).values_list("name", flat=True))
        users = [instance]
    for user in users:
        audit_record(
            action=f"user.groups_{action.split('_', 1)[1]}",
            target=user,
            groups=names,
        )


@receiver(m2m_changed, sender=Group.permissions.through)
def audit_group_permissions_changed(sender, instance, action, pk_set, reverse, **kwargs):
    if action in {"post_add", "post_remove", "post_clear"} and not reverse:
        audit_record(
            action=f"group.permissions_{action.split('_', 1)[1]}",
            target=instance,
            permission_ids=sorted(pk_set or []),
        )


# --- Cached lookups (lms.permissions.group_names, lms.mfa.has_confirmed_device) --------------


@receiver(m2m_changed, sender=get_user_model().groups.through)
def roles_changed(sender, action, **kwargs):
    if action in {"post_add", "post_remove", "post_clear", "pre_clear"}:
        new_generation(ROLES_GENERATION)


@receiver([post_save, post_delete], sender=Group)
def group_changed(sender, **kwargs):
    new_generation(ROLES_GENERATION)


@receiver([post_save, post_delete], sender=TOTPDevice)
def mfa_device_changed(sender, instance, **kwargs):
    from .mfa import mfa_device_key

    forget(mfa_device_key(instance.user_id))
