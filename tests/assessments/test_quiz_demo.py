"""The assessments demo seeder: bank import and course quizzes, idempotent."""

from __future__ import annotations

from io import StringIO

import pytest

from assessments import demo
from assessments.models import Question, Quiz
from assessments.services.quizzes import attempt_start
from tests.assessments.factories import make_course

pytestmark = pytest.mark.django_db


def test_seed_imports_the_bank_and_adds_quizzes_to_existing_courses(learner):
    course = make_course("Spotting phishing emails", slug="spotting-phishing-emails")
    out = StringIO()
    demo.seed(stdout=out)
    assert Question.objects.count() == 13
    assert {q.qtype for q in Question.objects.all()} >= {"matching", "ordering", "numeric"}
    quiz = Quiz.objects.get(course=course)
    assert "no course 'online-permits-portal'" in out.getvalue()
    attempt = attempt_start(user=learner, quiz=quiz)
    assert attempt.slots.count() == 5
    demo.seed(stdout=StringIO())
    assert Question.objects.count() == 13 and Quiz.objects.count() == 1
