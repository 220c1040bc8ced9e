"""Enrolment, lesson progress and course completion (courses.services)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError

from courses.models import CourseCompletion, Enrolment, LessonProgress
from courses.selectors import enrolment_with_done
from courses.services import (
    enrolment_check_completion,
    enrolment_create,
    enrolment_missing_requirements,
    enrolment_start_new_cycle,
    enrolments_ensure_bulk,
    enrolments_ensure_for,
    lesson_complete,
)
from lms.models import OutboxMessage

from .factories import finish_lessons, lessons_of, make_course

pytestmark = pytest.mark.django_db


def not_yet(enrolment):
    """A completion rule for tests: never met."""
    return "Pass the final quiz."


def test_lessons_complete_the_course_exactly_once(learner):
    course = make_course(lessons=3)
    first = finish_lessons(learner, course, 2)
    assert first.enrolment.lessons_completed == 2
    assert not first.course_completed_now
    result = finish_lessons(learner, course)  # 1, 2 again (no-ops) and 3
    assert result.course_completed_now
    enrolment = Enrolment.objects.get(user=learner, course=course)
    completed_at = enrolment.completed_at
    assert completed_at is not None
    assert enrolment.lessons_completed == 3

    again = finish_lessons(learner, course)
    assert not again.course_completed_now
    assert not again.newly_completed_lesson
    enrolment.refresh_from_db()
    assert enrolment.completed_at == completed_at
    assert CourseCompletion.objects.filter(user=learner, course=course).count() == 1
    assert enrolment_check_completion(enrolment=enrolment).completed_at == completed_at


def test_double_submit_records_one_progress_row(learner):
    course = make_course(lessons=2)
    lesson = lessons_of(course)[0]
    lesson_complete(user=learner, lesson=lesson)
    replay = lesson_complete(user=learner, lesson=lesson)
    assert not replay.newly_completed_lesson
    assert LessonProgress.objects.filter(lesson=lesson).count() == 1
    assert replay.enrolment.lessons_completed == 1


def test_extra_requirement_blocks_completion_and_says_why(learner, settings):
    settings.COURSE_COMPLETION_REQUIREMENTS = ["tests.courses.test_services.not_yet"]
    course = make_course(lessons=1)
    result = finish_lessons(learner, course)
    assert not result.course_completed_now
    enrolment = Enrolment.objects.get(user=learner, course=course)
    assert enrolment.completed_at is None
    assert enrolment_missing_requirements(enrolment=enrolment) == ["Pass the final quiz."]


def test_missing_lessons_are_a_reason(learner):
    course = make_course(lessons=3)
    finish_lessons(learner, course, 1)
    enrolment = Enrolment.objects.get(user=learner, course=course)
    assert enrolment_missing_requirements(enrolment=enrolment) == ["2 lesson(s) still to finish."]


def test_hook_that_cannot_be_imported_raises(learner, settings):
    settings.COURSE_COMPLETION_REQUIREMENTS = ["no_such_app.completion.rule"]
    course = make_course(lessons=1)
    with pytest.raises(ImproperlyConfigured):
        finish_lessons(learner, course)


def test_completion_queues_follow_up_tasks_once(learner, settings):
    settings.COURSE_COMPLETED_TASKS = ["assessments.tasks.certificate_issue_for_completion"]
    settings.CELERY_TASK_ALWAYS_EAGER = False
    course = make_course(lessons=1)
    finish_lessons(learner, course)
    finish_lessons(learner, course)
    completion = CourseCompletion.objects.get(user=learner, course=course)
    messages = OutboxMessage.objects.filter(
        task_name="assessments.tasks.certificate_issue_for_completion"
    )
    assert messages.count() == 1
    assert messages.get().kwargs == {"completion_id": completion.pk}


def test_self_enrol_refused_on_assignment_only_course(learner):
    course = make_course(allow_self_enrol=False)
    with pytest.raises(ValidationError):
        enrolment_create(user=learner, course=course)
    assert not Enrolment.objects.exists()


def test_bulk_enrolment_is_idempotent(learner, other_learner):
    course = make_course()
    pairs = [(learner.pk, course.pk), (other_learner.pk, course.pk)]
    first = enrolments_ensure_bulk(pairs=pairs)
    second = enrolments_ensure_bulk(pairs=pairs)
    assert {e.pk for e in first.values()} == {e.pk for e in second.values()}
    assert Enrolment.objects.count() == 2


def test_enrolments_ensure_for_adds_the_missing_ones_as_the_model_would(learner, other_learner):
    """One statement for people × courses: new rows get the model defaults and the source;
    an enrolment that exists keeps its source and progress; unknown ids are skipped."""
    from courses.models import EnrolmentSource

    first, second = make_course("First", lessons=0), make_course("Second", lessons=0)
    own = enrolment_create(user=learner, course=first, source=EnrolmentSource.SELF)
    Enrolment.objects.filter(pk=own.pk).update(lessons_completed=2)
    people, courses = [learner.pk, other_learner.pk, 987654], [first.pk, second.pk]

    assert enrolments_ensure_for(user_ids=people, course_ids=courses) == 3
    assert enrolments_ensure_for(user_ids=people, course_ids=courses) == 0

    rows = {(e.user_id, e.course_id): e for e in Enrolment.objects.all()}
    assert set(rows) == {(u, c) for u in people[:2] for c in courses}
    own.refresh_from_db()
    assert (own.source, own.lessons_completed) == (EnrolmentSource.SELF, 2)
    expected = Enrolment(source=EnrolmentSource.ASSIGNMENT)
    for key, enrolment in rows.items():
        if enrolment.pk == own.pk:
            continue
        assert enrolment.enrolled_at is not None
        for field in ("source", "cycle", "lessons_completed", "started_at", "completed_at"):
            assert getattr(enrolment, field) == getattr(expected, field), (key, field)


class TestEnrolmentWithDone:
    """The enrolment and its finished lessons, read together for course and lesson pages."""

    def test_no_enrolment(self, learner):
        course = make_course(lessons=2)
        assert enrolment_with_done(user=learner, course_id=course.pk) == (None, set())

    def test_enrolled_with_nothing_done_is_the_enrolment_and_no_lessons(self, learner):
        course = make_course(lessons=2)
        enrolment = enrolment_create(user=learner, course=course)
        found, done = enrolment_with_done(user=learner, course_id=course.pk)
        assert found.pk == enrolment.pk and done == set()

    def test_only_the_current_cycle_counts(self, learner, other_learner, django_assert_num_queries):
        course = make_course(lessons=3)
        enrolment = enrolment_create(user=learner, course=course)
        finish_lessons(learner, course)
        enrolment.refresh_from_db()
        enrolment_start_new_cycle(enrolment=enrolment)
        first = lessons_of(course)[0]
        lesson_complete(user=learner, lesson=first)
        enrolment_create(user=other_learner, course=course)
        finish_lessons(other_learner, course)  # someone else's progress is not mine
        with django_assert_num_queries(1):
            found, done = enrolment_with_done(user=learner, course_id=course.pk)
        assert found.pk == enrolment.pk and found.cycle == 2
        assert done == {first.pk}
        # Read as SQL, converted as the ORM converts: the same values, aware datetimes.
        stored = Enrolment.objects.get(pk=enrolment.pk)
        for name in ("enrolled_at", "started_at", "last_activity_at", "source", "last_lesson_id"):
            assert getattr(found, name) == getattr(stored, name)
        assert found.started_at.tzinfo is not None

    def test_anonymous_reads_nothing(self, django_assert_num_queries):
        from django.contrib.auth.models import AnonymousUser

        course = make_course(lessons=1)
        with django_assert_num_queries(0):
            assert enrolment_with_done(user=AnonymousUser(), course_id=course.pk) == (None, set())
