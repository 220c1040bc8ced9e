"""A person's rights over their data: a full export, and anonymisation of leavers.

Export: every row of every model that points at the person's user account or staff profile
(found by walking the model graph, so a new model is never forgotten), as JSON files in a ZIP,
plus the files other apps hand over through ``settings.PERSONAL_DATA_FILES`` (certificate PDFs).
Secrets are left out: password hashes, two-step sign-in keys, session data.

Anonymisation: a leaver past the retention period (site settings) keeps every training record,
so aggregate statistics (completion rates per department, job role, course) stay correct, but the
records no longer say who they were: name, e-mail, username, employee ID and location are
replaced, sign-in attempts and two-step devices deleted, and the audit trail's copies of their
name are replaced with the same pseudonym.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

from .audit import audit_record
from .models import AuditEvent, StaffProfile, StaffStatus

User = get_user_model()

# Fields never exported, per model label: secrets, not personal data the person needs.
SECRET_FIELDS: dict[str, set[str]] = {
    "auth.user": {"password"},
    "otp_totp.totpdevice": {"key"},
    "otp_static.staticdevice": set(),
    "otp_static.statictoken": {"token"},
}
# Models whose rows are not the person's data (or are secrets as a whole).
SKIPPED_MODELS = {"sessions.session", "otp_static.statictoken"}


@dataclass(frozen=True)
class PersonalDataFile:
    """A file another app holds about the person (e.g. a certificate PDF)."""

    name: str
    content: bytes


def _pointers(target: type[models.Model]) -> Iterator[tuple[type[models.Model], str]]:
    """(model, field name) for every concrete foreign key or one-to-one field to ``target``."""
    for model in apps.get_models():
        if model._meta.label_lower in SKIPPED_MODELS:
            continue
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is target:
                yield model, field.name


def _serialise(queryset: models.QuerySet) -> list[dict]:
    label = queryset.model._meta.label_lower
    hidden = SECRET_FIELDS.get(label, set())
    rows = serializers.serialize("python", queryset.order_by("pk"))
    for row in rows:
        for name in hidden:
            row["fields"].pop(name, None)
    return rows


def person_find(value: str):
    """The user with this employee ID, username or e-mail (case-insensitive), or None."""
    return (
        User.objects.filter(
            Q(profile__employee_id=value) | Q(username__iexact=value) | Q(email__iexact=value)
        )
        .order_by("pk")
        .first()
    )


def personal_data_collect(*, user) -> dict[str, list[dict]]:
    """Every row that points at ``user`` (or their staff profile), grouped by model label."""
    data: dict[str, list[dict]] = {"auth.user": _serialise(User.objects.filter(pk=user.pk))}
    profile = StaffProfile.objects.filter(user=user).first()
    targets: list[tuple[type[models.Model], models.Model]] = [(User, user)]
    if profile is not None:
        targets.append((StaffProfile, profile))
    from axes.models import AccessFailureLog, AccessLog

    for model in (AccessLog, AccessFailureLog):
        rows = _serialise(model.objects.filter(username=user.get_username()))
        if rows:
            data[model._meta.label_lower] = rows
    for target_model, instance in targets:
        for model, field_name in _pointers(target_model):
            queryset = model._default_manager.filter(**{field_name: instance})
            rows = _serialise(queryset)
            if rows:
                key = model._meta.label_lower
                seen = {row["pk"] for row in data.get(key, [])}
                data.setdefault(key, []).extend(row for row in rows if row["pk"] not in seen)
    return data


def personal_data_files(*, user) -> Iterable[PersonalDataFile]:
    """Files from the providers named in ``settings.PERSONAL_DATA_FILES``."""
    for path in getattr(settings, "PERSONAL_DATA_FILES", []):
        yield from import_string(path)(user=user)


def personal_data_export(*, user, actor=None, request=None) -> bytes:
    """A ZIP with ``manifest.json``, one JSON file per model and the person's files. Audited."""
    data = personal_data_collect(user=user)
    files = list(personal_data_files(user=user))
    manifest = {
        "person": {"id": user.pk, "username": user.get_username(), "email": user.email},
        "exported_at": timezone.now().isoformat(),
        "records": {label: len(rows) for label, rows in sorted(data.items())},
        "files": [item.name for item in files],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest, indent=2, cls=DjangoJSONEncoder))
        for label, rows in sorted(data.items()):
            archive.writestr(
                f"data/{label}.json", json.dumps(rows, indent=2, cls=DjangoJSONEncoder)
            )
        for item in files:
            archive.writestr(f"files/{item.name}", item.content)
    audit_record(
        action="privacy.exported",
        actor=actor,
        target=user,
        target_label=user.get_username(),
        request=request,
        records=sum(manifest["records"].values()),
        files=len(files),
    )
    return buffer.getvalue()


def retention_days() -> int:
    from wagtail.models import Site

    from cms.models import MunicipalitySettings

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return MunicipalitySettings._meta.get_field("leaver_retention_days").default
    return MunicipalitySettings.for_site(site).leaver_retention_days


def leavers_due_for_anonymisation(*, now=None) -> models.QuerySet[StaffProfile]:
    """Leavers whose retention period has passed and who still carry their identity."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=retention_days())
    return (
        StaffProfile.objects.filter(status=StaffStatus.LEAVER, left_at__lte=cutoff)
        .exclude(employee_id__startswith=ANONYMOUS_PREFIX)
        .select_related("user", "department")
        .order_by("left_at", "pk")
    )


ANONYMOUS_PREFIX = "former-"


class AnonymisationRefused(Exception):
    """The person is not a leaver past the retention period."""


@transaction.atomic
def person_anonymise(*, profile: StaffProfile, actor=None, request=None, now=None) -> None:
    """Replace a leaver's identity with a pseudonym, keeping every training record.

    Refused (``AnonymisationRefused``) for anyone who is not a leaver past the retention period.
    Idempotent: a person already anonymised is left as they are.
    """
    profile = StaffProfile.objects.select_for_update().select_related("user").get(pk=profile.pk)
    if profile.employee_id.startswith(ANONYMOUS_PREFIX):
        return
    now = now or timezone.now()
    if profile.status != StaffStatus.LEAVER or profile.left_at is None:
        raise AnonymisationRefused(f"{profile.employee_id} is not a leaver.")
    if profile.left_at > now - timedelta(days=retention_days()):
        raise AnonymisationRefused(
            f"{profile.employee_id} left on {profile.left_at:%Y-%m-%d}: their retention period "
            "has not ended yet."
        )
    user = profile.user
    old_labels = {user.get_username(), user.email, user.get_full_name(), str(profile)} - {""}
    pseudonym = f"{ANONYMOUS_PREFIX}{user.pk}"

    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_otp import devices_for_user

    for device in list(devices_for_user(user, confirmed=None)):
        device.delete()
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        model.objects.filter(username__in=old_labels).delete()

    user.username = pseudonym
    user.first_name = ""
    user.last_name = ""
    user.email = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
    profile.employee_id = pseudonym
    profile.location = ""
    profile.save(update_fields=["employee_id", "location", "updated_at"])
    profile.hr_departments.clear()

    # The audit trail is append-only; this is its one sanctioned rewrite: the copies of the
    # person's name become the pseudonym (ids stay, so the trail still reads end to end).
    AuditEvent.objects.filter(actor_label__in=old_labels).update(actor_label=pseudonym)
    AuditEvent.objects.filter(target_label__in=old_labels).update(target_label=pseudonym)
    audit_record(
        action="privacy.anonymised",
        actor=actor,
        target=profile,
        target_label=pseudonym,
        request=request,
    )


def leavers_anonymise_due(*, actor=None, now=None) -> list[int]:
    """Anonymise every leaver past the retention period; returns their profile ids."""
    done = []
    for profile in leavers_due_for_anonymisation(now=now):
        person_anonymise(profile=profile, actor=actor, now=now)
        done.append(profile.pk)
    return done
