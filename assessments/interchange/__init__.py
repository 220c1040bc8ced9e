"""Question-bank interchange with Moodle: read Moodle XML and GIFT, write Moodle XML.

Pure Python (no Django models): readers return neutral dataclasses that a later step maps to
models. See ``moodle_xml`` and ``gift`` for the mapping and for which problems reject a whole
file (``InterchangeError``) and which only skip a question (``ImportResult.skipped``).
"""

from .gift import parse_gift
from .moodle_xml import export_moodle_xml, parse_moodle_xml
from .types import (
    AcceptedAnswer,
    Choice,
    ImportedQuestion,
    ImportResult,
    InterchangeError,
    MatchPair,
    QuestionType,
    SkippedQuestion,
    TextFormat,
)

__all__ = [
    "AcceptedAnswer",
    "Choice",
    "ImportResult",
    "ImportedQuestion",
    "InterchangeError",
    "MatchPair",
    "QuestionType",
    "SkippedQuestion",
    "TextFormat",
    "export_moodle_xml",
    "parse_gift",
    "parse_moodle_xml",
]
