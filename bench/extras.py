"""The rest of the synthetic city: quiz attempts, certificates, services, champions, sessions
and feedback — all with bulk inserts. Yields (name, seconds) per part."""

from __future__ import annotations

import datetime as dt
import random
import secrets
import time
from collections.abc import Iterator

from django.utils import timezone

from bench.generate import BATCH, Scale, _batched


def generate(
    scale: Scale, rng: random.Random, org: dict, courses: dict
) -> Iterator[tuple[str, float]]:
    yield "quiz_attempts", _attempts(scale, rng, courses["course_ids"])
    yield "certificates", _certificates(scale)
    seconds, service_ids = _services(scale, rng, org, courses["course_ids"])
    yield "services", seconds
    yield "champions_sessions_feedback", _network(scale, rng, org, service_ids)
    yield "readiness_snapshots", _snapshots()


def _snapshots() -> float:
    """Today's readiness snapshot of every service, as the nightly beat job leaves it."""
    from champions.services.readiness import readiness_snapshots_take_all

    started = time.perf_counter()
    readiness_snapshots_take_all()
    return time.perf_counter() - started


def _attempts(scale: Scale, rng: random.Random, course_ids: list[int]) -> float:
    from assessments.models import Attempt, AttemptState, Quiz
    from courses.models import Enrolment

    started = time.perf_counter()
    quizzes = Quiz.objects.bulk_create(
        [
            Quiz(title=f"Final check {index + 1}", course_id=course_id, pass_mark=70, is_live=True)
            for index, course_id in enumerate(course_ids)
        ]
    )
    quiz_by_course = {quiz.course_id: quiz.pk for quiz in Quiz.objects.only("pk", "course_id")}
    del quizzes
    now = timezone.now()
    attempts = []
    enrolments = Enrolment.objects.filter(lessons_completed__gt=0).values_list(
        "pk", "user_id", "course_id"
    )
    for enrolment_id, user_id, course_id in enrolments.iterator(chunk_size=BATCH):
        percent = rng.choice([40.0, 60.0, 80.0, 100.0])
        attempts.append(
            Attempt(
                quiz_id=quiz_by_course[course_id],
                user_id=user_id,
                enrolment_id=enrolment_id,
                number=1,
                seed=rng.randrange(2**31),
                state=AttemptState.SUBMITTED,
                started_at=now - dt.timedelta(days=rng.randrange(300)),
                submitted_at=now,
                score=percent / 10,
                max_score=10,
                percent=percent,
                passed=percent >= 70,
            )
        )
        if len(attempts) >= scale.quiz_attempts:
            break
    for batch in _batched(attempts):
        Attempt.objects.bulk_create(batch)
    return time.perf_counter() - started


def _certificates(scale: Scale) -> float:
    from assessments.models import Certificate
    from courses.models import CourseCompletion

    started = time.perf_counter()
    rows = []
    completions = CourseCompletion.objects.select_related("course", "user").only(
        "pk",
        "user_id",
        "course_id",
        "completed_at",
        "expires_at",
        "course__title",
        "user__first_name",
        "user__last_name",
        "user__username",
    )
    for completion in completions.order_by("pk").iterator(chunk_size=BATCH):
        rows.append(
            Certificate(
                user_id=completion.user_id,
                completion_id=completion.pk,
                course_id=completion.course_id,
                code=secrets.token_hex(8).upper(),
                recipient_name=completion.user.get_full_name() or completion.user.username,
                title=completion.course.title,
                completed_on=completion.completed_at.date(),
                expires_on=completion.expires_at.date() if completion.expires_at else None,
            )
        )
        if len(rows) >= scale.certificates:
            break
    for batch in _batched(rows):
        Certificate.objects.bulk_create(batch)
    return time.perf_counter() - started


def _services(scale: Scale, rng: random.Random, org: dict, course_ids: list[int]):
    from champions.models import Service, ServiceDepartment, ServicePhase
    from courses.models import CoursePage

    started = time.perf_counter()
    today = timezone.localdate()
    departments = org["department_ids"]
    services = Service.objects.bulk_create(
        [
            Service(
                name=f"Online service {index + 1:02d}",
                slug=f"online-service-{index + 1:02d}",
                owning_department_id=departments[index % len(departments)],
                phase=ServicePhase.ROLLOUT,
                go_live_date=today + dt.timedelta(days=20 + 15 * index),
            )
            for index in range(scale.services)
        ]
    )
    service_ids = list(Service.objects.order_by("pk").values_list("pk", flat=True))
    links = []
    for index, service_id in enumerate(service_ids):
        for department_id in rng.sample(departments, min(len(departments), 12)):
            links.append(ServiceDepartment(service_id=service_id, department_id=department_id))
        CoursePage.objects.filter(pk=course_ids[index % len(course_ids)]).update(
            service_id=service_id
        )
    ServiceDepartment.objects.bulk_create(links)
    del services
    return time.perf_counter() - started, service_ids


def _network(scale: Scale, rng: random.Random, org: dict, service_ids: list[int]) -> float:
    from champions.models import (
        Champion,
        ChampionStatus,
        Feedback,
        FeedbackKind,
        FeedbackStatus,
        MentoringSession,
        Mentorship,
    )
    from lms.models import StaffProfile

    started = time.perf_counter()
    now = timezone.now()
    people = list(
        StaffProfile.objects.order_by("pk").values_list("user_id", "department_id")[: scale.staff]
    )
    step = max(1, len(people) // max(1, scale.champions))
    champion_people = people[::step][: scale.champions]
    champions = [
        Champion(
            user_id=user_id,
            service_id=service_ids[index % len(service_ids)],
            department_id=department_id,
            status=ChampionStatus.APPROVED,
            decided_at=now,
        )
        for index, (user_id, department_id) in enumerate(champion_people)
    ]
    Champion.objects.bulk_create(champions)
    _grant_champion_role({user_id for user_id, _department in champion_people})
    champion_rows = list(
        Champion.objects.order_by("pk").values_list("pk", "service_id", "department_id")
    )
    by_department: dict[int, list[int]] = {}
    for user_id, department_id in people:
        by_department.setdefault(department_id, []).append(user_id)
    mentorships = []
    seen: set[tuple[int, int]] = set()
    for champion_id, service_id, department_id in champion_rows:
        for mentee_id in by_department.get(department_id, [])[:10]:
            if (service_id, mentee_id) in seen:
                continue
            seen.add((service_id, mentee_id))
            mentorships.append(
                Mentorship(champion_id=champion_id, service_id=service_id, mentee_id=mentee_id)
            )
    for batch in _batched(mentorships):
        Mentorship.objects.bulk_create(batch)
    sessions = [
        MentoringSession(
            champion_id=champion_rows[index % len(champion_rows)][0],
            held_on=now.date() - dt.timedelta(days=rng.randrange(180)),
            duration_minutes=rng.choice([15, 30, 45, 60]),
            topic="Walking through the new online form",
        )
        for index in range(scale.mentoring_sessions)
    ]
    for batch in _batched(sessions):
        MentoringSession.objects.bulk_create(batch)
    statuses = list(FeedbackStatus.values)
    kinds = list(FeedbackKind.values)
    feedback = [
        Feedback(
            service_id=service_ids[index % len(service_ids)],
            department_id=people[index % len(people)][1],
            kind=kinds[index % len(kinds)],
            status=statuses[index % len(statuses)],
            title=f"About the new form ({index + 1})",
            body="Residents ask whether they can still pay at the counter.",
            author_id=people[(index * 7) % len(people)][0],
            public_answer="Yes, until the end of the year." if index % 3 == 0 else "",
            created_at=now - dt.timedelta(days=rng.randrange(120)),
        )
        for index in range(scale.feedback)
    ]
    for batch in _batched(feedback):
        Feedback.objects.bulk_create(batch)
    return time.perf_counter() - started


def _grant_champion_role(user_ids: set[int]) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from lms.roles import Role

    group = Group.objects.get(name=Role.CHAMPION.value)
    membership = get_user_model().groups.through
    membership.objects.bulk_create(
        [membership(user_id=user_id, group_id=group.pk) for user_id in sorted(user_ids)],
        ignore_conflicts=True,
    )
    # Memberships written in bulk send no m2m signal: forget cached roles as a save would.
    from lms.cache import new_generation
    from lms.permissions import ROLES_GENERATION

    new_generation(ROLES_GENERATION)
