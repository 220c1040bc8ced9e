"""Neutral question-bank types shared by the Moodle XML and GIFT readers and the XML writer.

Also holds the few helpers both formats need (category paths, default names, numbers).

These dataclasses deliberately know nothing about Django: a later step maps them to models.
Text fields hold the text exactly as found in the file (HTML, Moodle auto-format, Markdown or
plain text, see ``ImportedQuestion.text_format``); nothing here sanitises HTML, so whoever
renders it must.
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass, field
from typing import Literal

QuestionType = Literal[
    "single_choice",
    "multiple_response",
    "true_false",
    "short_text",
    "numeric",
    "matching",
    "ordering",
]

# Moodle's names for its text formats, as written in the ``format`` attribute of Moodle XML.
TextFormat = Literal["html", "moodle_auto_format", "plain_text", "markdown"]

TEXT_FORMATS: tuple[TextFormat, ...] = ("html", "moodle_auto_format", "plain_text", "markdown")


@dataclass
class Choice:
    """One option of a single choice, multiple response or true/false question."""

    text: str
    # Credit for picking this option, -1..1. Moodle stores percentages (100, 33.33333, -50);
    # negative credit only makes sense for multiple response.
    fraction: float
    feedback: str = ""


@dataclass
class AcceptedAnswer:
    """One accepted answer of a short text or numeric question.

    For numeric questions ``text`` is the number as written (``"3.14"``) and ``tolerance``
    the accepted error either side; ``"*"`` is Moodle's catch-all for "any other answer",
    normally with fraction 0 and feedback for wrong answers.
    """

    text: str
    fraction: float = 1.0
    feedback: str = ""
    tolerance: float = 0.0


@dataclass
class MatchPair:
    """One row of a matching question.

    A pair with an empty ``prompt`` is a distractor: its ``answer`` is offered in every
    drop-down but matches no prompt (that is how Moodle stores extra wrong answers).
    """

    prompt: str
    answer: str


@dataclass
class ImportedQuestion:
    """A question read from (or to be written to) a question-bank file."""

    qtype: QuestionType
    name: str
    text: str
    # Moodle category path without the "$course$/top/" prefix, e.g. "Default/Phishing".
    # "//" inside a segment is Moodle's escape for a literal "/" and is kept as found.
    category: str = ""
    text_format: TextFormat = "html"
    general_feedback: str = ""
    # Combined feedback (Moodle: multichoice, matching, ordering only).
    correct_feedback: str = ""
    partially_correct_feedback: str = ""
    incorrect_feedback: str = ""
    choices: list[Choice] = field(default_factory=list)
    answers: list[AcceptedAnswer] = field(default_factory=list)
    case_sensitive: bool = False
    pairs: list[MatchPair] = field(default_factory=list)
    # Ordering: the items in the correct order.
    order: list[str] = field(default_factory=list)
    # Whether options (choices, matching answers) are shown in random order.
    shuffle: bool = True
    tags: list[str] = field(default_factory=list)
    default_mark: float = 1.0
    # Line in the source file where the question started, for import reports.
    source_line: int | None = None


@dataclass
class SkippedQuestion:
    """A question that was read but not imported, with the reason to show the person."""

    name: str
    qtype: str
    reason: str
    location: str  # e.g. "question 7 (line 120)"


@dataclass
class ImportResult:
    """Everything one file yielded: questions to import and questions left out."""

    questions: list[ImportedQuestion] = field(default_factory=list)
    skipped: list[SkippedQuestion] = field(default_factory=list)


class InterchangeError(ValueError):
    """The file is malformed as a whole, so nothing from it is imported.

    ``str()`` says where it broke, e.g. ``"Line 12, column 5: mismatched tag"``. Columns are
    1-based, like a text editor's.
    """

    def __init__(self, message: str, *, line: int | None = None, column: int | None = None):
        self.message = message
        self.line = line
        self.column = column
        super().__init__(self._describe())

    def _describe(self) -> str:
        if self.line is None:
            return self.message
        if self.column is None:
            return f"Line {self.line}: {self.message}"
        return f"Line {self.line}, column {self.column}: {self.message}"

    def __str__(self) -> str:
        return self._describe()


# --- helpers shared by the readers and the writer -----------------------------------------

# A decimal number as Moodle's is_numeric() accepts it, minus hex and surrounding blanks.
# float() alone is too lenient: it also takes "nan", "inf" and "1_000".
NUMBER_PATTERN = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
_NUMBER_RE = re.compile(NUMBER_PATTERN)

# "$course$/top/Default/Phishing", "$system$/top", "$course$/Old default" (Moodle <= 3.4).
_CONTEXT_PREFIX_RE = re.compile(r"^\$[a-z]+\$(?:/|$)")
_TOP_RE = re.compile(r"^top(?:/|$)")

_TAG_RE = re.compile(r"<[^>]*>")

DEFAULT_NAME_LENGTH = 80


def parse_number(value: str) -> float | None:
    """Return ``value`` as a float if it is a plain decimal number, else None."""
    value = value.strip()
    if not _NUMBER_RE.fullmatch(value):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def percent_to_fraction(percent: float) -> float:
    """Moodle percentage (33.33333) to credit fraction (0.3333333).

    Rounded because the plain division leaves float noise (0.33333329999999994) that would
    make equal questions compare unequal; Moodle itself stores only 7 decimals.
    """
    return round(percent / 100, 9)


def format_number(value: float) -> str:
    """Shortest text that reads back as exactly ``value`` ("1", "2.5", "0.01")."""
    value = float(value)
    if value == 0:
        return "0"  # also turns -0.0 into "0"
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def clean_category_path(path: str) -> str:
    """Strip Moodle's context prefix ("$course$/top/") from a category path."""
    path = path.strip()
    without_context = _CONTEXT_PREFIX_RE.sub("", path, count=1)
    if without_context != path:
        # "top" is only Moodle's hidden root when it follows a context; a hand-written GIFT
        # "$CATEGORY: top/x" names a real category called "top".
        without_context = _TOP_RE.sub("", without_context, count=1)
    return without_context.strip()


def default_question_name(text: str) -> str:
    """Name a question from its text, as Moodle does when a file gives no name."""
    plain = html.unescape(_TAG_RE.sub(" ", text))
    plain = " ".join(plain.split())
    if len(plain) > DEFAULT_NAME_LENGTH:
        plain = plain[: DEFAULT_NAME_LENGTH - 1].rstrip() + "\u2026"
    return plain or "Untitled question"
