"""Read-side queries of courses: the catalogue, /my-learning/, course and lesson pages.

Everything a template shows is fetched here, with a fixed number of queries whatever the number
of courses, lessons or enrolments, so pages never query in loops.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from .models import (
    CourseCatalogPage,
    CourseCompetence,
    CoursePage,
    Enrolment,
    LessonPage,
    LessonProgress,
)
from .services import enrolment_missing_requirements, import_hook

KNOWLEDGE_CHECK_SESSION_KEY = "courses_knowledge_checks"


# --- Shared pieces ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    done: int
    total: int

    @property
    def percent(self) -> int:
        if not self.total:
            return 0
        return min(100, round(100 * self.done / self.total))


@dataclass(frozen=True)
class LiveCourses:
    """Every live course, by id and by tree path, and which courses name each job role."""

    by_id: dict[int, CoursePage]
    by_path: dict[str, CoursePage]
    job_role_courses: dict[int, frozenset[int]]


def live_courses() -> LiveCourses:
    """The live courses, kept in this process until any page changes (``lms.cache.memoized``
    under the pages generation): /my-learning/ and lesson pages read them on every request.
    The instances are shared between requests: read them, never change them."""
    from cms.routing import PAGES
    from lms.cache import memoized

    def load() -> LiveCourses:
        courses = list(CoursePage.objects.live().order_by("title", "pk"))
        job_role_courses: dict[int, set[int]] = {}
        through = CoursePage.audience_job_roles.through.objects.values_list(
            "jobrole_id", "coursepage_id"
        )
        for job_role_id, course_id in through:
            job_role_courses.setdefault(job_role_id, set()).add(course_id)
        return LiveCourses(
            by_id={course.pk: course for course in courses},
            by_path={course.path: course for course in courses},
            job_role_courses={k: frozenset(v) for k, v in job_role_courses.items()},
        )

    return memoized("courses.live_courses", PAGES, load)


def catalogue_page() -> CourseCatalogPage | None:
    """The live course catalogue page (its title and intro head /courses/), kept in this
    process until any page changes; read-only."""
    from cms.routing import PAGES
    from lms.cache import memoized

    return memoized("courses.catalogue_page", PAGES, CourseCatalogPage.objects.live().first)


def course_lessons(course: CoursePage) -> list[LessonPage]:
    """The live lessons of a course, in the order editors arranged them (without their
    bodies: lists show titles and links; reading a body from these would cost a query).
    Kept in this process until any page changes, like ``live_courses``; read-only."""
    from cms.routing import PAGES
    from lms.cache import memoized

    def load() -> list[LessonPage]:
        return list(
            LessonPage.objects.child_of(course).live().order_by("path").defer_streamfields()
        )

    if course.pk is None:
        return []
    return memoized(f"courses.lessons:{course.pk}", PAGES, load)


def enrolment_for(*, user, course_id: int) -> Enrolment | None:
    """The person's enrolment on a course, or None. Only ever the signed-in person's own."""
    if not user.is_authenticated:
        return None
    return Enrolment.objects.filter(user=user, course_id=course_id).first()


def enrolment_with_done(*, user, course_id: int) -> tuple[Enrolment | None, set[int]]:
    """The person's enrolment on a course (or None) and the lessons finished in its current
    cycle, in one query: the enrolment LEFT JOINed to that cycle's progress rows, one row per
    finished lesson (a single row with no lesson when none is finished).

    Every lesson and course page asks this. Written as SQL (table and column names from the
    models; values as parameters) and read with ``raw()``, which still converts each column as
    the ORM does: building the same query with the ORM (a ``FilteredRelation``) cost about
    1.7 ms a request against 0.6 ms, a tenth of a lesson page."""
    if not user.is_authenticated:
        return None, set()
    rows = list(Enrolment.objects.raw(_enrolment_with_done_sql(), [user.pk, course_id]))
    if not rows:
        return None, set()
    return rows[0], {row.done_lesson_id for row in rows if row.done_lesson_id is not None}


@cache
def _enrolment_with_done_sql() -> str:
    from django.db import connection

    qn = connection.ops.quote_name
    enrolment, progress = Enrolment._meta, LessonProgress._meta

    def column(meta, name: str) -> str:
        return qn(meta.get_field(name).column)

    columns = ", ".join(f"e.{qn(field.column)}" for field in enrolment.concrete_fields)
    return (
        f"SELECT {columns}, p.{column(progress, 'lesson')} AS done_lesson_id "  # noqa: S608
        f"FROM {qn(enrolment.db_table)} e LEFT JOIN {qn(progress.db_table)} p "
        f"ON p.{column(progress, 'enrolment')} = e.{column(enrolment, 'id')} "
        f"AND p.{column(progress, 'cycle')} = e.{column(enrolment, 'cycle')} "
        f"WHERE e.{column(enrolment, 'user')} = %s AND e.{column(enrolment, 'course')} = %s"
    )


def can_open_course(*, user, course: CoursePage, enrolment: Enrolment | None) -> bool:
    """Signed-in staff may open a course they are enrolled on, or one open to self-enrolment."""
    if not user.is_authenticated or not user.is_active:
        return False
    return enrolment is not None or course.allow_self_enrol


def _resume_lesson(
    lessons: list[LessonPage], done: set[int], enrolment: Enrolment | None
) -> LessonPage | None:
    """Where "Continue" goes: the lesson last opened if not finished, else the first unfinished."""
    if not lessons:
        return None
    if enrolment is not None and enrolment.last_lesson_id:
        for lesson in lessons:
            if lesson.pk == enrolment.last_lesson_id and lesson.pk not in done:
                return lesson
    for lesson in lessons:
        if lesson.pk not in done:
            return lesson
    return lessons[0]


# --- Course page -----------------------------------------------------------------------------


def course_page_context(*, user, course: CoursePage) -> dict:
    """Everything the course page shows for this person: lessons with ticks, progress, the
    next lesson, and why the course is not complete yet."""
    lessons = course_lessons(course)
    enrolment, done = enrolment_with_done(user=user, course_id=course.pk)
    live_ids = {lesson.pk for lesson in lessons}
    progress = Progress(len(done & live_ids), len(lessons))
    missing: list[str] = []
    if enrolment is not None and enrolment.completed_at is None:
        enrolment.course = course
        missing = enrolment_missing_requirements(enrolment=enrolment)
    competences = list(
        CourseCompetence.objects.filter(course=course)
        .select_related("competence__area")
        .order_by("sort_order")
    )
    return {
        "lessons": [(lesson, lesson.pk in done) for lesson in lessons],
        "enrolment": enrolment,
        "progress": progress,
        "next_lesson": _resume_lesson(lessons, done, enrolment),
        "missing_requirements": missing,
        "competences": competences,
        "can_open": can_open_course(user=user, course=course, enrolment=enrolment),
    }


# --- Lesson page -----------------------------------------------------------------------------


@dataclass(frozen=True)
class KnowledgeCheckResult:
    choice_index: int
    choice_text: str
    correct: bool
    feedback: str
    explanation: object  # RichText or ""


def knowledge_check_block(lesson: LessonPage, block_id: str):
    """The knowledge-check block with this id in a lesson body, or None."""
    for block in lesson.body:
        if block.id == block_id and block.block_type == "knowledge_check":
            return block
    return None


def knowledge_check_grade(*, block, choice_index: int) -> KnowledgeCheckResult | None:
    """Grade one answer to a knowledge check; None when the index is not one of its answers."""
    choices = list(block.value["choices"])
    if not 0 <= choice_index < len(choices):
        return None
    choice = choices[choice_index]
    return KnowledgeCheckResult(
        choice_index=choice_index,
        choice_text=choice["text"],
        correct=bool(choice["is_correct"]),
        feedback=choice.get("feedback") or "",
        explanation=block.value.get("explanation") or "",
    )


def lesson_page_context(
    *,
    user,
    lesson: LessonPage,
    answers: dict | None = None,
    enrolment_and_done: tuple[Enrolment | None, set[int]] | None = None,
) -> dict:
    """Breadcrumbs, "lesson n of m", previous / next, whether it is done, and the graded
    answers to its knowledge checks (from this person's session). ``enrolment_and_done`` is
    what ``enrolment_with_done`` answered, when the caller has already read it."""
    course = lesson.course_page()
    lessons = course_lessons(course)
    if enrolment_and_done is None:
        enrolment_and_done = enrolment_with_done(user=user, course_id=course.pk)
    enrolment, done = enrolment_and_done
    index = next((i for i, item in enumerate(lessons) if item.pk == lesson.pk), None)
    results = {}
    for block_id, choice_index in (answers or {}).items():
        block = knowledge_check_block(lesson, block_id)
        if block is not None and isinstance(choice_index, int):
            result = knowledge_check_grade(block=block, choice_index=choice_index)
            if result is not None:
                results[block_id] = result
    live_ids = {item.pk for item in lessons}
    return {
        "course": course,
        "lessons": lessons,
        "enrolment": enrolment,
        "lesson_number": index + 1 if index is not None else None,
        "lesson_total": len(lessons),
        "previous_lesson": lessons[index - 1] if index else None,
        "next_lesson": lessons[index + 1]
        if index is not None and index + 1 < len(lessons)
        else None,
        "lesson_done": lesson.pk in done,
        "progress": Progress(len(done & live_ids), len(lessons)),
        "knowledge_results": results,
        "can_open": can_open_course(user=user, course=course, enrolment=enrolment),
    }


# --- Catalogue -------------------------------------------------------------------------------


def courses_for_user(user) -> QuerySet[CoursePage]:
    """Live courses, each annotated with this person's status (enrolled, done, assigned)."""
    from lms.models import Assignment, AssignmentStatus

    enrolments = Enrolment.objects.filter(user_id=user.pk, course_id=OuterRef("pk"))
    return CoursePage.objects.live().annotate(
        my_enrolled=Exists(enrolments),
        my_completed=Exists(enrolments.filter(completed_at__isnull=False)),
        my_lessons_done=Subquery(enrolments.values("lessons_completed")[:1]),
        my_assigned=Exists(
            Assignment.objects.filter(
                user_id=user.pk, course_id=OuterRef("pk"), status=AssignmentStatus.ACTIVE
            )
        ),
    )


def course_ids_for_role_family(family: str) -> list[int]:
    """Live courses meant for a role family (a JSON list, read in Python: SQLite has no
    JSON ``contains``). Remembered under the pages generation: only publishing changes it."""
    from cms.routing import PAGES
    from lms.cache import cached, generation

    def load() -> list[int]:
        return [
            pk
            for pk, families in CoursePage.objects.live().values_list(
                "pk", "audience_role_families"
            )
            if family in (families or [])
        ]

    token = generation(PAGES)
    return load() if token is None else cached(f"role-family-courses:{token}:{family}", load)


def courses_for_job_role(job_role) -> Q:
    """Courses meant for a job role: named in the audience, or meant for its role family."""
    return Q(audience_job_roles=job_role) | Q(pk__in=course_ids_for_role_family(job_role.family))


# --- My learning -----------------------------------------------------------------------------


@dataclass
class LearningItem:
    course: CoursePage
    enrolment: Enrolment | None
    progress: Progress
    due_date: dt.date | None = None
    required: bool = False
    overdue: bool = False


@dataclass
class MyLearning:
    assigned: list[LearningItem] = field(default_factory=list)
    in_progress: list[LearningItem] = field(default_factory=list)
    completed: list[LearningItem] = field(default_factory=list)
    recommended: list[CoursePage] = field(default_factory=list)


def my_learning(*, user, today: dt.date | None = None) -> MyLearning:
    """The person's own learning: assigned (with due dates, overdue flagged), in progress,
    completed, and recommended by job role. Three queries whatever the numbers (enrolments,
    assignments, profile with job role); courses come from the live-course memo."""
    from lms.models import Assignment, AssignmentStatus

    today = today or timezone.localdate()
    result = MyLearning()
    live = live_courses()
    courses = live.by_id
    # Every assignment points at the person's enrolment on its course, so the enrolments are
    # read once and the assignments only add due dates. The courses come from the live-course
    # memo: a course that is not live there is left out, as a ``course__live`` filter would.
    enrolments = []
    for enrolment in Enrolment.objects.filter(user=user).order_by(
        "-last_activity_at", "-enrolled_at", "pk"
    ):
        course = courses.get(enrolment.course_id)
        if course is not None:
            enrolment.course = course
            enrolments.append(enrolment)
    enrolments_by_id = {enrolment.pk: enrolment for enrolment in enrolments}
    # The status is checked in Python: filtered in SQL, SQLite (no statistics) walks the
    # status index over every active assignment in the city instead of this person's few.
    assignments = sorted(
        Assignment.objects.filter(user=user).values_list(
            "pk", "course_id", "enrolment_id", "due_date", "required", "status"
        ),
        key=lambda row: (row[3] is None, row[3] or today, _title_of(courses, row[1]), row[0]),
    )
    assigned_course_ids = set()
    for _pk, course_id, enrolment_id, due_date, required, status in assignments:
        if status != AssignmentStatus.ACTIVE or course_id not in courses:
            continue
        if course_id in assigned_course_ids:
            continue  # one line per course, the earliest due date first
        enrolment = enrolments_by_id.get(enrolment_id)
        if enrolment is None:
            continue
        assigned_course_ids.add(course_id)
        if enrolment.completed_at is not None:
            continue  # shown under completed
        result.assigned.append(
            LearningItem(
                course=enrolment.course,
                enrolment=enrolment,
                progress=Progress(enrolment.lessons_completed, enrolment.course.lesson_count),
                due_date=due_date,
                required=required,
                overdue=due_date is not None and due_date < today,
            )
        )
    enrolled_ids = set()
    for enrolment in enrolments:
        enrolled_ids.add(enrolment.course_id)
        item = LearningItem(
            course=enrolment.course,
            enrolment=enrolment,
            progress=Progress(enrolment.lessons_completed, enrolment.course.lesson_count),
        )
        if enrolment.completed_at is not None:
            result.completed.append(item)
        elif enrolment.course_id not in assigned_course_ids:
            result.in_progress.append(item)
    result.completed.sort(key=lambda item: item.enrolment.completed_at, reverse=True)
    job_role = _job_role_of(user)
    if job_role is not None:
        job_role_id, family = job_role
        # The memo is ordered by title and pk, as the recommendations are shown.
        named = live.job_role_courses.get(job_role_id, frozenset())
        taken = enrolled_ids | assigned_course_ids
        result.recommended = [
            course
            for course in courses.values()
            if course.pk not in taken
            and (course.pk in named or family in (course.audience_role_families or []))
        ][:12]
    return result


def _job_role_of(user) -> tuple[int, str] | None:
    """The id and family of the person's job role (one query reading two values, unless the
    profile is loaded already); None without a profile or a role."""
    from lms.models import StaffProfile

    if "profile" in user._state.fields_cache:
        profile = user._state.fields_cache["profile"]
        job_role = profile.job_role if profile is not None else None
        return (job_role.pk, job_role.family) if job_role is not None else None
    row = (
        StaffProfile.objects.filter(user=user, job_role__isnull=False)
        .values_list("job_role_id", "job_role__family")
        .first()
    )
    return tuple(row) if row is not None else None


def _title_of(courses: dict[int, CoursePage], course_id: int) -> str:
    course = courses.get(course_id)
    return course.title if course is not None else ""


def my_learning_panels(request) -> list[dict]:
    """Extra panels other apps add to /my-learning/ through ``settings.MY_LEARNING_PANELS``:
    dotted callables ``(request) -> {"template": ..., "context": {...}} | None``."""
    panels = []
    for dotted in getattr(settings, "MY_LEARNING_PANELS", []) or []:
        panel = import_hook(dotted, setting="MY_LEARNING_PANELS")(request)
        if panel:
            panels.append(panel)
    return panels


def course_page_panels(request, page: CoursePage) -> list[dict]:
    """Extra panels other apps add to a course page (the course quiz, …) through
    ``settings.COURSE_PAGE_PANELS``: dotted callables
    ``(request, page) -> {"template": ..., "context": {...}} | None``."""
    panels = []
    for dotted in getattr(settings, "COURSE_PAGE_PANELS", []) or []:
        panel = import_hook(dotted, setting="COURSE_PAGE_PANELS")(request, page)
        if panel:
            panels.append(panel)
    return panels
