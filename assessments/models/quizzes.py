"""Quizzes, the questions they use, and learners' attempts.

A quiz belongs to a course (its final assessment) or to a lesson. Its questions are fixed
(``QuizQuestion``) and/or drawn at random from categories (``QuizDrawRule``). Each attempt
stores a seed: the draw and the order of options derive from it, so an attempt always looks
the same when it is resumed or reviewed. Each ``AttemptQuestion`` points at the question
*version* it showed, and holds the learner's saved response and, once submitted, its grade.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

__all__ = [
    "Attempt",
    "AttemptQuestion",
    "AttemptState",
    "Quiz",
    "QuizDrawRule",
    "QuizQuestion",
]


class Quiz(ClusterableModel):
    """A graded quiz on a course (final assessment) or a lesson, with its rules."""

    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(
        _("introduction"), blank=True, help_text=_("Shown on the quiz start page.")
    )
    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course (final quiz)"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="quizzes",
        help_text=_("Pick a course for its final quiz, or a lesson below, not both."),
    )
    lesson = models.ForeignKey(
        "courses.LessonPage",
        verbose_name=_("lesson"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="quizzes",
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"),
        default=80,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    attempts_allowed = models.PositiveSmallIntegerField(
        _("attempts allowed"),
        default=3,
        help_text=_("Per learner and course cycle. 0 means unlimited."),
    )
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("time limit (minutes)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leave empty for no time limit."),
    )
    questions_per_page = models.PositiveSmallIntegerField(
        _("questions per page"),
        default=0,
        help_text=_("0 shows all questions on one page."),
    )
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=False)
    shuffle_options = models.BooleanField(
        _("shuffle options"),
        default=True,
        help_text=_("Questions whose own setting says not to shuffle keep their order."),
    )
    show_score = models.BooleanField(_("show the score after submitting"), default=True)
    show_correct_answers = models.BooleanField(
        _("show which answers were right after submitting"), default=True
    )
    show_feedback = models.BooleanField(_("show feedback after submitting"), default=True)
    is_live = models.BooleanField(
        _("open to learners"),
        default=False,
        help_text=_("Learners can only see and take quizzes that are open."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("intro"),
        MultiFieldPanel([FieldPanel("course"), FieldPanel("lesson")], heading=_("Attached to")),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("pass_mark"), FieldPanel("attempts_allowed")]),
                FieldRowPanel([FieldPanel("time_limit_minutes"), FieldPanel("questions_per_page")]),
                FieldPanel("shuffle_questions"),
                FieldPanel("shuffle_options"),
            ],
            heading=_("Rules"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("show_score"),
                FieldPanel("show_correct_answers"),
                FieldPanel("show_feedback"),
            ],
            heading=_("After submitting, learners see"),
        ),
        InlinePanel("fixed_questions", heading=_("Fixed questions"), label=_("Question")),
        InlinePanel(
            "draw_rules", heading=_("Random questions from categories"), label=_("Draw rule")
        ),
        FieldPanel("is_live"),
    ]

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(course__isnull=False, lesson__isnull=True)
                    | models.Q(course__isnull=True, lesson__isnull=False)
                ),
                name="quiz_on_course_or_lesson",
            ),
            models.UniqueConstraint(
                fields=["course"],
                condition=models.Q(course__isnull=False),
                name="one_final_quiz_per_course",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if bool(self.course_id) == bool(self.lesson_id):
            raise ValidationError(
                {"course": _("Attach the quiz to a course or to a lesson (one of the two).")}
            )
        if self.course_id:
            clash = Quiz.objects.filter(course_id=self.course_id).exclude(pk=self.pk)
            if clash.exists():
                raise ValidationError({"course": _("This course already has a final quiz.")})


class QuizQuestion(Orderable):
    """A question every attempt of the quiz gets."""

    quiz = ParentalKey(Quiz, on_delete=models.CASCADE, related_name="fixed_questions")
    question = models.ForeignKey(
        "assessments.Question",
        verbose_name=_("question"),
        on_delete=models.PROTECT,
        related_name="quiz_uses",
    )
    marks = models.PositiveSmallIntegerField(
        _("marks"), default=1, validators=[MinValueValidator(1)]
    )

    panels = [FieldRowPanel([FieldPanel("question"), FieldPanel("marks")])]

    class Meta(Orderable.Meta):
        verbose_name = _("fixed question")
        verbose_name_plural = _("fixed questions")


class QuizDrawRule(Orderable):
    """Draw ``count`` random questions (in use) from a category for each attempt."""

    quiz = ParentalKey(Quiz, on_delete=models.CASCADE, related_name="draw_rules")
    category = models.ForeignKey(
        "assessments.QuestionCategory",
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="draw_rules",
    )
    count = models.PositiveSmallIntegerField(
        _("number of questions"), default=5, validators=[MinValueValidator(1)]
    )
    marks = models.PositiveSmallIntegerField(
        _("marks each"), default=1, validators=[MinValueValidator(1)]
    )

    panels = [FieldRowPanel([FieldPanel("category"), FieldPanel("count"), FieldPanel("marks")])]

    class Meta(Orderable.Meta):
        verbose_name = _("random draw rule")
        verbose_name_plural = _("random draw rules")


class AttemptState(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Submitted")


class Attempt(models.Model):
    """One learner's go at a quiz. Graded once, on the server, when it is submitted."""

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    enrolment = models.ForeignKey(
        "courses.Enrolment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The enrolment cycle the attempt counts for (attempts allowed and passing are per cycle).
    cycle = models.PositiveSmallIntegerField(default=1)
    number = models.PositiveSmallIntegerField(_("attempt number"))
    seed = models.BigIntegerField()
    state = models.CharField(
        max_length=20, choices=AttemptState.choices, default=AttemptState.IN_PROGRESS
    )
    started_at = models.DateTimeField()
    deadline = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    timed_out = models.BooleanField(default=False)
    score = models.FloatField(null=True, blank=True)
    max_score = models.FloatField(default=0)
    percent = models.FloatField(null=True, blank=True)
    passed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        constraints = [
            models.UniqueConstraint(
                fields=["quiz", "user", "cycle", "number"], name="unique_attempt_number"
            ),
            models.UniqueConstraint(
                fields=["quiz", "user"],
                condition=models.Q(state="in_progress"),
                name="one_open_attempt_per_quiz",
            ),
        ]
        indexes = [models.Index(fields=["quiz", "state"]), models.Index(fields=["user", "quiz"])]

    def __str__(self) -> str:
        return f"{self.quiz} · {self.user} · #{self.number}"

    @property
    def is_open(self) -> bool:
        return self.state == AttemptState.IN_PROGRESS


class AttemptQuestion(models.Model):
    """One question of an attempt: the version shown, the saved response and its grade."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="slots")
    position = models.PositiveSmallIntegerField()
    page = models.PositiveSmallIntegerField(default=1)
    version = models.ForeignKey(
        "assessments.QuestionVersion", on_delete=models.PROTECT, related_name="attempt_slots"
    )
    max_mark = models.PositiveSmallIntegerField(default=1)
    response = models.JSONField(null=True, blank=True)
    saved_at = models.DateTimeField(null=True, blank=True)
    fraction = models.FloatField(null=True, blank=True)
    score = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["attempt", "position"]
        verbose_name = _("attempt question")
        verbose_name_plural = _("attempt questions")
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="unique_attempt_slot")
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id} · {self.position}"
