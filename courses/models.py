"""Competency frameworks, course pages, enrolment and progress.

The page tree is constrained: home → course catalogue → course → lesson.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from cms.routing import CachedViewRestrictionsMixin
from lms.models import RoleFamily

from .blocks import LessonStreamBlock

# --- Competency frameworks ---------------------------------------------------------------


class CompetencyFramework(models.Model):
    """A skills framework such as DigComp 2.2: areas → competences, with proficiency levels."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    version = models.CharField(_("version"), max_length=30, blank=True)
    description = models.TextField(_("description"), blank=True)
    source_url = models.URLField(_("source"), blank=True)
    is_default = models.BooleanField(
        _("default framework"),
        default=False,
        help_text=_("Used by the self-assessment and the catalogue filters."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("competency framework")
        verbose_name_plural = _("competency frameworks")
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="one_default_framework",
            )
        ]

    def __str__(self) -> str:
        return self.name


class ProficiencyLevel(models.Model):
    """One level of a framework's proficiency scale, e.g. DigComp level 3 (Intermediate)."""

    framework = models.ForeignKey(
        CompetencyFramework, on_delete=models.CASCADE, related_name="levels"
    )
    number = models.PositiveSmallIntegerField(_("level"))
    name = models.CharField(_("name"), max_length=80)
    group = models.CharField(_("group"), max_length=80, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["framework", "number"]
        verbose_name = _("proficiency level")
        verbose_name_plural = _("proficiency levels")
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="unique_level_number")
        ]

    def __str__(self) -> str:
        return f"{self.number} – {self.name}"


class CompetenceArea(models.Model):
    """A competence area, e.g. DigComp "4 Safety"."""

    framework = models.ForeignKey(
        CompetencyFramework, on_delete=models.CASCADE, related_name="areas"
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["framework", "sort_order", "code"]
        verbose_name = _("competence area")
        verbose_name_plural = _("competence areas")
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="unique_area_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Competence(models.Model):
    """A single competence, e.g. DigComp "4.2 Protecting personal data and privacy"."""

    framework = models.ForeignKey(
        CompetencyFramework, on_delete=models.CASCADE, related_name="competences"
    )
    area = models.ForeignKey(CompetenceArea, on_delete=models.CASCADE, related_name="competences")
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["framework", "sort_order", "code"]
        verbose_name = _("competence")
        verbose_name_plural = _("competences")
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="unique_competence_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class JobRoleTarget(models.Model):
    """The proficiency a job role needs in one competence (its target profile)."""

    job_role = models.ForeignKey(
        "lms.JobRole", on_delete=models.CASCADE, related_name="competence_targets"
    )
    competence = models.ForeignKey(Competence, on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField(_("target level"))

    class Meta:
        verbose_name = _("job role target")
        verbose_name_plural = _("job role targets")
        constraints = [
            models.UniqueConstraint(fields=["job_role", "competence"], name="unique_role_target")
        ]

    def __str__(self) -> str:
        return f"{self.job_role}: {self.competence.code} ≥ {self.level}"


# --- Pages -----------------------------------------------------------------------------------


class Difficulty(models.TextChoices):
    BEGINNER = "beginner", _("Beginner")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


class CourseCatalogPage(CachedViewRestrictionsMixin, Page):
    """The course catalogue: lists the course pages below it, with filters and search."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count = 1

    class Meta:
        verbose_name = _("course catalogue")

    def serve(self, request, *args, **kwargs):
        # One catalogue for everyone: the filtered, searchable listing at /courses/.
        from django.urls import reverse

        return redirect(reverse("courses:catalogue"))


def _sign_in_required(request, message: str):
    """Course content is for staff: anonymous visitors are sent to sign in, with a reason."""
    messages.info(request, message)
    return redirect_to_login(request.get_full_path())


class CoursePage(CachedViewRestrictionsMixin, Page):
    """A short course: a summary, outcomes, audience and competences, and lessons below it."""

    summary = models.TextField(_("summary"), max_length=600)
    learning_outcomes = RichTextField(
        _("learning outcomes"), blank=True, features=["ul", "ol", "bold", "italic", "link"]
    )
    audience_job_roles = ParentalManyToManyField(
        "lms.JobRole", verbose_name=_("job roles"), blank=True, related_name="courses"
    )
    audience_role_families = models.JSONField(
        _("role families"),
        default=list,
        blank=True,
        help_text=_("Role families this course is meant for, e.g. frontline, supervisor."),
    )
    estimated_minutes = models.PositiveSmallIntegerField(_("estimated minutes"), default=30)
    difficulty = models.CharField(
        _("difficulty"), max_length=20, choices=Difficulty.choices, default=Difficulty.BEGINNER
    )
    target_level = models.PositiveSmallIntegerField(
        _("target proficiency level"),
        null=True,
        blank=True,
        help_text=_("The framework level a learner reaches in this course's competences."),
    )
    service = models.ForeignKey(
        "champions.Service",
        verbose_name=_("digital service"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="courses",
        help_text=_("The digital service this course prepares staff for, if any."),
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    image_alt = models.CharField(
        _("image alternative text"),
        max_length=250,
        blank=True,
        help_text=_("Describe the image for people who cannot see it. Required with an image."),
    )
    allow_self_enrol = models.BooleanField(_("staff may enrol themselves"), default=True)
    require_quiz_pass = models.BooleanField(
        _("course quiz must be passed"),
        default=True,
        help_text=_("When the course has a final quiz, passing it is needed to complete."),
    )
    # Denormalised: the number of live lessons, kept by the publish hooks so lists need no count.
    lesson_count = models.PositiveSmallIntegerField(default=0, editable=False)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("learning_outcomes"),
        MultiFieldPanel(
            [FieldPanel("image"), FieldPanel("image_alt")],
            heading=_("Image"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("audience_job_roles"),
                FieldPanel("audience_role_families"),
                FieldPanel("service"),
            ],
            heading=_("Audience"),
        ),
        MultiFieldPanel(
            [
                InlinePanel("course_competences", label=_("Competences")),
                FieldPanel("target_level"),
            ],
            heading=_("Competences developed"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("estimated_minutes"),
                FieldPanel("difficulty"),
                FieldPanel("allow_self_enrol"),
                FieldPanel("require_quiz_pass"),
            ],
            heading=_("Delivery and completion"),
        ),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("learning_outcomes"),
        index.FilterField("difficulty"),
        index.FilterField("estimated_minutes"),
    ]

    parent_page_types = ["courses.CourseCatalogPage"]
    subpage_types = ["courses.LessonPage"]

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def serve(self, request, *args, **kwargs):
        if not getattr(request, "is_preview", False) and not request.user.is_authenticated:
            return _sign_in_required(
                request, gettext("Courses are for city staff. Sign in to see this course.")
            )
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from .selectors import course_page_context, course_page_panels

        context = super().get_context(request, *args, **kwargs)
        if self.pk:
            context.update(course_page_context(user=request.user, course=self))
            context["panels"] = course_page_panels(request, self)
        return context


class CourseCompetence(Orderable):
    """A competence a course develops."""

    course = ParentalKey(CoursePage, on_delete=models.CASCADE, related_name="course_competences")
    competence = models.ForeignKey(
        Competence, verbose_name=_("competence"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("competence")]

    class Meta(Orderable.Meta):
        verbose_name = _("course competence")
        constraints = [
            models.UniqueConstraint(
                fields=["course", "competence"], name="unique_course_competence"
            )
        ]


class LessonPage(CachedViewRestrictionsMixin, Page):
    """One lesson of a course: a short page of instructions, media and knowledge checks."""

    estimated_minutes = models.PositiveSmallIntegerField(_("estimated minutes"), default=5)
    body = StreamField(LessonStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("estimated_minutes"), FieldPanel("body")]

    search_fields = [*Page.search_fields, index.SearchField("body")]

    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def serve(self, request, *args, **kwargs):
        if getattr(request, "is_preview", False):
            return super().serve(request, *args, **kwargs)
        if not request.user.is_authenticated:
            return _sign_in_required(
                request, gettext("Lessons are for city staff. Sign in to see this lesson.")
            )
        from .selectors import can_open_course, enrolment_with_done
        from .services import lesson_visit

        course = self.course_page()
        enrolment, done = enrolment_with_done(user=request.user, course_id=course.pk)
        if not can_open_course(user=request.user, course=course, enrolment=enrolment):
            raise PermissionDenied
        # Handed to get_context, which would otherwise read them again.
        enrolment = lesson_visit(user=request.user, lesson=self, enrolment=enrolment)
        self._served_enrolment_and_done = (enrolment, done)
        return super().serve(request, *args, **kwargs)

    def course_page(self) -> CoursePage:
        """The course this lesson belongs to, remembered on the instance (where treebeard's
        ``get_parent`` finds it too): from the live-course memo, else one query (a course
        that is not live, in previews)."""
        parent = getattr(self, "_cached_parent_obj", None)
        if not isinstance(parent, CoursePage):
            from .selectors import live_courses

            path = self.path[: -self.steplen]
            parent = live_courses().by_path.get(path) or CoursePage.objects.get(path=path)
            self._cached_parent_obj = parent
        return parent

    def get_context(self, request, *args, **kwargs):
        from .selectors import KNOWLEDGE_CHECK_SESSION_KEY, lesson_page_context

        context = super().get_context(request, *args, **kwargs)
        if self.pk and self.depth:
            session = getattr(request, "session", None)
            answers = {}
            if session is not None:
                answers = session.get(KNOWLEDGE_CHECK_SESSION_KEY, {}).get(str(self.pk), {})
            context.update(
                lesson_page_context(
                    user=request.user,
                    lesson=self,
                    answers=answers,
                    enrolment_and_done=getattr(self, "_served_enrolment_and_done", None),
                )
            )
        return context


# --- Enrolment and progress --------------------------------------------------------------------


class EnrolmentSource(models.TextChoices):
    SELF = "self", _("Self-enrolled")
    ASSIGNMENT = "assignment", _("Assigned")
    ADMIN = "admin", _("Enrolled by an administrator")


class Enrolment(models.Model):
    """A person taking a course. One per person and course; ``cycle`` counts recertifications.

    ``lessons_completed`` and ``completed_at`` describe the current cycle and are kept by the
    services in ``courses.services``; past cycles live on as ``CourseCompletion`` rows.
    """

    # Neither key has an index of its own: the unique (user, course) index serves every lookup
    # by person, the (course, completed_at) index below every lookup by course, and each index
    # fewer is less work for bulk assignment (40,000 enrolments at a time).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="enrolments",
        db_index=False,
    )
    course = models.ForeignKey(
        CoursePage, on_delete=models.CASCADE, related_name="enrolments", db_index=False
    )
    source = models.CharField(
        max_length=20, choices=EnrolmentSource.choices, default=EnrolmentSource.SELF
    )
    cycle = models.PositiveSmallIntegerField(default=1)
    enrolled_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    last_lesson = models.ForeignKey(
        LessonPage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_activity_at = models.DateTimeField(null=True, blank=True)
    lessons_completed = models.PositiveSmallIntegerField(default=0)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [models.UniqueConstraint(fields=["user", "course"], name="unique_enrolment")]
        indexes = [models.Index(fields=["course", "completed_at"])]

    def __str__(self) -> str:
        return f"{self.user} → {self.course}"


class LessonProgress(models.Model):
    """A lesson completed by an enrolled person in one cycle. Written once, never changed."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="progress")
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="+")
    cycle = models.PositiveSmallIntegerField(default=1)
    completed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "lesson", "cycle"], name="unique_lesson_progress"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} · {self.lesson_id}"


class CourseCompletion(models.Model):
    """A course completed, exactly once per enrolment cycle; certificates hang off this."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="completions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="course_completions"
    )
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="completions")
    cycle = models.PositiveSmallIntegerField(default=1)
    completed_at = models.DateTimeField()
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-completed_at"]
        verbose_name = _("course completion")
        verbose_name_plural = _("course completions")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "cycle"], name="unique_completion_cycle")
        ]
        indexes = [models.Index(fields=["user", "course"])]

    def __str__(self) -> str:
        return f"{self.user} completed {self.course} on {self.completed_at:%Y-%m-%d}"


ROLE_FAMILY_CHOICES = RoleFamily.choices
