"""Write-side operations of HR: assignment rules, assignments and recertification.

The public API other apps call (champions assigns go-live training through it):
``assignment_rule_create``, ``assignment_rule_update``, ``assignment_rule_apply``,
``assignments_refresh_for_people`` and ``assignments_create``.

Assigning is set-based: for a batch of people, one bulk enrolment, one read of the
assignments they already have, one bulk insert and one bulk update, however many people a
rule covers. Unique (user, course, cycle) on ``Assignment`` makes every step idempotent.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import BooleanField, ExpressionWrapper, F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.audit import audit_record
from lms.models import (
    Assignment,
    AssignmentRule,
    AssignmentStatus,
    Curriculum,
    DueMode,
    RoleFamily,
    StaffProfile,
    StaffStatus,
)
from lms.outbox import outbox_enqueue
from lms.permissions import department_descendant_ids
from lms.sql import ids_in, ids_value, insert_columns, insert_select

from .filters import COMPLETED_Q, StaffFilterSet
from .report_cache import compliance_data_changed

User = get_user_model()

# Above this many people a rule is applied by a Celery task rather than in the request.
LARGE_RULE_PEOPLE = 500
PEOPLE_BATCH = 1000
# People per step of the set-based assignment engine: each step scans the enrolments and
# assignments of the courses once, so fewer, larger steps are faster (and 10,000 ids stay well
# inside SQLite's 32,766 parameters of a statement).
ASSIGN_BATCH = 10_000
# A completion this close to expiry is assigned again (recertification).
RECERTIFY_LEAD_DAYS = 30

RULE_TERM_FIELDS = ("due_mode", "due_date", "due_days", "service", "service_id")
RULE_SCOPE_FIELDS = (
    "everyone",
    "departments",
    "include_subdepartments",
    "job_roles",
    "role_families",
    "people",
    "staff_filter",
    "is_active",
)
RULE_M2M_FIELDS = ("departments", "job_roles", "people")


# --- scope and due dates --------------------------------------------------------------------


def rule_scope_profiles(rule: AssignmentRule):
    """Active staff a rule covers (a queryset of StaffProfile).

    Criteria of different kinds combine with AND, values of one kind with OR; people listed by
    name are always in scope. An inactive rule covers nobody.
    """
    base = StaffProfile.objects.filter(status=StaffStatus.ACTIVE, user__is_active=True)
    if not rule.is_active:
        return base.none()
    if rule.everyone:
        return base
    criteria = Q()
    has_criteria = False
    department_ids = list(rule.departments.values_list("pk", flat=True))
    if department_ids:
        if rule.include_subdepartments:
            department_ids = sorted(department_descendant_ids(department_ids))
        criteria &= Q(department_id__in=department_ids)
        has_criteria = True
    job_role_ids = list(rule.job_roles.values_list("pk", flat=True))
    if job_role_ids:
        criteria &= Q(job_role_id__in=job_role_ids)
        has_criteria = True
    if rule.role_families:
        criteria &= Q(job_role__family__in=list(rule.role_families))
        has_criteria = True
    if rule.staff_filter:
        filterset = StaffFilterSet(data=rule.staff_filter, queryset=StaffProfile.objects.all())
        criteria &= Q(pk__in=filterset.qs.values("pk"))
        has_criteria = True
    scope = criteria if has_criteria else Q(pk__in=[])
    scope |= Q(user_id__in=rule.people.values("pk"))
    return base.filter(scope)


def rule_due_date(
    rule: AssignmentRule, *, assigned_on: dt.date, start_date: dt.date | None
) -> dt.date | None:
    """The due date a rule gives one person."""
    days = rule.due_days or 0
    if rule.due_mode == DueMode.FIXED:
        return rule.due_date
    if rule.due_mode == DueMode.AFTER_ASSIGNMENT:
        return assigned_on + dt.timedelta(days=days)
    if rule.due_mode == DueMode.AFTER_START:
        # Someone who started long ago gets the days from today, never a date in the past.
        return max(start_date or assigned_on, assigned_on) + dt.timedelta(days=days)
    if rule.due_mode == DueMode.BEFORE_GO_LIVE:
        go_live = rule.service.go_live_date if rule.service_id else None
        return go_live - dt.timedelta(days=days) if go_live else None
    return None


def _rule_course_ids(rule: AssignmentRule) -> list[int]:
    if rule.course_id:
        return [rule.course_id]
    return list(rule.curriculum.items.order_by("sort_order").values_list("course_id", flat=True))


# --- the bulk assignment engine ---------------------------------------------------------------


@dataclass(frozen=True)
class _Terms:
    rule_id: int | None
    curriculum_id: int | None
    required: bool
    assigned_by_id: int | None


def _earlier(new: dt.date | None, old: dt.date | None) -> bool:
    return new is not None and (old is None or new < old)


def _assign_people(
    *,
    people: Sequence[tuple[int, dt.date | None]],
    course_ids: Sequence[int],
    terms: _Terms,
    due_for,
) -> int:
    """Assign ``course_ids`` to ``people`` [(user_id, start_date)]; returns how many are new.

    Existing assignments of the current cycle are kept: a withdrawn one comes back, an open one
    takes the earlier due date (and becomes required if this is required).

    Set-based, so the time goes neither into Python nor into round trips. Per batch of people:
    one INSERT … SELECT of the missing enrolments, one SELECT (values) of the current-cycle
    assignments the terms could change, one INSERT … SELECT of the new assignments per due date
    in the batch (one for an ad-hoc assignment or a fixed date, one per start date still ahead
    for "days after the start date"), and at most two UPDATEs.
    """
    from courses.services import enrolments_ensure_for

    if not people or not course_ids:
        return 0
    compliance_data_changed()
    now = timezone.now()
    created = 0
    for start in range(0, len(people), ASSIGN_BATCH):
        batch = people[start : start + ASSIGN_BATCH]
        user_ids = [user_id for user_id, _start in batch]
        enrolments_ensure_for(user_ids=user_ids, course_ids=course_ids)
        due_of = {user_id: due_for(start_date) for user_id, start_date in batch}
        rows_by_user: dict[int, list[tuple]] = defaultdict(list)
        for user_id, *row in _assignments_that_may_change(
            user_ids=user_ids, course_ids=course_ids, terms=terms, dues=due_of.values()
        ):
            rows_by_user[user_id].append(row)
        by_due: dict[dt.date | None, list[int]] = defaultdict(list)
        revived, tightened = [], []
        for user_id, due in due_of.items():
            by_due[due].append(user_id)
            for pk, status, old_due, old_required, is_completed in rows_by_user.get(user_id, ()):
                if status == AssignmentStatus.WITHDRAWN:
                    revived.append(
                        Assignment(
                            pk=pk,
                            status=AssignmentStatus.ACTIVE,
                            rule_id=terms.rule_id,
                            curriculum_id=terms.curriculum_id,
                            required=terms.required,
                            due_date=due,
                            assigned_at=now,
                        )
                    )
                elif not is_completed and (
                    _earlier(due, old_due) or (terms.required and not old_required)
                ):
                    tightened.append(
                        Assignment(
                            pk=pk,
                            due_date=due if _earlier(due, old_due) else old_due,
                            required=old_required or terms.required,
                        )
                    )
        for due, due_user_ids in by_due.items():
            created += _assignments_insert(
                user_ids=due_user_ids, course_ids=course_ids, terms=terms, due=due, now=now
            )
        # The instances carry only the fields named, so nothing else of the rows is written.
        if revived:
            Assignment.objects.bulk_update(
                revived,
                ["status", "rule", "curriculum", "required", "due_date", "assigned_at"],
                batch_size=PEOPLE_BATCH,
            )
        if tightened:
            Assignment.objects.bulk_update(
                tightened, ["due_date", "required"], batch_size=PEOPLE_BATCH
            )
    return created


def _assignments_that_may_change(
    *, user_ids: Sequence[int], course_ids: Sequence[int], terms: _Terms, dues: Iterable
):
    """(user_id, pk, status, due_date, required, is_completed) of the current-cycle assignments
    of these people and courses that new terms could change: withdrawn ones, and ones a due date
    in ``dues`` is earlier than or "required" would tighten. The caller decides per person; the
    filter only keeps the rows nothing could change from being read at all."""
    dues = [due for due in dues if due is not None]
    may_change = Q(status=AssignmentStatus.WITHDRAWN)
    if terms.required:
        may_change |= Q(required=False)
    if dues:
        may_change |= Q(due_date__isnull=True) | Q(due_date__gt=min(dues))
    return (
        Assignment.objects.filter(
            may_change,
            user_id__in=ids_value(user_ids),
            course_id__in=course_ids,
            cycle=F("enrolment__cycle"),
        )
        .annotate(is_completed=ExpressionWrapper(COMPLETED_Q, output_field=BooleanField()))
        .values_list("user_id", "pk", "status", "due_date", "required", "is_completed")
    )


def _assignments_insert(
    *,
    user_ids: Sequence[int],
    course_ids: Sequence[int],
    terms: _Terms,
    due: dt.date | None,
    now: dt.datetime,
) -> int:
    """Assign the courses to the people who have no assignment of them in the current cycle.

    One INSERT … SELECT from their enrolments (``enrolments_ensure_for`` made sure they exist),
    so the database builds the rows; a concurrent assignment is not an error. Returns how many
    rows were inserted. Columns the terms do not set get their model default, as
    ``Assignment()`` would.
    """
    qn = connection.ops.quote_name
    enrolment_model = Assignment._meta.get_field("enrolment").related_model
    table = qn(Assignment._meta.db_table)
    from_enrolment = {"user": "user_id", "course": "course_id", "enrolment": "id", "cycle": "cycle"}
    columns, select, params = insert_columns(
        Assignment,
        from_source={
            name: f"e.{qn(enrolment_model._meta.get_field(source).column)}"
            for name, source in from_enrolment.items()
        },
        values={
            "rule": terms.rule_id,
            "curriculum": terms.curriculum_id,
            "required": terms.required,
            "assigned_at": now,
            "due_date": due,
            "assigned_by": terms.assigned_by_id,
        },
    )
    e_user, e_course, e_cycle = (
        qn(enrolment_model._meta.get_field(name).column)
        for name in ("user_id", "course_id", "cycle")
    )
    a_user, a_course, a_cycle = (
        qn(Assignment._meta.get_field(name).column) for name in ("user_id", "course_id", "cycle")
    )
    users_sql, users_params = ids_in(f"e.{e_user}", user_ids)
    courses_sql, courses_params = ids_in(f"e.{e_course}", course_ids)
    # Only table and column names of the models, quoted, are interpolated; values are params.
    body = " ".join(
        [
            f"{table} ({', '.join(columns)}) SELECT {', '.join(select)}",  # noqa: S608
            f"FROM {qn(enrolment_model._meta.db_table)} e",
            f"WHERE {users_sql} AND {courses_sql}",
            f"AND NOT EXISTS (SELECT 1 FROM {table} a",  # noqa: S608
            f"WHERE a.{a_user} = e.{e_user} AND a.{a_course} = e.{e_course}",
            f"AND a.{a_cycle} = e.{e_cycle})",
        ]
    )
    return insert_select(body, [*params, *users_params, *courses_params])


def _rule_assign(rule: AssignmentRule, *, user_ids: Iterable[int] | None = None) -> int:
    scope = rule_scope_profiles(rule)
    if user_ids is not None:
        scope = scope.filter(user_id__in=list(user_ids))
    people = list(scope.order_by("user_id").values_list("user_id", "start_date"))
    today = timezone.localdate()
    return _assign_people(
        people=people,
        course_ids=_rule_course_ids(rule),
        terms=_Terms(rule.pk, rule.curriculum_id, rule.required, rule.created_by_id),
        due_for=lambda start_date: rule_due_date(rule, assigned_on=today, start_date=start_date),
    )


def _rule_withdraw(rule: AssignmentRule, *, user_ids: Iterable[int] | None = None) -> set[int]:
    """Withdraw the open assignments of people no longer in scope; completed ones stay."""
    open_rows = Assignment.objects.filter(rule=rule, status=AssignmentStatus.ACTIVE).exclude(
        COMPLETED_Q
    )
    if user_ids is not None:
        open_rows = open_rows.filter(user_id__in=list(user_ids))
    leaving = open_rows.exclude(user_id__in=rule_scope_profiles(rule).values("user_id"))
    ids = list(leaving.values_list("pk", "user_id"))
    if ids:
        Assignment.objects.filter(pk__in=[pk for pk, _user in ids]).update(
            status=AssignmentStatus.WITHDRAWN
        )
        compliance_data_changed()
    return {user_id for _pk, user_id in ids}


def _other_rules_cover(*, user_ids: set[int], exclude_rule_id: int | None) -> None:
    """After a withdrawal, let the other standing rules take over people they still cover."""
    if not user_ids:
        return
    rules = AssignmentRule.objects.filter(is_active=True).select_related("curriculum", "service")
    if exclude_rule_id is not None:
        rules = rules.exclude(pk=exclude_rule_id)
    for other in rules:
        _rule_assign(other, user_ids=user_ids)


# --- public API ---------------------------------------------------------------------------------


def _validate_rule(rule: AssignmentRule) -> None:
    errors: dict[str, list[str]] = defaultdict(list)
    if bool(rule.course_id) == bool(rule.curriculum_id):
        errors["course"].append(_("Choose either a course or a curriculum (one of them)."))
    if rule.due_mode == DueMode.FIXED and rule.due_date is None:
        errors["due_date"].append(_("Enter the fixed due date."))
    if (
        rule.due_mode in {DueMode.AFTER_ASSIGNMENT, DueMode.AFTER_START, DueMode.BEFORE_GO_LIVE}
        and rule.due_days is None
    ):
        errors["due_days"].append(_("Enter the number of days."))
    if rule.due_mode == DueMode.BEFORE_GO_LIVE and not rule.service_id:
        errors["service"].append(_("Choose the service whose go-live the training is due before."))
    unknown = [value for value in rule.role_families or [] if value not in RoleFamily.values]
    if unknown:
        errors["role_families"].append(
            _("Unknown role family: %(values)s.") % {"values": ", ".join(map(str, unknown))}
        )
    if rule.staff_filter:
        filterset = StaffFilterSet(data=rule.staff_filter, queryset=StaffProfile.objects.none())
        if not filterset.is_valid():
            errors["staff_filter"].append(_("The saved staff filter is not valid."))
    if rule.recertify_months == 0:
        errors["recertify_months"].append(_("Enter at least one month, or leave it empty."))
    if errors:
        raise ValidationError(dict(errors))
    rule.full_clean(exclude=["departments", "job_roles", "people"])


def _has_scope(rule: AssignmentRule) -> bool:
    return bool(
        rule.everyone
        or rule.role_families
        or rule.staff_filter
        or rule.departments.exists()
        or rule.job_roles.exists()
        or rule.people.exists()
    )


def _apply_or_enqueue(rule: AssignmentRule) -> None:
    if rule_scope_profiles(rule).count() > LARGE_RULE_PEOPLE:
        outbox_enqueue(
            "lms.tasks.assignment_rule_apply",
            dedupe_key=f"rule-apply:{rule.pk}:{timezone.now().isoformat()}",
            rule_id=rule.pk,
        )
    else:
        assignment_rule_apply(rule=rule)


@transaction.atomic
def assignment_rule_create(
    *,
    name: str,
    course=None,
    curriculum: Curriculum | None = None,
    everyone: bool = False,
    departments: Iterable = (),
    include_subdepartments: bool = True,
    job_roles: Iterable = (),
    role_families: Iterable[str] = (),
    people: Iterable = (),
    staff_filter: dict | None = None,
    required: bool = True,
    due_mode: str = DueMode.AFTER_ASSIGNMENT,
    due_date: dt.date | None = None,
    due_days: int | None = None,
    service=None,
    recertify_months: int | None = None,
    created_by=None,
) -> AssignmentRule:
    """Create a standing assignment rule and assign everyone in its scope.

    Departments, job roles and people may be given as objects or primary keys. Large scopes
    (more than ``LARGE_RULE_PEOPLE`` people) are assigned by a Celery task after commit.
    Raises ValidationError (by field) when the rule is incomplete.
    """
    rule = AssignmentRule(
        name=name,
        course=course,
        curriculum=curriculum,
        everyone=everyone,
        include_subdepartments=include_subdepartments,
        role_families=list(role_families),
        staff_filter=dict(staff_filter or {}),
        required=required,
        due_mode=due_mode,
        due_date=due_date,
        due_days=due_days,
        service=service,
        recertify_months=recertify_months,
        created_by=created_by,
    )
    _validate_rule(rule)
    rule.save()
    rule.departments.set(list(departments))
    rule.job_roles.set(list(job_roles))
    rule.people.set(list(people))
    if not _has_scope(rule):
        raise ValidationError(
            {"everyone": [_("Choose who the rule is for: everyone, or some of the criteria.")]}
        )
    audit_record(action="assignment_rule.created", actor=created_by, target=rule)
    _apply_or_enqueue(rule)
    return rule


@transaction.atomic
def assignment_rule_update(*, rule: AssignmentRule, actor=None, **changes) -> AssignmentRule:
    """Change a rule and re-apply it: new people are assigned, people out of scope withdrawn.

    When the due-date terms change, the open (not completed) assignments of the rule get the
    new due date and each affected person is e-mailed once ("your due date moved").
    """
    rule = AssignmentRule.objects.select_for_update().get(pk=rule.pk)
    old_terms = (rule.due_mode, rule.due_date, rule.due_days, rule.service_id)
    m2m = {key: changes.pop(key) for key in RULE_M2M_FIELDS if key in changes}
    unknown = [key for key in changes if not hasattr(rule, key) or key in {"pk", "id"}]
    if unknown:
        raise TypeError(f"Unknown rule fields: {', '.join(unknown)}")
    for key, value in changes.items():
        setattr(rule, key, value)
    if "role_families" in changes:
        rule.role_families = list(rule.role_families or [])
    _validate_rule(rule)
    rule.save()
    for key, value in m2m.items():
        getattr(rule, key).set(list(value))
    if rule.is_active and not _has_scope(rule):
        raise ValidationError(
            {"everyone": [_("Choose who the rule is for: everyone, or some of the criteria.")]}
        )
    new_terms = (rule.due_mode, rule.due_date, rule.due_days, rule.service_id)
    moved_users: list[int] = []
    if new_terms != old_terms:
        moved_users = _rule_move_due_dates(rule)
    audit_record(
        action="assignment_rule.updated",
        actor=actor,
        target=rule,
        fields=sorted([*changes, *m2m]),
        due_dates_moved=len(moved_users),
    )
    if moved_users:
        outbox_enqueue(
            "lms.tasks.due_date_moved_notify",
            dedupe_key=f"due-moved:{rule.pk}:{timezone.now().isoformat()}",
            rule_id=rule.pk,
            user_ids=moved_users,
        )
    _apply_or_enqueue(rule)
    return rule


def _rule_move_due_dates(rule: AssignmentRule) -> list[int]:
    """Give the rule's open assignments their due date under the new terms; returns user ids."""
    rows = list(
        Assignment.objects.filter(rule=rule, status=AssignmentStatus.ACTIVE)
        .exclude(COMPLETED_Q)
        .select_related("user__profile")
    )
    changed = []
    for row in rows:
        profile = getattr(row.user, "profile", None)
        due = rule_due_date(
            rule,
            assigned_on=timezone.localdate(row.assigned_at),
            start_date=profile.start_date if profile else None,
        )
        if due != row.due_date:
            row.due_date = due
            changed.append(row)
    Assignment.objects.bulk_update(changed, ["due_date"], batch_size=PEOPLE_BATCH)
    compliance_data_changed()
    return sorted({row.user_id for row in changed})


@transaction.atomic
def assignment_rule_apply(*, rule: AssignmentRule) -> int:
    """Assign everyone in the rule's scope who is not assigned yet; returns how many are new.

    Idempotent: running it twice assigns nobody twice. People who left the scope have their
    open assignments of this rule withdrawn (completed ones are kept), and other rules that
    still cover them take over.
    """
    rule = AssignmentRule.objects.select_related("curriculum", "service").get(pk=rule.pk)
    withdrawn = _rule_withdraw(rule)
    _other_rules_cover(user_ids=withdrawn, exclude_rule_id=rule.pk)
    created = _rule_assign(rule)
    if created or withdrawn:
        audit_record(
            action="assignment_rule.applied",
            target=rule,
            assigned=created,
            withdrawn_people=len(withdrawn),
        )
    return created


@transaction.atomic
def assignments_refresh_for_people(*, user_ids: Iterable[int]) -> None:
    """Re-run every standing rule for these people (they joined, moved or left).

    Withdrawals run first for all rules, then assignments, so a person moving from one rule's
    scope to another's ends with the right open assignments.
    """
    user_ids = sorted(set(user_ids))
    if not user_ids:
        return
    compliance_data_changed()  # they may have moved department or job role
    rules = list(
        AssignmentRule.objects.filter(is_active=True).select_related("curriculum", "service")
    )
    inactive = AssignmentRule.objects.filter(is_active=False)
    assigned, withdrawn = 0, set()
    for start in range(0, len(user_ids), PEOPLE_BATCH):
        batch = user_ids[start : start + PEOPLE_BATCH]
        for rule in [*rules, *inactive]:
            withdrawn |= _rule_withdraw(rule, user_ids=batch)
        for rule in rules:
            assigned += _rule_assign(rule, user_ids=batch)
    if assigned or withdrawn:
        audit_record(
            action="assignments.refreshed",
            people=len(user_ids),
            assigned=assigned,
            withdrawn_people=len(withdrawn),
        )


@transaction.atomic
def assignments_create(
    *,
    users: Iterable,
    course=None,
    curriculum: Curriculum | None = None,
    required: bool = True,
    due_date: dt.date | None = None,
    assigned_by=None,
) -> int:
    """Assign a course or a curriculum to a list of people (ad hoc, not a standing rule).

    ``users`` are user objects or ids. Returns how many assignments are new; people already
    assigned keep theirs (with the earlier due date).
    """
    if bool(course) == bool(curriculum):
        raise ValidationError({"course": [_("Choose either a course or a curriculum.")]})
    user_ids = sorted({getattr(user, "pk", user) for user in users})
    if not user_ids:
        raise ValidationError({"users": [_("Choose at least one person.")]})
    course_ids = (
        [course.pk]
        if course
        else list(curriculum.items.order_by("sort_order").values_list("course_id", flat=True))
    )
    people = list(
        StaffProfile.objects.filter(user_id__in=ids_value(user_ids), status=StaffStatus.ACTIVE)
        .order_by("user_id")
        .values_list("user_id", "start_date")
    )
    created = _assign_people(
        people=people,
        course_ids=course_ids,
        terms=_Terms(
            None, curriculum.pk if curriculum else None, required, getattr(assigned_by, "pk", None)
        ),
        due_for=lambda _start: due_date,
    )
    audit_record(
        action="assignments.created",
        actor=assigned_by,
        target=course or curriculum,
        people=len(people),
        new=created,
        required=required,
        due_date=due_date.isoformat() if due_date else None,
    )
    return created


@transaction.atomic
def assignments_create_or_enqueue(
    *,
    user_ids: Sequence[int],
    course=None,
    curriculum: Curriculum | None = None,
    required: bool = True,
    due_date: dt.date | None = None,
    assigned_by=None,
) -> int | None:
    """The admin's "Assign training": assign now, or by a Celery task for many people.

    Returns how many assignments are new, or None when more than ``LARGE_RULE_PEOPLE`` people
    were handed to ``lms.tasks.assignments_create`` (enqueued after commit, idempotent).
    """
    if bool(course) == bool(curriculum):
        raise ValidationError({"course": [_("Choose either a course or a curriculum.")]})
    if len(user_ids) <= LARGE_RULE_PEOPLE:
        return assignments_create(
            users=user_ids,
            course=course,
            curriculum=curriculum,
            required=required,
            due_date=due_date,
            assigned_by=assigned_by,
        )
    outbox_enqueue(
        "lms.tasks.assignments_create",
        dedupe_key=f"assign:{timezone.now().isoformat()}:{getattr(assigned_by, 'pk', '')}",
        user_ids=sorted(user_ids),
        course_id=course.pk if course else None,
        curriculum_id=curriculum.pk if curriculum else None,
        required=required,
        due_date=due_date.isoformat() if due_date else None,
        assigned_by_id=getattr(assigned_by, "pk", None),
    )
    return None


@transaction.atomic
def assignment_delete(*, assignment: Assignment, actor=None, request=None) -> None:
    """Remove one assignment (the admin's delete); the course progress itself is kept.

    Audited as ``assignment.removed`` with who, what and which cycle it was.
    """
    audit_record(
        action="assignment.removed",
        actor=actor,
        target=assignment,
        request=request,
        user_id=assignment.user_id,
        course_id=assignment.course_id,
        cycle=assignment.cycle,
        rule_id=assignment.rule_id,
        status=assignment.status,
    )
    assignment.delete()
    compliance_data_changed()


# --- recertification ------------------------------------------------------------------------


def recertification_due(*, today: dt.date | None = None) -> list[dict]:
    """Completed assignments whose certificate expires within ``RECERTIFY_LEAD_DAYS``.

    Only the current cycle counts (an assignment whose enrolment moved on was renewed already).
    The expiry is the completion's ``expires_at``, or the rule's interval after completion.
    """
    from courses.models import CourseCompletion
    from courses.services import add_months

    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=RECERTIFY_LEAD_DAYS)
    expiry = CourseCompletion.objects.filter(
        enrolment_id=OuterRef("enrolment_id"), cycle=OuterRef("cycle")
    ).values("expires_at")[:1]
    rows = (
        Assignment.objects.filter(
            status=AssignmentStatus.ACTIVE,
            rule__is_active=True,
            rule__recertify_months__isnull=False,
            enrolment__cycle=F("cycle"),
            enrolment__completed_at__isnull=False,
            user__is_active=True,
            user__profile__status=StaffStatus.ACTIVE,
        )
        .annotate(expires_at=Subquery(expiry))
        .values(
            "pk",
            "enrolment_id",
            "enrolment__completed_at",
            "expires_at",
            "rule__recertify_months",
        )
        .order_by("pk")
    )
    due = []
    for row in rows:
        expires = row["expires_at"] or add_months(
            row["enrolment__completed_at"], row["rule__recertify_months"]
        )
        if timezone.localdate(expires) <= horizon:
            due.append({"assignment_id": row["pk"], "expires_on": timezone.localdate(expires)})
    return due


@transaction.atomic
def assignment_recertify(*, assignment: Assignment, due_date: dt.date) -> Assignment | None:
    """Start the next cycle of a completed, expiring assignment; returns the new assignment.

    Atomic per person: the enrolment's new cycle and the new assignment are written together,
    and the unique (user, course, cycle) makes a second run a no-op.
    """
    from courses.services import enrolment_start_new_cycle

    assignment = Assignment.objects.select_related("enrolment").get(pk=assignment.pk)
    enrolment = assignment.enrolment
    if enrolment.cycle != assignment.cycle or enrolment.completed_at is None:
        return None
    enrolment = enrolment_start_new_cycle(enrolment=enrolment)
    new, _created = Assignment.objects.get_or_create(
        user_id=assignment.user_id,
        course_id=assignment.course_id,
        cycle=enrolment.cycle,
        defaults={
            "enrolment": enrolment,
            "rule_id": assignment.rule_id,
            "curriculum_id": assignment.curriculum_id,
            "required": assignment.required,
            "assigned_at": timezone.now(),
            "due_date": due_date,
        },
    )
    return new


def recertification_sweep(*, today: dt.date | None = None) -> int:
    """Assign again every course whose certificate is about to expire; returns how many."""
    count = 0
    for item in recertification_due(today=today):
        assignment = Assignment(pk=item["assignment_id"])
        if assignment_recertify(assignment=assignment, due_date=item["expires_on"]) is not None:
            count += 1
    return count


# --- admin saves ---------------------------------------------------------------------------------


@transaction.atomic
def staff_save_from_form(*, form, actor=None) -> StaffProfile:
    """Save the admin's staff form: the user account and profile together, then the rules.

    A new profile gets a new user (username from the e-mail, unusable password). Ticking
    "mark as leaver" goes through ``staff_mark_leaver``; a change of department or job role
    re-runs the assignment rules for the person.
    """
    from lms.services import staff_mark_leaver

    profile: StaffProfile = form.instance
    data = form.cleaned_data
    before = (None, None)
    if profile.pk:
        before = tuple(
            StaffProfile.objects.filter(pk=profile.pk).values_list("department_id", "job_role_id")[
                0
            ]
        )
        user = profile.user
    else:
        user = User(username=data["email"][:150])
        user.set_unusable_password()
    user.first_name, user.last_name = data["first_name"], data["last_name"]
    user.email = data["email"]
    user.is_active = data["is_active"] and profile.status != StaffStatus.LEAVER
    user.full_clean(exclude=["password"])
    user.save()
    profile.user = user
    profile = form.save()
    if data.get("mark_leaver"):
        staff_mark_leaver(profile=profile)
    if (profile.department_id, profile.job_role_id) != before or data.get("mark_leaver"):
        assignments_refresh_for_people(user_ids=[user.pk])
    audit_record(action="staff.saved", actor=actor, target=profile)
    return profile


@transaction.atomic
def assignment_rule_save_from_form(*, form, actor=None) -> AssignmentRule:
    """Save an assignment rule edited in the admin through the service API (validates, applies)."""
    data = form.cleaned_data
    fields = {
        key: data[key]
        for key in (
            "name",
            "course",
            "curriculum",
            "everyone",
            "departments",
            "include_subdepartments",
            "job_roles",
            "role_families",
            "people",
            "staff_filter",
            "required",
            "due_mode",
            "due_date",
            "due_days",
            "service",
            "recertify_months",
        )
        if key in data
    }
    fields["staff_filter"] = fields.get("staff_filter") or None
    try:
        if form.instance.pk:
            if "is_active" in data:
                fields["is_active"] = data["is_active"]
            return assignment_rule_update(rule=form.instance, actor=actor, **fields)
        return assignment_rule_create(created_by=actor, **fields)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc)
        raise
