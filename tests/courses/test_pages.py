"""The page tree, lesson counts kept by the publishing hooks, and the demo courses."""

from __future__ import annotations

import pytest
from wagtail.models import GroupPagePermission, WorkflowPage

from cms.models import HomePage
from courses import demo
from courses.models import CourseCatalogPage, CourseCompletion, CoursePage, Enrolment, LessonPage
from lms.roles import Role

from .factories import lessons_of, make_catalogue, make_course

pytestmark = pytest.mark.django_db


def test_tree_is_constrained():
    assert CourseCatalogPage.can_create_at(HomePage.objects.first())
    catalogue = make_catalogue()
    assert not CourseCatalogPage.can_create_at(HomePage.objects.first())  # only one
    assert CoursePage.can_create_at(catalogue)
    assert not CoursePage.can_create_at(HomePage.objects.first())
    course = make_course(lessons=1)
    assert LessonPage.can_create_at(course)
    assert not LessonPage.can_create_at(catalogue)
    assert not LessonPage.can_create_at(lessons_of(course)[0])
    assert not CoursePage.can_create_at(course)


def test_lesson_count_follows_publishing():
    course = make_course(lessons=2)
    assert course.lesson_count == 2
    extra = course.add_child(instance=LessonPage(title="Extra", slug="extra", live=False))
    extra.save_revision().publish()
    course.refresh_from_db()
    assert course.lesson_count == 3
    extra.refresh_from_db()
    extra.unpublish()
    course.refresh_from_db()
    assert course.lesson_count == 2


def test_admin_hooks_recount_after_delete_and_move(admin_client):
    first = make_course("First", lessons=2)
    second = make_course("Second", lessons=1)
    moving = lessons_of(first)[1]  # "lesson-2": no slug clash in the second course
    response = admin_client.post(f"/admin/pages/{moving.pk}/move/{second.pk}/confirm/")
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.lesson_count, second.lesson_count) == (1, 2)
    doomed = lessons_of(second)[0]
    response = admin_client.post(f"/admin/pages/{doomed.pk}/delete/")
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.lesson_count == 1


def test_demo_seed_is_idempotent(learner):
    from lms.services import roles_sync

    roles_sync()
    demo.seed(users={"learner": learner})
    demo.seed(users={"learner": learner})
    courses = CoursePage.objects.filter(slug__in=[spec["slug"] for spec in demo.COURSES])
    assert courses.count() == 6
    for course in courses:
        assert course.live and course.lesson_count >= 3
        assert course.course_competences.exists()
        assert any(
            block.block_type == "knowledge_check"
            for lesson in lessons_of(course)
            for block in lesson.body
        )
    assert CourseCatalogPage.objects.count() == 1
    completed = Enrolment.objects.get(user=learner, course__slug=demo.COMPLETED_FOR_LEARNER)
    assert completed.completed_at is not None
    assert CourseCompletion.objects.filter(user=learner).count() == 1
    started = Enrolment.objects.get(user=learner, course__slug=demo.IN_PROGRESS_FOR_LEARNER)
    assert started.completed_at is None and started.lessons_completed == 1
    catalogue = CourseCatalogPage.objects.get()
    assert GroupPagePermission.objects.filter(
        group__name=Role.CONTENT_EDITOR.value, page=catalogue, permission__codename="publish_page"
    ).exists()
    assert WorkflowPage.objects.filter(page=catalogue).exists()
