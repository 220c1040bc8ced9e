"""Assessments models: question bank, quizzes, attempts (and certificates, self-assessment)."""

from .certificates import *  # noqa: F403
from .questions import *  # noqa: F403
from .quizzes import *  # noqa: F403
from .selfassessment import *  # noqa: F403
