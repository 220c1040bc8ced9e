"""Write-side operations of courses: enrolment, lesson progress and course completion.

Other apps call these; none writes courses' models directly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import connection, transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from cms.routing import PAGES
from lms.cache import new_generation
from lms.hr.report_cache import compliance_data_changed
from lms.outbox import outbox_enqueue
from lms.sql import ids_in, insert_columns, insert_select

from .models import (
    Competence,
    CompetenceArea,
    CompetencyFramework,
    CourseCatalogPage,
    CourseCompletion,
    CoursePage,
    Enrolment,
    EnrolmentSource,
    LessonPage,
    LessonProgress,
    ProficiencyLevel,
)

BULK_BATCH = 2000


@transaction.atomic
def enrolment_create(*, user, course: CoursePage, source: str = EnrolmentSource.SELF) -> Enrolment:
    """Enrol a person on a course (idempotent: an existing enrolment is returned as it is).

    Self-enrolment is refused on courses that do not allow it, unless the person was assigned
    the course (then an enrolment already exists).
    """
    existing = Enrolment.objects.filter(user=user, course=course).first()
    if existing is not None:
        return existing
    if source == EnrolmentSource.SELF and not course.allow_self_enrol:
        raise ValidationError(
            _("This course is by assignment only. Ask your manager or HR if you need it.")
        )
    enrolment, _created = Enrolment.objects.get_or_create(
        user=user, course=course, defaults={"source": source}
    )
    return enrolment


def enrolments_ensure_bulk(
    *, pairs: Iterable[tuple[int, int]], source: str = EnrolmentSource.ASSIGNMENT
) -> dict[tuple[int, int], Enrolment]:
    """Make sure each (user_id, course_id) has an enrolment; returns them all, keyed by pair.

    One INSERT … ON CONFLICT DO NOTHING and one SELECT per batch, whatever the number of
    people. Assigning training uses ``enrolments_ensure_for``, which reads nothing back.
    """
    pairs = list(dict.fromkeys(pairs))
    result: dict[tuple[int, int], Enrolment] = {}
    for start in range(0, len(pairs), BULK_BATCH):
        batch = pairs[start : start + BULK_BATCH]
        Enrolment.objects.bulk_create(
            [Enrolment(user_id=u, course_id=c, source=source) for u, c in batch],
            ignore_conflicts=True,
            batch_size=BULK_BATCH,
        )
        wanted = set(batch)
        user_ids = {u for u, _c in batch}
        course_ids = {c for _u, c in batch}
        for enrolment in Enrolment.objects.filter(user_id__in=user_ids, course_id__in=course_ids):
            key = (enrolment.user_id, enrolment.course_id)
            if key in wanted:
                result[key] = enrolment
    return result


def enrolments_ensure_for(
    *,
    user_ids: Collection[int],
    course_ids: Collection[int],
    source: str = EnrolmentSource.ASSIGNMENT,
) -> int:
    """Make sure each of these people has an enrolment on each of these courses.

    Returns how many enrolments are new. This is what assigning a curriculum to 10,000 staff
    runs on: one INSERT … SELECT of the people × courses pairs that have no enrolment yet, so
    the database builds the rows; no model instance is made and nothing is read back (callers
    join to the enrolments in their own SQL), and a concurrent enrolment is not an error.
    Existing enrolments are not touched: their source, cycle and progress stay. Ids of people
    or courses that do not exist are skipped. Every other column gets its model default, as
    ``Enrolment()`` would.
    """
    if not user_ids or not course_ids:
        return 0
    qn = connection.ops.quote_name
    user_model = get_user_model()
    user_pk, course_pk = qn(user_model._meta.pk.column), qn(CoursePage._meta.pk.column)
    columns, select, params = insert_columns(
        Enrolment,
        from_source={"user": f"u.{user_pk}", "course": f"c.{course_pk}"},
        values={"source": source},
    )
    table = qn(Enrolment._meta.db_table)
    e_user, e_course = (qn(Enrolment._meta.get_field(name).column) for name in ("user", "course"))
    # Only table and column names of the models, quoted, are interpolated; values are params.
    users_sql, users_params = ids_in(f"u.{user_pk}", user_ids)
    courses_sql, courses_params = ids_in(f"c.{course_pk}", course_ids)
    body = " ".join(
        [
            f"{table} ({', '.join(columns)}) SELECT {', '.join(select)}",  # noqa: S608
            f"FROM {qn(user_model._meta.db_table)} u, {qn(CoursePage._meta.db_table)} c",
            f"WHERE {users_sql} AND {courses_sql}",
            f"AND NOT EXISTS (SELECT 1 FROM {table} x",  # noqa: S608
            f"WHERE x.{e_user} = u.{user_pk} AND x.{e_course} = c.{course_pk})",
        ]
    )
    return insert_select(body, [*params, *users_params, *courses_params])


@dataclass(frozen=True)
class LessonCompletionResult:
    enrolment: Enrolment
    newly_completed_lesson: bool
    course_completed_now: bool


@transaction.atomic
def lesson_complete(*, user, lesson: LessonPage) -> LessonCompletionResult:
    """Record that a person finished a lesson; completes the course when its rules are met.

    Safe against double submits and back-button replays: the enrolment row is locked, the
    progress row is unique per (enrolment, lesson, cycle), and completion happens once.
    """
    course = lesson.get_parent().specific
    enrolment = enrolment_create(user=user, course=course, source=EnrolmentSource.SELF)
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    was_complete = enrolment.completed_at is not None
    now = timezone.now()
    _progress, created = LessonProgress.objects.get_or_create(
        enrolment=enrolment, lesson=lesson, cycle=enrolment.cycle, defaults={"completed_at": now}
    )
    fields = ["last_lesson", "last_activity_at"]
    enrolment.last_lesson = lesson
    enrolment.last_activity_at = now
    if enrolment.started_at is None:
        enrolment.started_at = now
        fields.append("started_at")
        compliance_data_changed()  # the HR report counts the course as started
    if created:
        enrolment.lessons_completed = _live_lessons_done(enrolment)
        fields.append("lessons_completed")
    enrolment.save(update_fields=fields)
    completion = enrolment_check_completion(enrolment=enrolment)
    completed_now = completion is not None and not was_complete
    if completed_now:
        enrolment.refresh_from_db(fields=["completed_at"])
    return LessonCompletionResult(enrolment, created, completed_now)


# Re-opening the lesson you are on refreshes "last activity" at most this often, so reading a
# lesson does not write to the database on every request.
VISIT_REFRESH = dt.timedelta(minutes=5)


def lesson_visit(
    *, user, lesson: LessonPage, enrolment: Enrolment | None = None
) -> Enrolment | None:
    """Remember where a person is, so they can resume there. No enrolment, nothing recorded.

    ``enrolment`` is the person's enrolment on the lesson's course when the caller has it.
    At most one UPDATE, and none when the person re-opens the same lesson within
    ``VISIT_REFRESH``; the in-memory enrolment is updated to match.
    """
    if enrolment is None:
        course_path = lesson.path[: -lesson.steplen]
        enrolment = Enrolment.objects.filter(user=user, course__path=course_path).first()
        if enrolment is None:
            return None
    now = timezone.now()
    if (
        enrolment.last_lesson_id == lesson.pk
        and enrolment.started_at is not None
        and enrolment.last_activity_at is not None
        and now - enrolment.last_activity_at < VISIT_REFRESH
    ):
        return enrolment
    changes = {
        "last_lesson_id": lesson.pk,
        "last_activity_at": now,
        "started_at": enrolment.started_at or now,
    }
    # started_at is only ever set once, even if two tabs race here.
    Enrolment.objects.filter(pk=enrolment.pk).update(
        last_lesson_id=lesson.pk,
        last_activity_at=now,
        started_at=Coalesce(F("started_at"), Value(now)),
    )
    if enrolment.started_at is None:
        compliance_data_changed()  # the HR report counts the course as started
    for field, value in changes.items():
        setattr(enrolment, field, value)
    return enrolment


def _live_lessons_done(enrolment: Enrolment) -> int:
    live_ids = LessonPage.objects.child_of(enrolment.course).live().values("pk")
    return LessonProgress.objects.filter(
        enrolment=enrolment, cycle=enrolment.cycle, lesson_id__in=live_ids
    ).count()


def import_hook(dotted: str, *, setting: str) -> Callable:
    """The callable a settings-listed hook names (``COURSE_COMPLETION_REQUIREMENTS``, …).

    A hook that cannot be imported is a configuration error and raises: skipping it silently
    would, say, complete courses without their quiz or hide a panel without anyone noticing.
    """
    try:
        return import_string(dotted)
    except ImportError as exc:
        raise ImproperlyConfigured(f"{setting}: cannot import {dotted!r}: {exc}") from exc


def completion_requirements() -> list:
    """Extra completion rules other apps add (e.g. "the course quiz is passed"), from settings.

    Each is a callable ``(enrolment) -> str | None`` returning the reason the course is not
    complete yet, or None when its rule is met.
    """
    result = []
    for dotted in getattr(settings, "COURSE_COMPLETION_REQUIREMENTS", []):
        result.append(import_hook(dotted, setting="COURSE_COMPLETION_REQUIREMENTS"))
    return result


def enrolment_missing_requirements(*, enrolment: Enrolment) -> list[str]:
    """Why this enrolment is not complete yet, in words; empty when every rule is met."""
    reasons = []
    course = enrolment.course
    if course.lesson_count and enrolment.lessons_completed < course.lesson_count:
        remaining = course.lesson_count - enrolment.lessons_completed
        reasons.append(_("%(count)d lesson(s) still to finish.") % {"count": remaining})
    for requirement in completion_requirements():
        reason = requirement(enrolment)
        if reason:
            reasons.append(str(reason))
    return reasons


@transaction.atomic
def enrolment_check_completion(*, enrolment: Enrolment) -> CourseCompletion | None:
    """Complete the course if its rules are met, exactly once per cycle.

    Returns the completion (new or existing) or None when the course is not complete. The
    completion is recorded with a timestamp; calling again changes nothing. Work that follows a
    completion (certificates, …) is queued through the outbox after commit.
    """
    enrolment = Enrolment.objects.select_for_update().select_related("course").get(pk=enrolment.pk)
    if enrolment.completed_at is not None:
        return CourseCompletion.objects.filter(enrolment=enrolment, cycle=enrolment.cycle).first()
    if enrolment_missing_requirements(enrolment=enrolment):
        return None
    now = timezone.now()
    enrolment.completed_at = now
    enrolment.save(update_fields=["completed_at"])
    compliance_data_changed()
    completion, created = CourseCompletion.objects.get_or_create(
        enrolment=enrolment,
        cycle=enrolment.cycle,
        defaults={
            "user_id": enrolment.user_id,
            "course_id": enrolment.course_id,
            "completed_at": now,
            "expires_at": _expiry_for(enrolment, now),
        },
    )
    if created:
        for task_name in getattr(settings, "COURSE_COMPLETED_TASKS", []):
            outbox_enqueue(
                task_name,
                dedupe_key=f"{task_name}:{completion.pk}",
                completion_id=completion.pk,
            )
    return completion


def _expiry_for(enrolment: Enrolment, completed_at: dt.datetime) -> dt.datetime | None:
    """The shortest recertification interval among the person's active assignments."""
    from lms.models import Assignment, AssignmentStatus

    months = (
        Assignment.objects.filter(
            user_id=enrolment.user_id,
            course_id=enrolment.course_id,
            status=AssignmentStatus.ACTIVE,
            rule__recertify_months__isnull=False,
        )
        .order_by("rule__recertify_months")
        .values_list("rule__recertify_months", flat=True)
        .first()
    )
    if not months:
        return None
    return add_months(completed_at, months)


def add_months(value: dt.datetime, months: int) -> dt.datetime:
    """Same day ``months`` later, clamped to the month's last day (Jan 31 + 1 → Feb 28)."""
    import calendar

    month_index = value.month - 1 + months
    year, month = value.year + month_index // 12, month_index % 12 + 1
    day = min(value.day, calendar.monthrange(year, month)[1])
    return value.replace(year=year, month=month, day=day)


@transaction.atomic
def enrolment_start_new_cycle(*, enrolment: Enrolment) -> Enrolment:
    """Recertification: the person takes the course again. Past cycles stay on record."""
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.completed_at is None:
        return enrolment  # the current cycle is still open
    enrolment.cycle += 1
    enrolment.completed_at = None
    enrolment.lessons_completed = 0
    enrolment.started_at = None
    enrolment.last_lesson = None
    enrolment.save(
        update_fields=["cycle", "completed_at", "lessons_completed", "started_at", "last_lesson"]
    )
    compliance_data_changed()
    return enrolment


def course_refresh_lesson_count(*, course: CoursePage) -> int:
    """Recount a course's live lessons (called when lessons are published, moved or deleted)."""
    count = LessonPage.objects.child_of(course).live().count()
    CoursePage.objects.filter(pk=course.pk).update(lesson_count=count)
    course.lesson_count = count
    new_generation(PAGES)  # an update() sends no signal; the live-course memo shows the count
    return count


# --- Competency frameworks ---------------------------------------------------------------------


@transaction.atomic
def framework_import(*, data, make_default: bool = False) -> CompetencyFramework:
    """Write a framework read and checked by ``courses.frameworks.framework_parse_file``.

    All or nothing: one transaction, and the rows are validated with ``full_clean()`` before
    they are saved, so a problem found late still leaves nothing behind. With ``make_default``
    the new framework becomes the default one (the catalogue filters and self-assessment use it).
    """
    if make_default:
        CompetencyFramework.objects.filter(is_default=True).update(is_default=False)
    framework = CompetencyFramework(
        name=data.name,
        slug=data.slug,
        version=data.version,
        description=data.description,
        source_url=data.source_url,
        is_default=make_default or not CompetencyFramework.objects.filter(is_default=True).exists(),
    )
    framework.full_clean()
    framework.save()
    areas: dict[str, CompetenceArea] = {}
    for order, item in enumerate(data.areas, start=1):
        area = CompetenceArea(
            framework=framework,
            code=item.code,
            name=item.name,
            description=item.description,
            sort_order=order,
        )
        area.full_clean()
        area.save()
        areas[item.code] = area
    for order, item in enumerate(data.competences, start=1):
        competence = Competence(
            framework=framework,
            area=areas[item.area_code],
            code=item.code,
            name=item.name,
            description=item.description,
            sort_order=order,
        )
        competence.full_clean()
        competence.save()
    for item in data.levels:
        level = ProficiencyLevel(
            framework=framework,
            number=item.number,
            name=item.name,
            group=item.group,
            description=item.description,
        )
        level.full_clean()
        level.save()
    return framework


# --- Authoring: page permissions and moderation ------------------------------------------------

EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
REVIEW_WORKFLOW_NAME = "Course review"


@transaction.atomic
def catalogue_ensure_editor_access(*, catalogue: CourseCatalogPage | None = None) -> bool:
    """Give the "Content editor" group its page permissions on the course catalogue, and put
    the catalogue under the "Course review" moderation workflow (draft → review → publish).

    Idempotent and safe to run after every migrate; does nothing while there is no catalogue.
    Returns True when a catalogue was found.
    """
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import (
        GroupApprovalTask,
        GroupPagePermission,
        Workflow,
        WorkflowPage,
        WorkflowTask,
    )

    from lms.roles import Role

    catalogue = catalogue or CourseCatalogPage.objects.first()
    if catalogue is None:
        return False
    editors, _created = Group.objects.get_or_create(name=Role.CONTENT_EDITOR.value)
    permissions = Permission.objects.filter(
        content_type__app_label="wagtailcore", codename__in=EDITOR_PAGE_PERMISSIONS
    )
    for permission in permissions:
        GroupPagePermission.objects.get_or_create(
            group=editors, page_id=catalogue.pk, permission=permission
        )
    workflow, _created = Workflow.objects.get_or_create(name=REVIEW_WORKFLOW_NAME)
    task = GroupApprovalTask.objects.filter(name=REVIEW_WORKFLOW_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=REVIEW_WORKFLOW_NAME)
    task.groups.add(editors)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.get_or_create(page_id=catalogue.pk, defaults={"workflow": workflow})
    return True
