"""Demo data of assessments: a question bank imported from the GIFT file in ``demo_data/`` and
final quizzes on demo courses. Idempotent: the import skips questions already in the bank, and
quizzes are looked up by course before they are created."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from courses.models import CoursePage

from .models import QuestionCategory, Quiz, QuizDrawRule
from .services.questions import question_bank_import

BANK_FILE = Path(__file__).parent / "demo_data" / "civicskills_bank.gift"

# Course slug → (quiz title, [(category, questions drawn)], pass mark, time limit).
QUIZZES = {
    "spotting-phishing-emails": (
        "Phishing: final quiz",
        [("Security/Phishing", 5)],
        80,
        15,
    ),
    "handling-residents-personal-data": (
        "Personal data: final quiz",
        [("Privacy/Personal data", 4)],
        75,
        None,
    ),
    "online-permits-portal": (
        "Permits portal: final quiz",
        [("Permits/Online portal", 4), ("Security/Phishing", 1)],
        80,
        20,
    ),
}


@transaction.atomic
def _quiz(course: CoursePage, title: str, draws, pass_mark: int, minutes: int | None) -> bool:
    if Quiz.objects.filter(course=course).exists():
        return False
    quiz = Quiz.objects.create(
        title=title,
        intro="Answer the questions to finish the course. You can save and come back later.",
        course=course,
        pass_mark=pass_mark,
        attempts_allowed=3,
        time_limit_minutes=minutes,
        shuffle_questions=True,
        shuffle_options=True,
        is_live=True,
    )
    for order, (category_name, count) in enumerate(draws):
        category = QuestionCategory.objects.get(name=category_name)
        QuizDrawRule.objects.create(quiz=quiz, category=category, count=count, sort_order=order)
    return True


def seed(stdout=None, users=None, **ctx) -> dict:
    """Import the demo question bank and put a final quiz on the demo courses that exist."""
    report = question_bank_import(data=BANK_FILE.read_bytes())
    created = 0
    for slug, (title, draws, pass_mark, minutes) in QUIZZES.items():
        course = CoursePage.objects.filter(slug=slug).first()
        if course is None:
            if stdout is not None:
                stdout.write(f"  assessments: no course {slug!r}, its quiz is skipped")
            continue
        created += _quiz(course, title, draws, pass_mark, minutes)
    if stdout is not None:
        stdout.write(
            f"  assessments: {len(report.imported)} questions imported, "
            f"{len(report.unchanged)} already there, {created} quizzes created"
        )
    from .demo_certificates import seed_certificates_and_skills

    seed_certificates_and_skills(stdout=stdout, users=users, **ctx)
    return {"quizzes": list(Quiz.objects.filter(course__slug__in=list(QUIZZES)))}
