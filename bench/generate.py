"""Build a synthetic city with bulk inserts, at the scale the benchmark asks for.

Each ``generate_*`` function returns the seconds it took; rows are inserted with
``bulk_create`` in batches (no per-row queries), so 20,000 staff and 2,000,000 lesson-progress
rows build in minutes.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

BATCH = 5000


@dataclass
class Scale:
    staff: int = 20_000
    departments: int = 60
    job_roles: int = 150
    courses: int = 80
    lessons_per_course: int = 8
    curricula: int = 40
    assignments: int = 300_000
    lesson_progress: int = 2_000_000
    quiz_attempts: int = 30_000
    certificates: int = 20_000
    champions: int = 600
    services: int = 15
    mentoring_sessions: int = 10_000
    feedback: int = 5_000

    def scaled(self, factor: float) -> Scale:
        values = {k: max(1, int(v * factor)) for k, v in self.__dict__.items()}
        values["lessons_per_course"] = self.lessons_per_course
        values["departments"] = max(8, values["departments"])
        values["job_roles"] = max(8, values["job_roles"])
        values["courses"] = max(8, values["courses"])
        return Scale(**values)


@dataclass
class City:
    """Ids of what was generated, for the measurements to pick from."""

    department_ids: list[int]
    job_role_ids: list[int]
    user_ids: list[int]
    profile_ids: list[int]
    course_ids: list[int]
    lesson_ids_by_course: dict[int, list[int]]
    curriculum_ids: list[int]
    learner_id: int
    manager_id: int
    hr_id: int
    password: str = "bench-password-2026"


def _batched(items, size=BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def generate_organisation(scale: Scale, rng: random.Random) -> tuple[float, dict]:
    from lms.models import Department, JobRole, RoleFamily, StaffProfile

    started = time.perf_counter()
    directorates = [Department(name=f"Directorate {i + 1}") for i in range(6)]
    Department.objects.bulk_create(directorates)
    directorates = list(Department.objects.order_by("pk"))
    Department.objects.bulk_create(
        [
            Department(name=f"Department {i + 1:02d}", parent=directorates[i % len(directorates)])
            for i in range(scale.departments - len(directorates))
        ]
    )
    department_ids = list(Department.objects.values_list("pk", flat=True))
    families = [value for value, _label in RoleFamily.choices]
    JobRole.objects.bulk_create(
        [
            JobRole(name=f"Job role {i + 1:03d}", family=families[i % len(families)])
            for i in range(scale.job_roles)
        ]
    )
    job_role_ids = list(JobRole.objects.values_list("pk", flat=True))

    user_model = get_user_model()
    password = make_password("bench-password-2026")
    users = [
        user_model(
            username=f"staff{i:05d}",
            email=f"staff{i:05d}@bench.example.gov",
            first_name=rng.choice(["Ana", "Zoë", "Liam", "Wei", "José", "Priya", "Noah"]),
            last_name=rng.choice(["García", "O'Brien", "Nguyen", "Smith", "Müller", "Kim"]),
            password=password,
        )
        for i in range(scale.staff)
    ]
    for batch in _batched(users):
        user_model.objects.bulk_create(batch)
    user_ids = list(user_model.objects.order_by("pk").values_list("pk", flat=True))
    profiles = [
        StaffProfile(
            user_id=user_id,
            employee_id=f"B{index:06d}",
            department_id=department_ids[index % len(department_ids)],
            job_role_id=job_role_ids[index % len(job_role_ids)],
            start_date=dt.date(2015, 1, 1) + dt.timedelta(days=index % 3000),
        )
        for index, user_id in enumerate(user_ids)
    ]
    for batch in _batched(profiles):
        StaffProfile.objects.bulk_create(batch)
    profile_ids = list(StaffProfile.objects.order_by("pk").values_list("pk", flat=True))
    # Line managers: the first person of each department manages the rest of it.
    managers: dict[int, int] = {}
    updates = []
    for profile in StaffProfile.objects.order_by("pk").only("pk", "department_id"):
        head = managers.setdefault(profile.department_id, profile.pk)
        if head != profile.pk:
            profile.manager_id = head
            updates.append(profile)
    for batch in _batched(updates):
        StaffProfile.objects.bulk_update(batch, ["manager"])
    return time.perf_counter() - started, {
        "department_ids": department_ids,
        "job_role_ids": job_role_ids,
        "user_ids": user_ids,
        "profile_ids": profile_ids,
        "managers": managers,
    }


def generate_courses(scale: Scale, job_role_ids: list[int]) -> tuple[float, dict]:
    """Course pages through Wagtail's own API (the page tree needs it), lessons included."""
    from cms.models import HomePage
    from courses.models import (
        Competence,
        CourseCatalogPage,
        CourseCompetence,
        CoursePage,
        LessonPage,
    )
    from courses.services import course_refresh_lesson_count

    started = time.perf_counter()
    home = HomePage.objects.first()
    catalogue = CourseCatalogPage.objects.first()
    if catalogue is None:
        catalogue = home.add_child(instance=CourseCatalogPage(title="Courses", slug="catalogue"))
    competence_ids = list(Competence.objects.values_list("pk", flat=True))
    course_ids: list[int] = []
    lessons: dict[int, list[int]] = {}
    body = [
        {"type": "heading", "value": {"text": "What you will do", "level": "h2"}},
        {"type": "paragraph", "value": "<p>" + "Residents expect to apply online. " * 40 + "</p>"},
        {"type": "callout", "value": {"kind": "tip", "text": "<p>Save your work often.</p>"}},
    ]
    for index in range(scale.courses):
        course = catalogue.add_child(
            instance=CoursePage(
                title=f"Digital skills course {index + 1:03d}",
                slug=f"bench-course-{index + 1:03d}",
                summary="A short course for municipal staff working with new online services.",
                estimated_minutes=[10, 20, 45, 90][index % 4],
                target_level=1 + index % 8,
            )
        )
        course.audience_job_roles.set(job_role_ids[index % len(job_role_ids) :: 37][:4])
        if competence_ids:
            CourseCompetence.objects.create(
                course=course, competence_id=competence_ids[index % len(competence_ids)]
            )
        course_ids.append(course.pk)
        lessons[course.pk] = []
        for lesson_index in range(scale.lessons_per_course):
            lesson = course.add_child(
                instance=LessonPage(
                    title=f"Lesson {lesson_index + 1}", slug=f"lesson-{lesson_index + 1}", body=body
                )
            )
            lessons[course.pk].append(lesson.pk)
        course_refresh_lesson_count(course=course)
    return time.perf_counter() - started, {"course_ids": course_ids, "lessons": lessons}


def generate_curricula(scale: Scale, course_ids: list[int]) -> tuple[float, list[int]]:
    from lms.models import Curriculum, CurriculumCourse

    started = time.perf_counter()
    Curriculum.objects.bulk_create(
        [Curriculum(name=f"Curriculum {i + 1:02d}") for i in range(scale.curricula)]
    )
    curriculum_ids = list(Curriculum.objects.order_by("pk").values_list("pk", flat=True))
    items = []
    for index, curriculum_id in enumerate(curriculum_ids):
        for offset in range(5):
            items.append(
                CurriculumCourse(
                    curriculum_id=curriculum_id,
                    course_id=course_ids[(index * 5 + offset) % len(course_ids)],
                    sort_order=offset,
                )
            )
    CurriculumCourse.objects.bulk_create(items, ignore_conflicts=True)
    return time.perf_counter() - started, curriculum_ids


def generate_learning(
    scale: Scale,
    rng: random.Random,
    user_ids: list[int],
    course_ids: list[int],
    lessons: dict[int, list[int]],
    learner_id: int,
) -> float:
    """Enrolments with assignments, lesson progress and completions, in bulk."""
    from courses.models import CourseCompletion, Enrolment, LessonProgress
    from lms.models import Assignment

    started = time.perf_counter()
    now = timezone.now()
    today = timezone.localdate()
    pairs: list[tuple[int, int]] = [(learner_id, c) for c in course_ids[:30]]
    per_user = max(1, scale.assignments // len(user_ids))
    for user_id in user_ids:
        if user_id == learner_id:
            continue
        for course_id in rng.sample(course_ids, min(per_user, len(course_ids))):
            pairs.append((user_id, course_id))
            if len(pairs) >= scale.assignments:
                break
        if len(pairs) >= scale.assignments:
            break
    lessons_total = sum(len(lessons[c]) for _u, c in pairs)
    progress_share = min(1.0, scale.lesson_progress / max(1, lessons_total))
    enrolments = []
    for user_id, course_id in pairs:
        state = rng.random()
        done = (
            len(lessons[course_id])
            if state < progress_share * 0.7
            else int(len(lessons[course_id]) * rng.random() * progress_share)
        )
        enrolments.append(
            Enrolment(
                user_id=user_id,
                course_id=course_id,
                source="assignment",
                lessons_completed=done,
                started_at=now if done else None,
                completed_at=now - dt.timedelta(days=rng.randrange(400))
                if done == len(lessons[course_id])
                else None,
            )
        )
    for batch in _batched(enrolments):
        Enrolment.objects.bulk_create(batch)
    by_pair = {
        (e.user_id, e.course_id): e
        for e in Enrolment.objects.only(
            "pk", "user_id", "course_id", "lessons_completed", "completed_at"
        )
    }
    assignments = []
    progress = []
    completions = []
    for user_id, course_id in pairs:
        enrolment = by_pair[(user_id, course_id)]
        assignments.append(
            Assignment(
                user_id=user_id,
                course_id=course_id,
                enrolment_id=enrolment.pk,
                assigned_at=now - dt.timedelta(days=rng.randrange(200)),
                due_date=today + dt.timedelta(days=rng.randrange(-60, 120)),
                required=rng.random() < 0.8,
            )
        )
        for lesson_id in lessons[course_id][: enrolment.lessons_completed]:
            progress.append(
                LessonProgress(enrolment_id=enrolment.pk, lesson_id=lesson_id, completed_at=now)
            )
        if enrolment.completed_at is not None:
            completions.append(
                CourseCompletion(
                    enrolment_id=enrolment.pk,
                    user_id=user_id,
                    course_id=course_id,
                    completed_at=enrolment.completed_at,
                    expires_at=enrolment.completed_at + dt.timedelta(days=365),
                )
            )
        if len(progress) >= BATCH * 4:
            LessonProgress.objects.bulk_create(progress, batch_size=BATCH)
            progress.clear()
    LessonProgress.objects.bulk_create(progress, batch_size=BATCH)
    for batch in _batched(assignments):
        Assignment.objects.bulk_create(batch)
    for batch in _batched(completions):
        CourseCompletion.objects.bulk_create(batch)
    return time.perf_counter() - started
