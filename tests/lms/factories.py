"""Factories of HR: courses to assign, curricula, and finished training."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.text import slugify

from courses.models import CourseCatalogPage, CoursePage, Enrolment
from courses.services import enrolment_check_completion
from lms.models import Curriculum, CurriculumCourse


def make_catalogue() -> CourseCatalogPage:
    """The course catalogue page (under the home page), created once."""
    from cms.services import site_ensure_default

    catalogue = CourseCatalogPage.objects.first()
    if catalogue is not None:
        return catalogue
    home = site_ensure_default().root_page
    return home.add_child(instance=CourseCatalogPage(title="Courses", slug="courses"))


def make_course(title: str = "Phishing awareness", **fields) -> CoursePage:
    """A published course page with no lessons (it completes as soon as it is checked)."""
    fields.setdefault("summary", f"{title}: what staff need to know.")
    fields.setdefault("slug", slugify(title))
    return make_catalogue().add_child(instance=CoursePage(title=title, **fields))


def make_curriculum(name: str, courses) -> Curriculum:
    curriculum = Curriculum.objects.create(name=name)
    for index, course in enumerate(courses):
        CurriculumCourse.objects.create(curriculum=curriculum, course=course, sort_order=index)
    return curriculum


def complete(user, course, *, when: dt.datetime | None = None):
    """Finish ``course`` for ``user`` (the enrolment must exist, e.g. from an assignment)."""
    enrolment = Enrolment.objects.get(user=user, course=course)
    completion = enrolment_check_completion(enrolment=enrolment)
    if when is not None:
        Enrolment.objects.filter(pk=enrolment.pk).update(completed_at=when)
        completion.completed_at = when
        completion.save(update_fields=["completed_at"])
    return completion


def days_ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)
