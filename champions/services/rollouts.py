"""Write-side operations of service rollouts: services, affected departments, go-live changes
and the go-live-tied training rules.

Every change of a service's phase or go-live date (service-wide or for one department) goes
through here, whether it comes from the Wagtail admin form or from code: it is kept as a
``ServiceChange`` row, audited, and the training rules are brought in line so that due dates
follow go-live.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lms.audit import audit_record
from lms.models import Department, DueMode
from lms.outbox import outbox_enqueue

from ..models import (
    Service,
    ServiceChange,
    ServiceChangeField,
    ServiceDepartment,
    ServicePhase,
    ServiceTrainingRule,
)

# Training is assigned once a service leaves planning, and withdrawn when it is retired.
TRAINING_PHASES = frozenset({ServicePhase.PILOT, ServicePhase.ROLLOUT, ServicePhase.LIVE})

SCALAR_FIELDS = frozenset(
    {
        "name",
        "slug",
        "description",
        "owning_department",
        "phase",
        "go_live_date",
        "training_due_days_before",
        "staff_per_champion",
    }
)
M2M_FIELDS = frozenset(
    {"affected_job_roles", "pilot_group", "required_courses", "required_curricula"}
)


@dataclass(frozen=True)
class _State:
    """What a change is compared against: phase and go-live dates before the change."""

    phase: str
    go_live_date: dt.date | None
    department_go_lives: dict[int, dt.date | None]


def _state_of(service_id: int | None) -> _State | None:
    if service_id is None:
        return None
    row = Service.objects.filter(pk=service_id).values("phase", "go_live_date").first()
    if row is None:
        return None
    departments = dict(
        ServiceDepartment.objects.filter(service_id=service_id).values_list(
            "department_id", "go_live_date"
        )
    )
    return _State(row["phase"], row["go_live_date"], departments)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _record(
    *, service: Service, actor, field: str, old, new, department: Department | None = None
) -> None:
    ServiceChange.objects.create(
        service=service,
        department=department,
        field=field,
        old_value=_text(old),
        new_value=_text(new),
        changed_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    action = (
        "service.go_live_changed"
        if field == ServiceChangeField.GO_LIVE_DATE
        else "service.phase_changed"
    )
    details = {"field": field, "old": _text(old), "new": _text(new)}
    if department is not None:
        details.update(department_id=department.pk, department=department.name)
    audit_record(action=action, actor=actor, target=service, **details)


def _after_change(*, service: Service, before: _State | None, actor) -> None:
    """Record what changed against ``before``, then bring the training rules in line."""
    if before is not None:
        if before.phase != service.phase:
            _record(
                service=service,
                actor=actor,
                field=ServiceChangeField.PHASE,
                old=before.phase,
                new=service.phase,
            )
        if before.go_live_date != service.go_live_date:
            _record(
                service=service,
                actor=actor,
                field=ServiceChangeField.GO_LIVE_DATE,
                old=before.go_live_date,
                new=service.go_live_date,
            )
        rollouts = ServiceDepartment.objects.filter(service=service).select_related("department")
        for row in rollouts:
            old = before.department_go_lives.get(row.department_id)
            known = row.department_id in before.department_go_lives
            if row.go_live_date == old or not (known or row.go_live_date is not None):
                continue
            _record(
                service=service,
                actor=actor,
                field=ServiceChangeField.GO_LIVE_DATE,
                old=old,
                new=row.go_live_date,
                department=row.department,
            )
    service_training_sync(service=service, actor=actor)
    # Refresh today's snapshot so the services list reflects the change straight away.
    outbox_enqueue("champions.tasks.readiness_snapshot_service", service_id=service.pk)


def _set_m2m(service: Service, changes: dict) -> None:
    """Set the service's M2M lists and write them at once (parental M2M fields of a
    ClusterableModel only hold ``set()`` in memory until committed)."""
    for name in M2M_FIELDS & changes.keys():
        manager = getattr(service, name)
        manager.set(list(changes[name]))
        manager.commit()


@transaction.atomic
def service_create(
    *,
    actor,
    name: str,
    slug: str,
    description: str = "",
    owning_department: Department | None = None,
    phase: str = ServicePhase.PLANNING,
    go_live_date: dt.date | None = None,
    departments: Iterable[Department | tuple[Department, dt.date | None]] = (),
    affected_job_roles: Iterable = (),
    pilot_group: Iterable = (),
    required_courses: Iterable = (),
    required_curricula: Iterable = (),
    training_due_days_before: int = 14,
    staff_per_champion: int = 25,
) -> Service:
    """Create a service with its affected departments (each optionally with its own go-live
    date) and required training, and assign that training when the phase calls for it."""
    service = Service(
        name=name,
        slug=slug,
        description=description,
        owning_department=owning_department,
        phase=phase,
        go_live_date=go_live_date,
        training_due_days_before=training_due_days_before,
        staff_per_champion=staff_per_champion,
    )
    service.full_clean()
    service.save()
    _set_m2m(
        service,
        {
            "affected_job_roles": affected_job_roles,
            "pilot_group": pilot_group,
            "required_courses": required_courses,
            "required_curricula": required_curricula,
        },
    )
    for item in departments:
        department, department_go_live = item if isinstance(item, tuple) else (item, None)
        row = ServiceDepartment(
            service=service, department=department, go_live_date=department_go_live
        )
        row.full_clean()
        row.save()
    audit_record(action="service.created", actor=actor, target=service)
    _after_change(service=service, before=None, actor=actor)
    return service


@transaction.atomic
def service_update(*, service: Service, actor, **changes) -> Service:
    """Change a service's fields (and M2M lists such as ``required_courses``).

    Phase and go-live changes are kept in the history and audited; when go-live moves, the
    training rules' due dates move with it (open assignments follow and the people affected
    are e-mailed by the HR rule service).
    """
    unknown = set(changes) - SCALAR_FIELDS - M2M_FIELDS
    if unknown:
        raise ValueError(f"service_update does not change {sorted(unknown)}")
    service = Service.objects.select_for_update().get(pk=service.pk)
    before = _state_of(service.pk)
    for name in SCALAR_FIELDS & changes.keys():
        setattr(service, name, changes[name])
    service.full_clean()
    service.save()
    _set_m2m(service, changes)
    _after_change(service=service, before=before, actor=actor)
    return service


@transaction.atomic
def service_department_set(
    *,
    service: Service,
    department: Department,
    actor,
    go_live_date: dt.date | None = None,
    staff_per_champion: int | None = None,
) -> ServiceDepartment:
    """Add a department to a service's rollout, or change its go-live date and ratio."""
    service = Service.objects.select_for_update().get(pk=service.pk)
    before = _state_of(service.pk)
    row = ServiceDepartment.objects.filter(service=service, department=department).first()
    row = row or ServiceDepartment(service=service, department=department)
    row.go_live_date = go_live_date
    row.staff_per_champion = staff_per_champion
    row.full_clean()
    row.save()
    _after_change(service=service, before=before, actor=actor)
    return row


@transaction.atomic
def service_department_set_go_live(
    *, service: Service, department: Department, go_live_date: dt.date | None, actor
) -> ServiceDepartment:
    """Move one affected department's go-live date (None: follow the service's date)."""
    row = ServiceDepartment.objects.filter(service=service, department=department).first()
    if row is None:
        raise ValidationError(
            _("%(department)s is not affected by %(service)s.")
            % {"department": department, "service": service}
        )
    return service_department_set(
        service=service,
        department=department,
        actor=actor,
        go_live_date=go_live_date,
        staff_per_champion=row.staff_per_champion,
    )


@transaction.atomic
def service_department_remove(*, service: Service, department: Department, actor) -> None:
    """Take a department out of a service's rollout; its training rules are withdrawn."""
    service = Service.objects.select_for_update().get(pk=service.pk)
    before = _state_of(service.pk)
    ServiceDepartment.objects.filter(service=service, department=department).delete()
    _after_change(service=service, before=before, actor=actor)


@transaction.atomic
def service_save_from_form(*, form, actor) -> Service:
    """Save the Wagtail admin's service form (fields, affected departments inline, M2M lists)
    and then do what every service change does: history, audit, training rules."""
    instance = form.instance
    if instance.pk is not None:
        Service.objects.select_for_update().filter(pk=instance.pk).first()
    before = _state_of(instance.pk)
    created = instance.pk is None
    service = form.save()
    if created:
        audit_record(action="service.created", actor=actor, target=service)
    _after_change(service=service, before=before, actor=actor)
    return service


def _rule_name(service: Service, department: Department, title: str) -> str:
    return f"{service.name}: {title} — {department.name}"[:200]


def _hr():
    # Imported when rules are written, not at import time: lms.hr is a lower app, loaded late.
    from lms.hr import services as hr_services

    return hr_services


@transaction.atomic
def service_training_sync(*, service: Service, actor=None) -> int:
    """Make the HR assignment rules match the service: one per (affected department, required
    course or curriculum), due ``training_due_days_before`` days before that department's
    go-live. Rules no longer wanted are switched off. Returns how many rules changed.

    Existing rules are changed through ``assignment_rule_update``, which moves the due dates
    of open assignments and tells the people affected.
    """
    service = Service.objects.get(pk=service.pk)
    active = service.phase in TRAINING_PHASES
    rollouts = list(ServiceDepartment.objects.filter(service=service).select_related("department"))
    courses = list(service.required_courses.all())
    curricula = list(service.required_curricula.all())
    job_roles = list(service.affected_job_roles.all())
    job_role_ids = {role.pk for role in job_roles}
    existing = {
        (link.department_id, link.course_id, link.curriculum_id): link
        for link in ServiceTrainingRule.objects.filter(service=service).select_related("rule")
    }
    wanted: set[tuple[int, int | None, int | None]] = set()
    changed = 0
    if active:
        for row in rollouts:
            go_live = row.effective_go_live(service)
            due_date = (
                go_live - dt.timedelta(days=service.training_due_days_before) if go_live else None
            )
            due_mode = DueMode.FIXED if due_date else DueMode.NONE
            items = [(course, None, course.title) for course in courses] + [
                (None, curriculum, curriculum.name) for curriculum in curricula
            ]
            for course, curriculum, title in items:
                key = (
                    row.department_id,
                    course.pk if course else None,
                    curriculum.pk if curriculum else None,
                )
                wanted.add(key)
                link = existing.get(key)
                if link is None:
                    rule = _hr().assignment_rule_create(
                        name=_rule_name(service, row.department, title),
                        course=course,
                        curriculum=curriculum,
                        departments=[row.department],
                        include_subdepartments=True,
                        job_roles=job_roles,
                        required=True,
                        due_mode=due_mode,
                        due_date=due_date,
                        service=service,
                        created_by=actor if getattr(actor, "is_authenticated", False) else None,
                    )
                    ServiceTrainingRule.objects.create(
                        service=service,
                        department=row.department,
                        course=course,
                        curriculum=curriculum,
                        rule=rule,
                    )
                    changed += 1
                    continue
                rule = link.rule
                updates: dict = {}
                if rule.due_mode != due_mode or rule.due_date != due_date:
                    updates.update(due_mode=due_mode, due_date=due_date)
                if not rule.is_active:
                    updates["is_active"] = True
                if set(rule.job_roles.values_list("pk", flat=True)) != job_role_ids:
                    updates["job_roles"] = job_roles
                if updates:
                    _hr().assignment_rule_update(rule=rule, actor=actor, **updates)
                    changed += 1
    for key, link in existing.items():
        if key not in wanted and link.rule.is_active:
            _hr().assignment_rule_update(rule=link.rule, actor=actor, is_active=False)
            changed += 1
    return changed
