"""Factories of the assessments app: courses with a final quiz, questions of every type."""

from __future__ import annotations

import itertools

from django.utils.text import slugify

from assessments.models import Question, QuestionCategory, Quiz, QuizDrawRule, QuizQuestion
from assessments.services.questions import question_category_get_or_create, question_create
from courses.models import CourseCatalogPage, CoursePage, LessonPage

_numbers = itertools.count(1)


def make_catalogue() -> CourseCatalogPage:
    """The course catalogue page (under the home page), created once."""
    from cms.services import site_ensure_default

    catalogue = CourseCatalogPage.objects.first()
    if catalogue is not None:
        return catalogue
    home = site_ensure_default().root_page
    return home.add_child(instance=CourseCatalogPage(title="Courses", slug="courses"))


def make_course(title: str | None = None, **fields) -> CoursePage:
    """A published course page with no lessons."""
    title = title or f"Course {next(_numbers)}"
    fields.setdefault("summary", f"{title}: what staff need to know.")
    fields.setdefault("slug", slugify(title))
    return make_catalogue().add_child(instance=CoursePage(title=title, **fields))


def make_lesson(course: CoursePage, title: str | None = None) -> LessonPage:
    title = title or f"Lesson {next(_numbers)}"
    return course.add_child(instance=LessonPage(title=title, slug=slugify(title)))


def choice(text: str, fraction: float, feedback: str = "") -> dict:
    return {"text": text, "fraction": fraction, "feedback": feedback}


def answer(text: str, fraction: float = 1.0, feedback: str = "", tolerance: float = 0.0) -> dict:
    return {"text": text, "fraction": fraction, "feedback": feedback, "tolerance": tolerance}


def content(qtype: str, text: str = "Question?", **extra) -> dict:
    """Question version content with every key (see assessments.bank_io)."""
    base = {
        "qtype": qtype,
        "text": text,
        "text_format": "html",
        "general_feedback": "",
        "correct_feedback": "",
        "partially_correct_feedback": "",
        "incorrect_feedback": "",
        "choices": [],
        "answers": [],
        "case_sensitive": False,
        "pairs": [],
        "order": [],
        "shuffle": True,
        "default_mark": 1.0,
        "tags": [],
    }
    base.update(extra)
    return base


def single_choice_content(text: str = "Report a phishing email?") -> dict:
    return content(
        "single_choice",
        text,
        choices=[
            choice("Report it", 1.0, "Right."),
            choice("Reply", 0.0, "Never."),
            choice("Ignore it", 0.0),
        ],
    )


def make_category(name: str | None = None) -> QuestionCategory:
    return question_category_get_or_create(name=name or f"Category {next(_numbers)}")


def make_question(
    *, category: QuestionCategory | None = None, name: str | None = None, body: dict | None = None
) -> Question:
    """A question in the bank (single choice unless ``body`` says otherwise)."""
    return question_create(
        category=category or make_category(),
        name=name or f"Question {next(_numbers)}",
        content=body or single_choice_content(),
    )


def make_quiz(
    *,
    course: CoursePage | None = None,
    questions: list[Question] | None = None,
    draw: list[tuple[QuestionCategory, int]] = (),
    **fields,
) -> Quiz:
    """An open final quiz on ``course`` (a new course when not given) with fixed questions."""
    course = course or make_course()
    fields.setdefault("title", f"{course.title} quiz")
    fields.setdefault("is_live", True)
    fields.setdefault("shuffle_options", False)
    quiz = Quiz.objects.create(course=course, **fields)
    for order, question in enumerate(questions or []):
        QuizQuestion.objects.create(quiz=quiz, question=question, sort_order=order)
    for order, (category, count) in enumerate(draw):
        QuizDrawRule.objects.create(quiz=quiz, category=category, count=count, sort_order=order)
    return quiz


# --- Certificates and self-assessment --------------------------------------------------------


def complete_course(user, course: CoursePage | None = None):
    """Complete ``course`` (a new one with one lesson when not given) through the services.

    Returns the CourseCompletion. Certificates are queued through the outbox after commit, so
    in a test they are only issued inside ``django_capture_on_commit_callbacks(execute=True)``.
    """
    from courses.models import CourseCompletion
    from courses.services import enrolment_create, lesson_complete

    course = course or make_course()
    lesson = LessonPage.objects.child_of(course).live().first() or make_lesson(course)
    enrolment_create(user=user, course=course)
    lesson_complete(user=user, lesson=lesson)
    return CourseCompletion.objects.filter(user=user, course=course).latest("completed_at")


def default_framework():
    """The default competency framework (DigComp 2.2, loaded by a courses data migration)."""
    from courses.models import CompetencyFramework

    return CompetencyFramework.objects.get(is_default=True)


def take_selfassessment(user, level_for=lambda statement: 3):
    """Start, answer every statement with ``level_for(statement)`` and submit."""
    from assessments.models import SelfAssessmentStatement
    from assessments.services.selfassessment import (
        selfassessment_save_answers,
        selfassessment_start,
        selfassessment_submit,
    )

    assessment = selfassessment_start(user=user)
    statements = SelfAssessmentStatement.objects.filter(
        is_active=True, competence__framework=assessment.framework
    ).select_related("competence__area")
    selfassessment_save_answers(
        assessment=assessment, answers={s.pk: level_for(s) for s in statements}
    )
    return selfassessment_submit(assessment=assessment)
