"""Write-side operations of quizzes: starting, saving and submitting attempts.

Grading happens here, on the server, once: ``attempt_submit`` locks the attempt row and only
grades an attempt that is still in progress, so a double submit grades once. The time limit is
enforced here too: answers that arrive after the deadline are not saved, and an attempt whose
time ran out is graded with the answers saved before it.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import CoursePage, Enrolment
from courses.services import enrolment_check_completion, enrolment_create

from ..grading import grade
from ..models import Attempt, AttemptQuestion, AttemptState, QuestionVersion, Quiz
from ..selectors.questions import questions_in_category


@dataclass(frozen=True)
class DrawnQuestion:
    version: QuestionVersion
    marks: int


def quiz_course(quiz: Quiz) -> CoursePage | None:
    """The course a quiz counts for: its own course, or the course of its lesson."""
    if quiz.course_id:
        return quiz.course
    if quiz.lesson_id:
        parent = quiz.lesson.get_parent()
        return parent.specific if parent is not None else None
    return None


def quiz_draw(*, quiz: Quiz, seed: int) -> list[DrawnQuestion]:
    """The questions an attempt with this seed gets: fixed ones, then the random draws.

    Deterministic for a given seed and bank: candidates are taken in primary-key order before
    the seeded generator picks from them, and the order is shuffled by the same generator when
    the quiz shuffles questions.
    """
    rng = random.Random(seed)  # noqa: S311 - reproducible draw, not security
    drawn: list[DrawnQuestion] = []
    used: set[int] = set()
    fixed = (
        quiz.fixed_questions.select_related("question__current_version")
        .filter(question__current_version__isnull=False)
        .order_by("sort_order", "pk")
    )
    for item in fixed:
        if item.question_id in used:
            continue
        used.add(item.question_id)
        drawn.append(DrawnQuestion(item.question.current_version, item.marks))
    for rule in quiz.draw_rules.select_related("category").order_by("sort_order", "pk"):
        candidates = list(
            questions_in_category(rule.category)
            .filter(is_active=True, current_version__isnull=False)
            .exclude(pk__in=used)
            .select_related("current_version")
            .order_by("pk")
        )
        picked = rng.sample(candidates, min(rule.count, len(candidates)))
        for question in picked:
            used.add(question.pk)
            drawn.append(DrawnQuestion(question.current_version, rule.marks))
    if quiz.shuffle_questions:
        rng.shuffle(drawn)
    return drawn


def option_order(*, seed: int, position: int, count: int, shuffle: bool) -> list[int]:
    """The order in which a slot shows its ``count`` options, derived from the attempt's seed."""
    order = list(range(count))
    if shuffle and count > 1:
        random.Random(f"{seed}:{position}").shuffle(order)  # noqa: S311 - reproducible order
    return order


def _enrolment_for_quiz(*, user, quiz: Quiz) -> Enrolment | None:
    course = quiz_course(quiz)
    if course is None:
        return None
    enrolment = Enrolment.objects.filter(user=user, course=course).first()
    if enrolment is None:
        enrolment = enrolment_create(user=user, course=course)
    return enrolment


def attempts_used(*, user, quiz: Quiz, cycle: int) -> int:
    """Attempts the person started on this quiz in this cycle (submitted or not)."""
    return Attempt.objects.filter(quiz=quiz, user=user, cycle=cycle).count()


@transaction.atomic
def attempt_start(*, user, quiz: Quiz, now: dt.datetime | None = None) -> Attempt:
    """Start an attempt, or return the one the person already has open (resume).

    An open attempt whose time ran out is graded first. Refused (ValidationError) when the quiz
    is not open, has no questions, or the person has used all attempts of the current cycle.
    """
    now = now or timezone.now()
    if not quiz.is_live:
        raise ValidationError(_("This quiz is not open yet."))
    open_attempt = Attempt.objects.filter(
        quiz=quiz, user=user, state=AttemptState.IN_PROGRESS
    ).first()
    if open_attempt is not None:
        if open_attempt.deadline is None or now <= open_attempt.deadline:
            return open_attempt
        attempt_submit(attempt=open_attempt, now=now)
    enrolment = _enrolment_for_quiz(user=user, quiz=quiz)
    cycle = enrolment.cycle if enrolment is not None else 1
    used = attempts_used(user=user, quiz=quiz, cycle=cycle)
    if quiz.attempts_allowed and used >= quiz.attempts_allowed:
        raise ValidationError(_("You have used all your attempts at this quiz."))
    seed = secrets.randbits(62)
    drawn = quiz_draw(quiz=quiz, seed=seed)
    if not drawn:
        raise ValidationError(_("This quiz has no questions yet."))
    deadline = (
        now + dt.timedelta(minutes=quiz.time_limit_minutes) if quiz.time_limit_minutes else None
    )
    attempt = Attempt(
        quiz=quiz,
        user=user,
        enrolment=enrolment,
        cycle=cycle,
        number=used + 1,
        seed=seed,
        started_at=now,
        deadline=deadline,
        max_score=float(sum(item.marks for item in drawn)),
    )
    attempt.full_clean()
    try:
        with transaction.atomic():
            attempt.save()
    except IntegrityError:
        # Two tabs pressed "Start" at once: the other request created the attempt.
        return Attempt.objects.get(quiz=quiz, user=user, state=AttemptState.IN_PROGRESS)
    per_page = quiz.questions_per_page
    AttemptQuestion.objects.bulk_create(
        AttemptQuestion(
            attempt=attempt,
            position=position,
            page=(position - 1) // per_page + 1 if per_page else 1,
            version=item.version,
            max_mark=item.marks,
        )
        for position, item in enumerate(drawn, start=1)
    )
    return attempt


def _locked(attempt: Attempt) -> Attempt:
    return Attempt.objects.select_for_update(of=("self",)).select_related("quiz").get(pk=attempt.pk)


def _is_late(attempt: Attempt, now: dt.datetime) -> bool:
    return attempt.deadline is not None and now > attempt.deadline


def _store_responses(attempt: Attempt, responses: dict[int, object], now: dt.datetime) -> None:
    slots = {slot.position: slot for slot in attempt.slots.filter(position__in=list(responses))}
    changed = []
    for position, response in responses.items():
        slot = slots.get(position)
        if slot is None:
            continue
        slot.response = response
        slot.saved_at = now
        changed.append(slot)
    AttemptQuestion.objects.bulk_update(changed, ["response", "saved_at"])


@transaction.atomic
def attempt_save(
    *, attempt: Attempt, responses: dict[int, object], now: dt.datetime | None = None
) -> Attempt:
    """Save answers (keyed by question position) as the learner goes, so they can resume.

    After the deadline nothing is saved: the attempt is graded with what was saved in time.
    Saving a submitted attempt is refused.
    """
    now = now or timezone.now()
    attempt = _locked(attempt)
    if attempt.state != AttemptState.IN_PROGRESS:
        raise ValidationError(_("This attempt has already been submitted."))
    if _is_late(attempt, now):
        return attempt_submit(attempt=attempt, now=now)
    _store_responses(attempt, responses, now)
    return attempt


@transaction.atomic
def attempt_submit(
    *,
    attempt: Attempt,
    responses: dict[int, object] | None = None,
    now: dt.datetime | None = None,
) -> Attempt:
    """Grade an attempt once; submitting again returns it unchanged.

    ``responses`` (the last page's answers) are saved first unless the time has run out. Each
    question is graded against the version the attempt showed. When the attempt passes a quiz
    that counts for a course, the course is completed at once if its other rules are met.
    """
    now = now or timezone.now()
    attempt = _locked(attempt)
    if attempt.state != AttemptState.IN_PROGRESS:
        return attempt
    late = _is_late(attempt, now)
    if responses and not late:
        _store_responses(attempt, responses, now)
    slots = list(attempt.slots.select_related("version").order_by("position"))
    total = 0.0
    for slot in slots:
        result = grade(slot.version.content, slot.response)
        slot.fraction = result.fraction
        slot.score = round(result.fraction * slot.max_mark, 5)
        total += slot.score
    AttemptQuestion.objects.bulk_update(slots, ["fraction", "score"])
    quiz = attempt.quiz
    attempt.state = AttemptState.SUBMITTED
    attempt.submitted_at = attempt.deadline if late else now
    attempt.timed_out = late
    attempt.score = round(total, 5)
    attempt.percent = round(100 * total / attempt.max_score, 2) if attempt.max_score else 0.0
    attempt.passed = attempt.percent + 1e-9 >= quiz.pass_mark
    attempt.save(update_fields=["state", "submitted_at", "timed_out", "score", "percent", "passed"])
    if attempt.passed and attempt.enrolment_id:
        enrolment = Enrolment.objects.get(pk=attempt.enrolment_id)
        if enrolment.cycle == attempt.cycle:
            enrolment_check_completion(enrolment=enrolment)
    return attempt
