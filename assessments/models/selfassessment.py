"""The digital-skills self-assessment on a competency framework (DigComp 2.2 by default).

A person rates statements ("I can …") on the framework's proficiency levels. When they submit,
the answers are turned into a level per competence and per area (kept as score rows), so the
profile, the change since last time and the organisation-wide heat map are plain reads.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

__all__ = [
    "SelfAssessment",
    "SelfAssessmentAnswer",
    "SelfAssessmentAreaScore",
    "SelfAssessmentScore",
    "SelfAssessmentStatement",
]


class SelfAssessmentStatement(models.Model):
    """One "I can …" statement about a competence, rated on the framework's levels."""

    competence = models.ForeignKey(
        "courses.Competence",
        verbose_name=_("competence"),
        on_delete=models.CASCADE,
        related_name="selfassessment_statements",
    )
    text = models.CharField(
        _("statement"),
        max_length=300,
        help_text=_('Written in the first person, e.g. "I can find and compare information …".'),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive statements are no longer asked.")
    )

    panels = [
        FieldPanel("competence"),
        FieldPanel("text"),
        FieldPanel("sort_order"),
        FieldPanel("is_active"),
    ]

    class Meta:
        ordering = ["competence__area__sort_order", "competence__sort_order", "sort_order", "pk"]
        verbose_name = _("self-assessment statement")
        verbose_name_plural = _("self-assessment statements")

    def __str__(self) -> str:
        return self.text


class SelfAssessment(models.Model):
    """One sitting of the self-assessment by one person: a draft until submitted.

    ``is_latest`` marks each person's most recent submitted sitting (kept by the submit
    service), so the heat map reads one row per person without a window function.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="self_assessments",
    )
    framework = models.ForeignKey(
        "courses.CompetencyFramework",
        verbose_name=_("framework"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    started_at = models.DateTimeField(_("started at"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    is_latest = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        permissions = [
            (
                "view_individual_selfassessment",
                _("Can view individual people's self-assessment results"),
            )
        ]
        constraints = [
            # One draft at a time: starting again continues the open one.
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(submitted_at__isnull=True),
                name="one_open_selfassessment",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(is_latest=True),
                name="one_latest_selfassessment",
            ),
        ]
        indexes = [models.Index(fields=["user", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.started_at:%Y-%m-%d}"


class SelfAssessmentAnswer(models.Model):
    """A person's rating of one statement, as a proficiency level number."""

    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="answers")
    statement = models.ForeignKey(
        SelfAssessmentStatement, on_delete=models.CASCADE, related_name="answers"
    )
    level = models.PositiveSmallIntegerField(_("level"))

    class Meta:
        verbose_name = _("self-assessment answer")
        verbose_name_plural = _("self-assessment answers")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "statement"], name="unique_selfassessment_answer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.statement_id}: {self.level}"


class SelfAssessmentScore(models.Model):
    """A submitted sitting's level in one competence (the mean of its statements)."""

    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="scores")
    competence = models.ForeignKey("courses.Competence", on_delete=models.CASCADE, related_name="+")
    level = models.DecimalField(max_digits=4, decimal_places=2)

    class Meta:
        verbose_name = _("self-assessment competence score")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "competence"], name="unique_selfassessment_score"
            )
        ]

    def __str__(self) -> str:
        return f"{self.competence_id}: {self.level}"


class SelfAssessmentAreaScore(models.Model):
    """A submitted sitting's level in one competence area (the mean of its competences)."""

    assessment = models.ForeignKey(
        SelfAssessment, on_delete=models.CASCADE, related_name="area_scores"
    )
    area = models.ForeignKey("courses.CompetenceArea", on_delete=models.CASCADE, related_name="+")
    level = models.DecimalField(max_digits=4, decimal_places=2)

    class Meta:
        verbose_name = _("self-assessment area score")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "area"], name="unique_selfassessment_area_score"
            )
        ]
        indexes = [models.Index(fields=["area", "assessment"])]

    def __str__(self) -> str:
        return f"{self.area_id}: {self.level}"
