"""Wagtail admin of courses: competency frameworks, job-role target profiles, and read-only
lists of enrolments and lesson progress for HR; plus the page hooks that keep
``CoursePage.lesson_count`` right whenever lessons are published, unpublished, moved, copied or
deleted."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .filters import (
    CompetenceFilterSet,
    EnrolmentFilterSet,
    FrameworkChildFilterSet,
    JobRoleTargetFilterSet,
    LessonProgressFilterSet,
    LevelFilterSet,
)
from .models import (
    Competence,
    CompetenceArea,
    CompetencyFramework,
    CoursePage,
    Enrolment,
    JobRoleTarget,
    LessonPage,
    LessonProgress,
    ProficiencyLevel,
)
from .services import course_refresh_lesson_count


class ViewOnlyPermissionPolicy(ModelPermissionPolicy):
    """Records written only by the learning services: anyone may at most look at them."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_any_permission(user, actions)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a == "view"])

    def instances_user_has_any_permission_for(self, user, actions):
        if self.user_has_any_permission(user, actions):
            return self.model._default_manager.all()
        return self.model._default_manager.none()


register_permission_policy(Enrolment, ViewOnlyPermissionPolicy(Enrolment), exact_class=True)
register_permission_policy(
    LessonProgress, ViewOnlyPermissionPolicy(LessonProgress), exact_class=True
)


class CompetencyFrameworkViewSet(ModelViewSet):
    """Frameworks themselves (DigComp 2.2 comes with the install; others are imported)."""

    model = CompetencyFramework
    icon = "list-ul"
    menu_label = _("Frameworks")
    form_fields = ["name", "slug", "version", "description", "source_url", "is_default"]
    list_display = ["name", "version", "is_default"]
    search_fields = ["name", "description"]
    copy_view_enabled = False
    inspect_view_enabled = True


class CompetenceAreaViewSet(ModelViewSet):
    model = CompetenceArea
    icon = "folder-open-inverse"
    menu_label = _("Competence areas")
    form_fields = ["framework", "code", "name", "description", "sort_order"]
    list_display = ["code", "name", "framework"]
    filterset_class = FrameworkChildFilterSet
    search_fields = ["code", "name"]
    ordering = ["framework__name", "sort_order", "code"]
    copy_view_enabled = False


class CompetenceViewSet(ModelViewSet):
    model = Competence
    icon = "tick-inverse"
    menu_label = _("Competences")
    form_fields = ["framework", "area", "code", "name", "description", "sort_order"]
    list_display = ["code", "name", "area", "framework"]
    filterset_class = CompetenceFilterSet
    search_fields = ["code", "name", "description"]
    ordering = ["framework__name", "sort_order", "code"]
    copy_view_enabled = False

    def get_queryset(self, request):
        return Competence.objects.select_related("area", "framework")


class ProficiencyLevelViewSet(ModelViewSet):
    model = ProficiencyLevel
    icon = "order"
    menu_label = _("Proficiency levels")
    form_fields = ["framework", "number", "name", "group", "description"]
    list_display = ["number", "name", "group", "framework"]
    filterset_class = LevelFilterSet
    search_fields = ["name", "group"]
    ordering = ["framework__name", "number"]
    copy_view_enabled = False


class JobRoleTargetViewSet(ModelViewSet):
    """A job role's target profile: the level it needs in each competence."""

    model = JobRoleTarget
    icon = "user"
    menu_label = _("Job role targets")
    form_fields = ["job_role", "competence", "level"]
    list_display = [
        "job_role",
        Column("competence", label=_("Competence"), accessor="competence"),
        "level",
    ]
    filterset_class = JobRoleTargetFilterSet
    search_fields = ["job_role__name", "competence__name", "competence__code"]
    ordering = ["job_role__name", "competence__sort_order"]
    copy_view_enabled = False

    def get_queryset(self, request):
        return JobRoleTarget.objects.select_related("job_role", "competence")


class EnrolmentViewSet(ModelViewSet):
    """Who is taking which course, and how far they are (read-only)."""

    model = Enrolment
    icon = "group"
    menu_label = _("Enrolments")
    form_fields: list[str] = []  # never used: nobody may add or edit
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        Column("user", label=_("Person"), accessor="user"),
        Column("course", label=_("Course"), accessor="course"),
        Column("source", label=_("Source"), accessor="get_source_display"),
        "lessons_completed",
        DateColumn("enrolled_at", label=_("Enrolled")),
        DateColumn("completed_at", label=_("Completed")),
    ]
    filterset_class = EnrolmentFilterSet
    search_fields = ["user__username", "user__first_name", "user__last_name", "course__title"]
    ordering = ["-enrolled_at", "pk"]

    def get_queryset(self, request):
        return Enrolment.objects.select_related("user", "course")


class LessonProgressViewSet(ModelViewSet):
    """Lessons finished, one row per person, lesson and cycle (read-only)."""

    model = LessonProgress
    icon = "tasks"
    menu_label = _("Lesson progress")
    form_fields: list[str] = []  # never used: nobody may add or edit
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        Column("enrolment", label=_("Enrolment"), accessor="enrolment"),
        Column("lesson", label=_("Lesson"), accessor="lesson"),
        "cycle",
        DateColumn("completed_at", label=_("Completed")),
    ]
    filterset_class = LessonProgressFilterSet
    search_fields = ["enrolment__user__username", "enrolment__course__title", "lesson__title"]
    ordering = ["-completed_at", "pk"]

    def get_queryset(self, request):
        return LessonProgress.objects.select_related(
            "enrolment__user", "enrolment__course", "lesson"
        )


class LearningViewSetGroup(ViewSetGroup):
    menu_label = _("Learning")
    menu_icon = "doc-full-inverse"
    menu_order = 250
    items = (
        CompetencyFrameworkViewSet("courses_frameworks"),
        CompetenceAreaViewSet("courses_areas"),
        CompetenceViewSet("courses_competences"),
        ProficiencyLevelViewSet("courses_levels"),
        JobRoleTargetViewSet("courses_job_role_targets"),
        EnrolmentViewSet("courses_enrolments"),
        LessonProgressViewSet("courses_lesson_progress"),
    )


@hooks.register("register_admin_viewset")
def register_learning_viewsets():
    return LearningViewSetGroup()


# --- Keeping CoursePage.lesson_count right ----------------------------------------------------


def _course_of(page) -> CoursePage | None:
    """The course a page belongs to: itself, or the parent of a lesson."""
    specific_class = page.specific_class
    if specific_class is CoursePage:
        return CoursePage.objects.filter(pk=page.pk).first()
    if specific_class is LessonPage:
        parent = page.get_parent(update=True)  # never a parent cached before a move
        if parent is not None and parent.specific_class is CoursePage:
            return CoursePage.objects.filter(pk=parent.pk).first()
    return None


def _refresh(page) -> None:
    course = _course_of(page)
    if course is not None:
        course_refresh_lesson_count(course=course)


@hooks.register("after_publish_page")
def lesson_count_after_publish(request, page):
    _refresh(page)


@hooks.register("after_unpublish_page")
def lesson_count_after_unpublish(request, page):
    _refresh(page)


@hooks.register("after_delete_page")
def lesson_count_after_delete(request, page):
    if page.specific_class is LessonPage:
        _refresh(page)


@hooks.register("before_move_page")
def lesson_count_remember_source(request, page, destination):
    # After the move only the new parent is known; remember the course the lesson leaves.
    request._courses_moved_from = _course_of(page) if page.specific_class is LessonPage else None


@hooks.register("after_move_page")
def lesson_count_after_move(request, page):
    source = getattr(request, "_courses_moved_from", None)
    if source is not None:
        course_refresh_lesson_count(course=source)
    page.refresh_from_db()
    _refresh(page)


@hooks.register("after_copy_page")
def lesson_count_after_copy(request, page, new_page):
    _refresh(new_page)
