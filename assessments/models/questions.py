"""The question bank: categories, questions and their immutable versions.

A question's content (text, options, credit, feedback) lives in ``QuestionVersion.content``, a
JSON document written once and never changed. Editing a question adds a new version and
points ``Question.current_version`` at it; attempts keep the version they were given, so an
edit never changes the score of an attempt already submitted. The content format is the one
``assessments.bank_io`` documents (it mirrors ``assessments.interchange.ImportedQuestion``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["Question", "QuestionCategory", "QuestionType", "QuestionVersion"]


class QuestionType(models.TextChoices):
    SINGLE_CHOICE = "single_choice", _("Single choice")
    MULTIPLE_RESPONSE = "multiple_response", _("Multiple response")
    TRUE_FALSE = "true_false", _("True / false")
    SHORT_TEXT = "short_text", _("Short text")
    NUMERIC = "numeric", _("Numeric")
    MATCHING = "matching", _("Matching")
    ORDERING = "ordering", _("Ordering")


class QuestionCategory(models.Model):
    """A folder of the question bank, named by its path as Moodle does ("Security/Phishing")."""

    name = models.CharField(
        _("name"),
        max_length=255,
        unique=True,
        help_text=_('Use "/" for sub-categories, e.g. "Security/Phishing".'),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("question category")
        verbose_name_plural = _("question categories")

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    """A question in the bank. Its content is the current ``QuestionVersion``."""

    category = models.ForeignKey(
        QuestionCategory,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="questions",
    )
    name = models.CharField(_("name"), max_length=255)
    # Denormalised from the current version so lists can filter by type without JSON queries.
    qtype = models.CharField(_("type"), max_length=30, choices=QuestionType.choices, editable=False)
    competences = models.ManyToManyField(
        "courses.Competence",
        verbose_name=_("competences"),
        blank=True,
        related_name="questions",
    )
    is_active = models.BooleanField(
        _("in use"),
        default=True,
        help_text=_(
            "Random draws only pick questions in use. Retire a question instead of deleting it."
        ),
    )
    current_version = models.ForeignKey(
        "QuestionVersion",
        verbose_name=_("current version"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["category__name", "name", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        indexes = [models.Index(fields=["category", "is_active"])]

    def __str__(self) -> str:
        return self.name


class QuestionVersion(models.Model):
    """One immutable state of a question's content. Written once by the services, never updated."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    content = models.JSONField(_("content"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["question", "number"]
        verbose_name = _("question version")
        verbose_name_plural = _("question versions")
        constraints = [
            models.UniqueConstraint(fields=["question", "number"], name="unique_question_version")
        ]

    def __str__(self) -> str:
        return f"{self.question_id} v{self.number}"
