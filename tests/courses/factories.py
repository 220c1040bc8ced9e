"""Factories of the courses app: the catalogue, courses and their lessons, built like editors do
(``add_child`` then publish), and progress made through ``courses.services``."""

from __future__ import annotations

from django.utils.text import slugify

from cms.models import HomePage
from courses.models import CourseCatalogPage, CoursePage, LessonPage
from courses.services import course_refresh_lesson_count, lesson_complete


def make_catalogue() -> CourseCatalogPage:
    """The one course catalogue, under the home page."""
    catalogue = CourseCatalogPage.objects.first()
    if catalogue is not None:
        return catalogue
    home = HomePage.objects.first()
    return home.add_child(instance=CourseCatalogPage(title="Courses", slug="catalogue"))


def knowledge_check(question="Which link is safe?", correct=1) -> dict:
    """A knowledge-check block value with three answers, the ``correct`` one right."""
    return {
        "question": question,
        "choices": [
            {"text": f"Answer {i}", "is_correct": i == correct, "feedback": f"Feedback {i}"}
            for i in range(3)
        ],
        "explanation": "<p>Because it is.</p>",
    }


def make_course(
    title: str = "Spotting phishing emails", *, lessons: int = 3, body=None, **fields
) -> CoursePage:
    """A live course with ``lessons`` live lessons; ``lesson_count`` is kept up to date."""
    catalogue = make_catalogue()
    fields.setdefault("summary", f"A short course: {title}.")
    fields.setdefault("slug", slugify(title))
    course = catalogue.add_child(instance=CoursePage(title=title, **fields))
    for number in range(1, lessons + 1):
        course.add_child(
            instance=LessonPage(
                title=f"{title} – lesson {number}",
                slug=f"lesson-{number}",
                body=body if body is not None else [("paragraph", f"<p>Lesson {number}.</p>")],
            )
        )
    course_refresh_lesson_count(course=course)
    return course


def lessons_of(course: CoursePage) -> list[LessonPage]:
    return list(LessonPage.objects.child_of(course).live().order_by("path"))


def finish_lessons(user, course: CoursePage, count: int | None = None):
    """The person completes the first ``count`` lessons (all by default); the last result."""
    result = None
    for lesson in lessons_of(course)[:count]:
        result = lesson_complete(user=user, lesson=lesson)
    return result
