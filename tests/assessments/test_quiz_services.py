"""Attempts: draw, reproducibility, time limit, resume, double submit, versioning, completion."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from assessments.completion import course_quiz_requirement
from assessments.models import AttemptState
from assessments.selectors.quizzes import attempt_slot_views, quiz_item_analysis
from assessments.services.questions import question_version_record
from assessments.services.quizzes import (
    attempt_save,
    attempt_start,
    attempt_submit,
    option_order,
    quiz_draw,
)
from courses.models import CourseCompletion, Enrolment
from courses.services import enrolment_create
from tests.assessments.factories import (
    make_category,
    make_course,
    make_question,
    make_quiz,
    single_choice_content,
)

pytestmark = pytest.mark.django_db


def _bank(size: int = 8):
    category = make_category("Security/Phishing")
    return category, [make_question(category=category) for _ in range(size)]


def test_random_draw_and_option_order_are_reproducible_per_seed():
    category, _questions = _bank(10)
    quiz = make_quiz(draw=[(category, 4)], shuffle_questions=True, shuffle_options=True)
    first = [d.version.pk for d in quiz_draw(quiz=quiz, seed=1234)]
    again = [d.version.pk for d in quiz_draw(quiz=quiz, seed=1234)]
    assert first == again
    assert len(set(first)) == 4
    seeds = {tuple(d.version.pk for d in quiz_draw(quiz=quiz, seed=s)) for s in range(20)}
    assert len(seeds) > 1
    assert option_order(seed=7, position=2, count=5, shuffle=True) == option_order(
        seed=7, position=2, count=5, shuffle=True
    )
    assert option_order(seed=7, position=2, count=5, shuffle=False) == [0, 1, 2, 3, 4]


def test_attempt_shows_the_same_questions_and_options_when_resumed(learner):
    category, _questions = _bank(6)
    quiz = make_quiz(draw=[(category, 3)], shuffle_options=True)
    attempt = attempt_start(user=learner, quiz=quiz)
    views = [(v.slot.version_id, [o.value for o in v.options]) for v in attempt_slot_views(attempt)]
    resumed = attempt_start(user=learner, quiz=quiz)
    assert resumed.pk == attempt.pk
    assert [
        (v.slot.version_id, [o.value for o in v.options]) for v in attempt_slot_views(resumed)
    ] == views


def test_fixed_and_drawn_questions_do_not_repeat(learner):
    category, questions = _bank(3)
    quiz = make_quiz(questions=[questions[0]], draw=[(category, 5)])
    attempt = attempt_start(user=learner, quiz=quiz)
    ids = [s.version.question_id for s in attempt.slots.all()]
    assert sorted(ids) == sorted(q.pk for q in questions)


def test_saved_answers_survive_and_submit_grades_once(learner):
    question = make_question()
    quiz = make_quiz(questions=[question, make_question()], pass_mark=50)
    attempt = attempt_start(user=learner, quiz=quiz)
    attempt_save(attempt=attempt, responses={1: 0})
    attempt.refresh_from_db()
    assert attempt.slots.get(position=1).response == 0
    submitted = attempt_submit(attempt=attempt, responses={2: 1})
    assert submitted.state == AttemptState.SUBMITTED
    assert submitted.score == 1.0 and submitted.percent == 50.0 and submitted.passed
    again = attempt_submit(attempt=attempt, responses={2: 0})
    assert again.score == 1.0
    assert again.submitted_at == submitted.submitted_at
    with pytest.raises(ValidationError):
        attempt_save(attempt=attempt, responses={1: 1})


def test_late_answers_do_not_count(learner):
    quiz = make_quiz(questions=[make_question(), make_question()], time_limit_minutes=10)
    start = timezone.now()
    attempt = attempt_start(user=learner, quiz=quiz, now=start)
    assert attempt.deadline == start + dt.timedelta(minutes=10)
    attempt_save(attempt=attempt, responses={1: 0}, now=start + dt.timedelta(minutes=9))
    late = start + dt.timedelta(minutes=11)
    graded = attempt_submit(attempt=attempt, responses={2: 0}, now=late)
    assert graded.timed_out
    assert graded.submitted_at == attempt.deadline
    assert graded.score == 1.0  # question 1 saved in time, question 2 arrived late
    assert graded.slots.get(position=2).response is None


def test_save_after_the_deadline_grades_with_what_was_saved(learner):
    quiz = make_quiz(questions=[make_question()], time_limit_minutes=5)
    start = timezone.now()
    attempt = attempt_start(user=learner, quiz=quiz, now=start)
    result = attempt_save(attempt=attempt, responses={1: 0}, now=start + dt.timedelta(minutes=6))
    assert result.state == AttemptState.SUBMITTED and result.timed_out and result.score == 0


def test_expired_open_attempt_is_graded_when_the_learner_starts_again(learner):
    quiz = make_quiz(questions=[make_question()], time_limit_minutes=5)
    start = timezone.now() - dt.timedelta(hours=1)
    first = attempt_start(user=learner, quiz=quiz, now=start)
    second = attempt_start(user=learner, quiz=quiz)
    first.refresh_from_db()
    assert first.state == AttemptState.SUBMITTED and first.timed_out
    assert second.pk != first.pk and second.number == 2


def test_attempts_allowed_are_enforced(learner):
    quiz = make_quiz(questions=[make_question()], attempts_allowed=1)
    attempt_submit(attempt=attempt_start(user=learner, quiz=quiz))
    with pytest.raises(ValidationError, match="used all your attempts"):
        attempt_start(user=learner, quiz=quiz)


def test_closed_or_empty_quiz_cannot_be_started(learner):
    with pytest.raises(ValidationError):
        attempt_start(user=learner, quiz=make_quiz(questions=[make_question()], is_live=False))
    with pytest.raises(ValidationError, match="no questions"):
        attempt_start(user=learner, quiz=make_quiz())


def test_editing_a_question_never_changes_a_submitted_score(learner):
    question = make_question()
    quiz = make_quiz(questions=[question])
    attempt = attempt_submit(attempt=attempt_start(user=learner, quiz=quiz), responses={1: 0})
    assert attempt.score == 1.0
    edited = single_choice_content()
    edited["choices"][0]["fraction"] = 0.0
    edited["choices"][1]["fraction"] = 1.0
    version = question_version_record(question=question, content=edited)
    assert version.number == 2
    attempt.refresh_from_db()
    assert attempt.score == 1.0
    assert attempt.slots.get().version.number == 1
    # A new attempt gets the new version.
    quiz.attempts_allowed = 0
    quiz.save()
    new = attempt_start(user=learner, quiz=quiz)
    assert new.slots.get().version_id == version.pk


def test_course_quiz_requirement_and_completion_on_pass(learner):
    course = make_course(require_quiz_pass=True)
    quiz = make_quiz(course=course, questions=[make_question()], pass_mark=80)
    enrolment = enrolment_create(user=learner, course=course)
    assert course_quiz_requirement(enrolment) == "Pass the course quiz (pass mark 80%)."
    failed = attempt_submit(attempt=attempt_start(user=learner, quiz=quiz), responses={1: 1})
    assert not failed.passed
    assert not CourseCompletion.objects.filter(enrolment=enrolment).exists()
    passed = attempt_submit(attempt=attempt_start(user=learner, quiz=quiz), responses={1: 0})
    assert passed.passed and passed.enrolment_id == enrolment.pk
    assert course_quiz_requirement(enrolment) is None
    assert CourseCompletion.objects.filter(enrolment=enrolment, cycle=1).exists()
    # A new cycle needs a new pass.
    Enrolment.objects.filter(pk=enrolment.pk).update(cycle=2, completed_at=None)
    enrolment.refresh_from_db()
    assert course_quiz_requirement(enrolment) is not None


def test_course_quiz_requirement_is_none_without_quiz_or_when_not_required(learner):
    course = make_course()
    enrolment = enrolment_create(user=learner, course=course)
    assert course_quiz_requirement(enrolment) is None
    optional = make_course(require_quiz_pass=False)
    make_quiz(course=optional, questions=[make_question()])
    assert course_quiz_requirement(enrolment_create(user=learner, course=optional)) is None


def test_item_analysis_counts_attempts_right_answers_and_average(learner, other_learner):
    easy, hard = make_question(name="Easy"), make_question(name="Hard")
    quiz = make_quiz(questions=[easy, hard], attempts_allowed=0)
    attempt_submit(attempt=attempt_start(user=learner, quiz=quiz), responses={1: 0, 2: 1})
    attempt_submit(attempt=attempt_start(user=other_learner, quiz=quiz), responses={1: 0, 2: 0})
    attempt_start(user=learner, quiz=quiz)  # in progress: not counted
    rows = {row.name: row for row in quiz_item_analysis(quiz)}
    assert rows["Easy"].attempts == 2 and rows["Easy"].percent_right == 100.0
    assert rows["Hard"].answered_right == 1 and rows["Hard"].average_percent == 50.0


def test_lesson_quiz_counts_in_the_lessons_course_cycle(learner):
    from assessments.models import Quiz, QuizQuestion
    from assessments.selectors.quizzes import quiz_status
    from tests.assessments.factories import make_lesson

    course = make_course()
    lesson = make_lesson(course)
    quiz = Quiz.objects.create(title="Lesson check", lesson=lesson, is_live=True)
    QuizQuestion.objects.create(quiz=quiz, question=make_question())
    attempt = attempt_start(user=learner, quiz=quiz)
    enrolment = Enrolment.objects.get(user=learner, course=course)
    assert attempt.enrolment_id == enrolment.pk and attempt.cycle == enrolment.cycle
    assert quiz_status(user=learner, quiz=quiz).open_attempt == attempt
    # A lesson quiz is not the course's final quiz.
    assert course_quiz_requirement(enrolment) is None
