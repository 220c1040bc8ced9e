"""Write to the audit trail. Every service that changes something that matters calls this."""

from __future__ import annotations

from django.db import models

from .models import AuditEvent


def _client_ip(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    action: str,
    actor=None,
    target: models.Model | None = None,
    target_label: str = "",
    request=None,
    **details,
) -> AuditEvent:
    """Append one audit event. ``action`` is a dotted verb such as ``certificate.revoked``."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEvent.objects.create(
        actor=actor,
        actor_label=actor.get_username() if actor is not None else "system",
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=(target_label or (str(target) if target is not None else ""))[:255],
        ip_address=_client_ip(request),
        details=details,
    )
