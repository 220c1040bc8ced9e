"""Write-side operations of the digital-skills self-assessment: start, answer, submit.

A person has at most one open (draft) sitting; starting again continues it. Submitting turns
the answers into a level per competence (mean of its statements) and per area (mean of its
competences), stored as score rows, and marks the sitting as the person's latest.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from courses.models import Competence, CompetencyFramework

from ..models import (
    SelfAssessment,
    SelfAssessmentAnswer,
    SelfAssessmentAreaScore,
    SelfAssessmentScore,
    SelfAssessmentStatement,
)

# Default statements per DigComp 2.2 competence code, written for municipal staff. Editors
# change them in the admin ("Self-assessment statements"); defaults are only added for
# competences that have no statement at all, so edits and deactivations stick.
DEFAULT_STATEMENTS: dict[str, list[str]] = {
    "1.1": [
        "I can find and compare information from different online sources.",
        "I can use search filters and keywords to find a policy, form or record quickly.",
    ],
    "1.2": [
        "I can judge whether a website, email or document is reliable and up to date.",
        "I can spot misleading or manipulated information before I pass it on.",
    ],
    "1.3": [
        "I can organise, store and find files in shared drives and document systems.",
        "I can keep data in a spreadsheet or system tidy so others can use it.",
    ],
    "2.1": [
        "I can choose the right tool (email, chat, video call) for each conversation.",
        "I can run or take part in a video meeting, including sharing my screen.",
    ],
    "2.2": [
        "I can share documents and links with the right people and the right access rights.",
    ],
    "2.3": [
        "I can help residents use the city's online services and find public information.",
    ],
    "2.4": [
        "I can work on the same document with colleagues at the same time.",
        "I can use shared calendars, task lists or team spaces to coordinate work.",
    ],
    "2.5": [
        "I can communicate online politely and clearly, adapting to the audience.",
    ],
    "2.6": [
        "I can manage my work accounts and profiles and keep them separate from personal ones.",
    ],
    "3.1": [
        "I can create clear documents, forms and presentations with digital tools.",
        "I can write content for the web that residents understand.",
    ],
    "3.2": [
        "I can update and improve existing templates, documents and web content.",
    ],
    "3.3": [
        "I know which images, texts and data I may reuse, and how to credit them.",
    ],
    "3.4": [
        "I can automate a simple repetitive task, e.g. with spreadsheet formulas or macros.",
    ],
    "4.1": [
        "I can keep my devices secure: updates, screen locks and strong passwords.",
        "I can recognise a phishing email or suspicious link and report it.",
    ],
    "4.2": [
        "I can protect residents' personal data when I store, share or send it.",
        "I know what to do if personal data is sent to the wrong person.",
    ],
    "4.3": [
        "I can avoid health risks of screen work and manage digital overload.",
    ],
    "4.4": [
        "I know how to reduce the environmental impact of my digital work.",
    ],
    "5.1": [
        "I can solve common technical problems myself before calling the service desk.",
        "I can describe a technical problem clearly when I ask for help.",
    ],
    "5.2": [
        "I can pick the right digital tool or service for a task in my job.",
    ],
    "5.3": [
        "I can suggest how digital tools could improve a process in my team.",
    ],
    "5.4": [
        "I know where my digital skills need to grow and how to find training for them.",
    ],
}

_TWO_PLACES = Decimal("0.01")


def _mean(values) -> Decimal:
    values = list(values)
    return (sum(Decimal(v) for v in values) / len(values)).quantize(_TWO_PLACES, ROUND_HALF_UP)


def default_framework() -> CompetencyFramework:
    """The framework the self-assessment uses; a clear error when none is set up."""
    framework = CompetencyFramework.objects.filter(is_default=True).first()
    if framework is None:
        raise ValidationError(
            _("The digital skills check is not set up yet: no default competency framework.")
        )
    return framework


@transaction.atomic
def statements_ensure_defaults(*, framework: CompetencyFramework) -> int:
    """Add default statements for competences that have none; returns how many were added.

    Competences without a DigComp default get one generic statement built from their name.
    Idempotent.
    """
    competences = Competence.objects.filter(framework=framework).exclude(
        selfassessment_statements__isnull=False
    )
    new = []
    for competence in competences.order_by("sort_order", "code"):
        texts = DEFAULT_STATEMENTS.get(competence.code) or [
            _("I am confident in this area: %(name)s.") % {"name": competence.name}
        ]
        new.extend(
            SelfAssessmentStatement(competence=competence, text=text, sort_order=index)
            for index, text in enumerate(texts)
        )
    for statement in new:
        statement.full_clean()
    SelfAssessmentStatement.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def selfassessment_start(*, user) -> SelfAssessment:
    """Start the skills check, or continue the person's open sitting."""
    framework = default_framework()
    statements_ensure_defaults(framework=framework)
    existing = (
        SelfAssessment.objects.select_for_update()
        .filter(user=user, submitted_at__isnull=True)
        .first()
    )
    if existing is not None:
        return existing
    assessment = SelfAssessment(user=user, framework=framework, started_at=timezone.now())
    assessment.full_clean()
    assessment.save()
    return assessment


@transaction.atomic
def selfassessment_save_answers(
    *, assessment: SelfAssessment, answers: dict[int, int]
) -> SelfAssessment:
    """Record ratings (statement id → level number) on an open sitting; re-rating replaces.

    Every level must be one of the framework's levels and every statement an active one of the
    framework; otherwise nothing is saved.
    """
    assessment = SelfAssessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.submitted_at is not None:
        raise ValidationError(_("This skills check has already been submitted."))
    levels = set(assessment.framework.levels.values_list("number", flat=True))
    statement_ids = set(
        SelfAssessmentStatement.objects.filter(
            pk__in=answers.keys(), is_active=True, competence__framework=assessment.framework
        ).values_list("pk", flat=True)
    )
    for statement_id, level in answers.items():
        if statement_id not in statement_ids:
            raise ValidationError(_("One of the statements is no longer part of the check."))
        if level not in levels:
            raise ValidationError(_("Choose one of the levels shown."))
    existing = {
        answer.statement_id: answer
        for answer in SelfAssessmentAnswer.objects.filter(
            assessment=assessment, statement_id__in=statement_ids
        )
    }
    changed, new = [], []
    for statement_id, level in answers.items():
        answer = existing.get(statement_id)
        if answer is None:
            new.append(
                SelfAssessmentAnswer(assessment=assessment, statement_id=statement_id, level=level)
            )
        elif answer.level != level:
            answer.level = level
            changed.append(answer)
    SelfAssessmentAnswer.objects.bulk_create(new)
    SelfAssessmentAnswer.objects.bulk_update(changed, ["level"])
    return assessment


@transaction.atomic
def selfassessment_submit(*, assessment: SelfAssessment) -> SelfAssessment:
    """Finish a sitting: every active statement must be rated. Computes and stores the profile.

    The new sitting becomes the person's latest; earlier ones stay for "change since last time".
    """
    assessment = SelfAssessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.submitted_at is not None:
        return assessment
    statements = list(
        SelfAssessmentStatement.objects.filter(
            is_active=True, competence__framework=assessment.framework
        ).select_related("competence")
    )
    answers = dict(
        SelfAssessmentAnswer.objects.filter(assessment=assessment).values_list(
            "statement_id", "level"
        )
    )
    missing = [s for s in statements if s.pk not in answers]
    if missing:
        raise ValidationError(
            ngettext(
                "%(count)d statement still needs an answer.",
                "%(count)d statements still need an answer.",
                len(missing),
            )
            % {"count": len(missing)}
        )
    if not statements:
        raise ValidationError(_("The skills check has no statements to answer yet."))
    by_competence: dict[Competence, list[int]] = defaultdict(list)
    for statement in statements:
        by_competence[statement.competence].append(answers[statement.pk])
    competence_levels = {c: _mean(levels) for c, levels in by_competence.items()}
    by_area: dict[int, list[Decimal]] = defaultdict(list)
    for competence, level in competence_levels.items():
        by_area[competence.area_id].append(level)
    SelfAssessmentScore.objects.bulk_create(
        SelfAssessmentScore(assessment=assessment, competence=competence, level=level)
        for competence, level in competence_levels.items()
    )
    SelfAssessmentAreaScore.objects.bulk_create(
        SelfAssessmentAreaScore(assessment=assessment, area_id=area_id, level=_mean(levels))
        for area_id, levels in by_area.items()
    )
    SelfAssessment.objects.filter(user_id=assessment.user_id, is_latest=True).update(
        is_latest=False
    )
    assessment.submitted_at = timezone.now()
    assessment.is_latest = True
    assessment.save(update_fields=["submitted_at", "is_latest"])
    return assessment
