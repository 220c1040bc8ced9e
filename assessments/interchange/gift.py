"""Read Moodle's GIFT question format (docs.moodle.org, "GIFT format").

The reader follows Moodle's own GIFT importer so that a file which imports into Moodle imports
the same way here:

* Questions are separated by blank lines. Lines starting with ``//`` are comments; a
  ``[tag:name]`` inside a question's comments tags that question (as Moodle 3.6+ exports).
* ``$CATEGORY: path`` sets the category of the questions that follow ("$course$/top/" is
  stripped).
* ``::title::`` is optional; without it the name is made from the question text.
* ``[html]``, ``[moodle]``, ``[markdown]`` and ``[plain]`` before a text set its format; the
  prefix is removed and the question's format kept in ``ImportedQuestion.text_format``
  (``moodle_auto_format`` when there is none, as in Moodle).
* ``\\~ \\= \\# \\{ \\} \\:`` are literal characters, ``\\n`` a line break and ``\\\\`` a
  backslash. Numeric character references such as ``&#39;`` are kept whole rather than read as
  a ``#`` feedback marker.
* Text before and after the answer block is a "missing word" question: the text is joined
  with "_____" for the blank. ``####text`` at the end of a block is general feedback.

Answer blocks and what they become:

* ``{T}`` ``{TRUE}`` ``{F}`` ``{FALSE}`` -> true_false. As in Moodle, ``{T#first#second}`` shows
  the first feedback for the wrong answer and the second for the right one.
* ``{=right ~wrong#feedback}`` -> single_choice. Weights like ``~%50%``. It is
  multiple_response when no answer uses ``=`` (Moodle's rule), or when several answers carry
  credit but none is worth 100 %.
* ``{=a =%50%b}`` (answers with ``=`` only, no ``~``) -> short_text, never case-sensitive.
* ``{#3.14:0.01}``, ``{#1..5}`` (stored as centre 3 with tolerance 2), ``{#=2:0 =%50%3:1}``;
  ``~#feedback`` adds a catch-all "*" answer for wrong numbers -> numeric.
* ``{=prompt -> answer ...}`` -> matching; ``= -> extra`` is a distractor (empty prompt).
* ``{>N ALL VERTICAL ...`` then one item per line ``}`` (the qtype_ordering plugin's GIFT
  extension) -> ordering, items in the written order.

Malformed versus unsupported (the rule): syntax errors raise ``InterchangeError`` with the
line where the question starts, and nothing from the file is imported: an unclosed ``{``, a
``}`` with no ``{``, a second answer block, an unclosed ``::title``, an empty answer inside a
block (``{=}``, ``{~a ~}``, ``{#}``), ``->`` mixed with ``~``, ``->`` pairs without ``=``, a
matching entry without ``->``, a numeric answer that is not a number or a negative tolerance,
and a file that is not UTF-8. Well-formed questions that we cannot use are skipped with a
reason and "question N (line L)": essays (``{}``), descriptions (no answer block at all),
questions with no text, choice questions with fewer than two choices or none worth credit,
credit outside the allowed range, matching with fewer than two prompts and ordering with fewer
than two items.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .types import (
    NUMBER_PATTERN,
    AcceptedAnswer,
    Choice,
    ImportedQuestion,
    ImportResult,
    InterchangeError,
    MatchPair,
    SkippedQuestion,
    TextFormat,
    clean_category_path,
    default_question_name,
    format_number,
    parse_number,
    percent_to_fraction,
)

__all__ = ["parse_gift"]

# Escaped characters are swapped for control characters while the structure is parsed (as
# Moodle swaps them for "&&058;" and friends), then swapped back in the final texts. The
# control characters are removed from the input first, so they cannot be confused.
_PLACEHOLDER = {
    "\\": "\x01",
    ":": "\x02",
    "#": "\x03",
    "=": "\x04",
    "{": "\x05",
    "}": "\x06",
    "~": "\x07",
    "n": "\x08",
}
_RESTORE = str.maketrans(
    {
        "\x01": "\\",
        "\x02": ":",
        "\x03": "#",
        "\x04": "=",
        "\x05": "{",
        "\x06": "}",
        "\x07": "~",
        "\x08": "\n",
    }
)
_ESCAPE_RE = re.compile(r"\\([\\:#={}~n])")
_CONTROL_RE = re.compile("[\x00-\x08]")
# "&#233;" and "&#xE9;" must not start feedback at their "#".
_CHARREF_RE = re.compile(r"&#(x[0-9a-fA-F]+|[0-9]+);")

_FORMATS: dict[str, TextFormat] = {
    "html": "html",
    "moodle": "moodle_auto_format",
    "markdown": "markdown",
    "plain": "plain_text",
}
_FORMAT_RE = re.compile(r"^\[(html|moodle|markdown|plain)\]")
_WEIGHT_RE = re.compile(rf"^%({NUMBER_PATTERN})%")
_RANGE_RE = re.compile(rf"^({NUMBER_PATTERN})\s*\.\.\s*({NUMBER_PATTERN})$")
_TOLERANCE_RE = re.compile(rf"^({NUMBER_PATTERN})\s*:\s*(\S+)$")
_ORDERING_RE = re.compile(r"^>\s*\d+")
# Moodle's tag syntax in comments: "[tag:name]", with "\]" for a literal "]".
_TAG_RE = re.compile(r"\[tag:((?:\\\]|[^\]<>`\x00-\x1f])+)\]")
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
_FULL_CREDIT = 1 - 1e-7


@dataclass
class _Block:
    """A blank-line separated chunk of the file."""

    lines: list[tuple[int, str]] = field(default_factory=list)  # (line number, stripped text)
    comments: list[str] = field(default_factory=list)


class _Skip(Exception):
    def __init__(self, name: str, qtype: str, reason: str):
        super().__init__(reason)
        self.name = name
        self.qtype = qtype
        self.reason = reason


def _protect(text: str) -> str:
    text = _ESCAPE_RE.sub(lambda match: _PLACEHOLDER[match.group(1)], text)
    return _CHARREF_RE.sub(lambda match: "&" + _PLACEHOLDER["#"] + match.group(1) + ";", text)


def _restore(text: str) -> str:
    return text.translate(_RESTORE)


def _split_format(text: str, default: TextFormat) -> tuple[TextFormat, str]:
    match = _FORMAT_RE.match(text)
    if match is None:
        return default, text
    return _FORMATS[match.group(1)], text[match.end() :]


def _clean(text: str) -> str:
    """Final form of an answer or feedback text: no format prefix, escapes resolved."""
    _, text = _split_format(text.strip(), "moodle_auto_format")
    return _restore(text).strip()


def _take_weight(text: str) -> tuple[float | None, str]:
    """Split a leading "%50%" weight (in percent) off an answer."""
    text = text.strip()
    match = _WEIGHT_RE.match(text)
    if match is None:
        return None, text
    return float(match.group(1)), text[match.end() :]


def _split_feedback(text: str) -> tuple[str, str]:
    answer, _, feedback = text.partition("#")
    return answer, feedback


def _split_blocks(text: str) -> list[_Block]:
    blocks: list[_Block] = []
    current = _Block()
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if not line:
            if current.lines:
                blocks.append(current)
            current = _Block()
        elif line.startswith("//"):
            current.comments.append(line)
        else:
            current.lines.append((number, line))
    if current.lines:
        blocks.append(current)
    return blocks


def _tags(comments: list[str]) -> list[str]:
    found = (m.replace("\\]", "]").strip() for m in _TAG_RE.findall("\n".join(comments)))
    return [tag for tag in found if tag]


class _QuestionReader:
    """Reads one question block; knows where it is for error messages."""

    def __init__(self, number: int, line: int, category: str, tags: list[str]):
        self.number = number
        self.line = line
        self.category = category
        self.tags = tags

    def error(self, problem: str) -> InterchangeError:
        return InterchangeError(f"{problem} (question {self.number})", line=self.line)

    def read(self, source: str) -> ImportedQuestion:
        text = _protect(source)
        title = ""
        if text.startswith("::"):
            end = text.find("::", 2)
            if end == -1:
                raise self.error("the question title is not closed with '::'")
            title = _restore(text[2:end]).strip()
            text = text[end + 2 :].strip()

        open_at, close_at = text.find("{"), text.find("}")
        if open_at == -1 and close_at == -1:
            _, question_text = _split_format(text, "moodle_auto_format")
            name = title or default_question_name(_restore(question_text))
            raise _Skip(
                name,
                "description",
                "Question type 'description' is not supported "
                "(it has no answer block {...}, so there is nothing to answer)",
            )
        if open_at == -1 or (close_at != -1 and close_at < open_at):
            raise self.error("'}' without an opening '{' (write \\} for a literal brace)")
        if close_at == -1:
            raise self.error("'{' is never closed with '}'")
        inner, after = text[open_at + 1 : close_at], text[close_at + 1 :]
        if "{" in inner:
            raise self.error("'{' inside an answer block (write \\{ for a literal brace)")
        if "{" in after or "}" in after:
            raise self.error("more than one answer block (write \\{ and \\} for literal braces)")

        before = text[:open_at]
        # Text after the block makes it a "missing word" question, the block being the blank.
        question_text = before + "_____" + after if after.strip() else before
        text_format, question_text = _split_format(question_text.strip(), "moodle_auto_format")
        question_text = _restore(question_text).strip()

        answer = inner.strip()
        general_feedback = ""
        marker = answer.rfind("####")
        if marker != -1:
            general_feedback = _clean(answer[marker + 4 :])
            answer = answer[:marker].strip()

        question = ImportedQuestion(
            qtype="short_text",  # settled below
            name=title or default_question_name(question_text),
            text=question_text,
            category=self.category,
            text_format=text_format,
            general_feedback=general_feedback,
            tags=list(self.tags),
            source_line=self.line,
        )
        if not answer:
            raise _Skip(
                question.name,
                "essay",
                "Question type 'essay' is not supported (it needs manual grading)",
            )
        if answer.startswith("#"):
            self._numeric(question, answer[1:])
        elif _ORDERING_RE.match(answer):
            self._ordering(question, answer)
        elif "~" in answer:
            if "->" in answer:
                raise self.error("'->' (matching) cannot be mixed with '~' (choices)")
            self._choices(question, answer)
        elif "->" in answer:
            if "=" not in answer:
                raise self.error("matching pairs must each start with '='")
            self._matching(question, answer)
        elif answer.partition("#")[0].strip() in _TRUE_FALSE:
            self._true_false(question, answer)
        else:
            self._short_text(question, answer)
        if not question.text:
            raise _Skip(question.name, question.qtype, "the question has no text")
        return question

    def _check_weights(self, question: ImportedQuestion, percents: list[float], low: float) -> None:
        # Called once the whole block is read, so that a syntax error later in the block
        # still raises rather than hiding behind this skip.
        for percent in percents:
            if not low <= percent <= 100:
                raise _Skip(
                    question.name,
                    question.qtype,
                    f"answer credit {format_number(percent)}% is outside "
                    f"{format_number(low)}..100%",
                )

    def _choices(self, question: ImportedQuestion, answer: str) -> None:
        question.qtype = "single_choice"
        # Moodle turns "=" into "~=" and splits on "~": a new answer starts at each marker.
        has_equals = False
        percents: list[float] = []
        for part in re.split(r"(?=[~=])", answer):
            part = part.strip()
            if not part:
                continue
            marker = part[0] if part[0] in "~=" else ""
            has_equals = has_equals or marker == "="
            percent, body = _take_weight(part[len(marker) :])
            if percent is None:
                percent = 100.0 if marker == "=" else 0.0
            percents.append(percent)
            text, feedback = _split_feedback(body)
            choice = Choice(
                text=_clean(text), fraction=percent_to_fraction(percent), feedback=_clean(feedback)
            )
            if not choice.text:
                raise self.error("an answer in the answer block is empty")
            question.choices.append(choice)
        credited = [choice for choice in question.choices if choice.fraction > 0]
        full = any(choice.fraction >= _FULL_CREDIT for choice in question.choices)
        if not has_equals or (len(credited) >= 2 and not full):
            question.qtype = "multiple_response"
        self._check_weights(question, percents, -100.0)
        if len(question.choices) < 2:
            raise _Skip(
                question.name, question.qtype, "a choice question needs at least two choices"
            )
        if not credited:
            raise _Skip(question.name, question.qtype, "no choice is worth any credit")

    def _true_false(self, question: ImportedQuestion, answer: str) -> None:
        question.qtype = "true_false"
        bits = answer.split("#", 2)
        true_is_right = _TRUE_FALSE[bits[0].strip()]
        wrong_feedback = _clean(bits[1]) if len(bits) > 1 else ""
        right_feedback = _clean(bits[2]) if len(bits) > 2 else ""
        question.choices = [
            Choice("True", 1.0 if true_is_right else 0.0),
            Choice("False", 0.0 if true_is_right else 1.0),
        ]
        right, wrong = question.choices if true_is_right else reversed(question.choices)
        right.feedback, wrong.feedback = right_feedback, wrong_feedback

    def _equals_parts(self, answer: str) -> list[str]:
        parts = answer.split("=")
        # Text before the first "=" counts as an answer only if there is some (as in Moodle).
        if not parts[0].strip():
            parts = parts[1:]
        return [part.strip() for part in parts]

    def _short_text(self, question: ImportedQuestion, answer: str) -> None:
        question.qtype = "short_text"
        percents: list[float] = []
        for part in self._equals_parts(answer):
            percent, body = _take_weight(part)
            percent = 100.0 if percent is None else percent
            percents.append(percent)
            text, feedback = _split_feedback(body)
            accepted = AcceptedAnswer(_clean(text), percent_to_fraction(percent), _clean(feedback))
            if not accepted.text:
                raise self.error("an answer in the answer block is empty")
            question.answers.append(accepted)
        self._check_weights(question, percents, 0.0)
        if not any(accepted.fraction > 0 for accepted in question.answers):
            raise _Skip(question.name, question.qtype, "no accepted answer is worth any credit")

    def _numeric(self, question: ImportedQuestion, answer: str) -> None:
        question.qtype = "numeric"
        # As in Moodle, everything from "~" on is feedback for any other (wrong) number.
        answer, tilde, wrong = answer.partition("~")
        parts = self._equals_parts(answer)
        if not parts:
            raise self.error("the numeric answer block has no answers")
        percents: list[float] = []
        for part in parts:
            percent, body = _take_weight(part)
            percent = 100.0 if percent is None else percent
            percents.append(percent)
            value, feedback = _split_feedback(body)
            number, tolerance = self._number(_restore(value).strip())
            question.answers.append(
                AcceptedAnswer(number, percent_to_fraction(percent), _clean(feedback), tolerance)
            )
        if tilde:
            _, feedback = _split_feedback(wrong)
            question.answers.append(AcceptedAnswer("*", 0.0, _clean(feedback)))
        self._check_weights(question, percents, 0.0)
        if not any(accepted.fraction > 0 for accepted in question.answers):
            raise _Skip(question.name, question.qtype, "no numeric answer is worth any credit")

    def _number(self, value: str) -> tuple[str, float]:
        """Parse "3.14", "3.14:0.01" or "1..5" into (number text, tolerance)."""
        if not value:
            raise self.error("a numeric answer is empty")
        if match := _RANGE_RE.match(value):
            low, high = sorted((float(match.group(1)), float(match.group(2))))
            return format_number((low + high) / 2), (high - low) / 2
        if match := _TOLERANCE_RE.match(value):
            tolerance = parse_number(match.group(2))
            if tolerance is None or tolerance < 0:
                raise self.error(f"tolerance {match.group(2)!r} is not a non-negative number")
            return match.group(1), tolerance
        if parse_number(value) is None:
            raise self.error(f"numeric answer {value!r} is not a number")
        return value, 0.0

    def _matching(self, question: ImportedQuestion, answer: str) -> None:
        question.qtype = "matching"
        for part in self._equals_parts(answer):
            if "->" not in part:
                raise self.error(f"matching entry {_restore(part)!r} has no '->'")
            prompt, _, right = part.partition("->")
            pair = MatchPair(prompt=_clean(prompt), answer=_restore(right).strip())
            if not pair.answer:
                raise self.error("a matching entry has nothing after '->'")
            question.pairs.append(pair)
        if sum(1 for pair in question.pairs if pair.prompt) < 2:
            raise _Skip(
                question.name, question.qtype, "a matching question needs at least two prompts"
            )

    def _ordering(self, question: ImportedQuestion, answer: str) -> None:
        question.qtype = "ordering"
        # First line: ">count [select] [layout] [grading] [show]"; options are ignored.
        items = answer.split("\n")[1:]
        question.order = [item for item in (_clean(line) for line in items) if item]
        if len(question.order) < 2:
            raise _Skip(
                question.name, question.qtype, "an ordering question needs at least two items"
            )


def _decode(data: str | bytes) -> str:
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = data.count(b"\n", 0, error.start) + 1
            raise InterchangeError("the file is not UTF-8 text", line=line) from None
    return data.removeprefix("\ufeff")


def parse_gift(text: str | bytes) -> ImportResult:
    """Read a GIFT question file (text, or UTF-8 bytes with or without a byte-order mark).

    Returns the importable questions and the skipped ones with reasons. Raises
    ``InterchangeError`` with the line of the offending question on a syntax error; see the
    module docstring for which problems raise and which skip.
    """
    source = _decode(text).replace("\r\n", "\n").replace("\r", "\n")
    source = _CONTROL_RE.sub("", source)
    result = ImportResult()
    category = ""
    number = 0
    for block in _split_blocks(source):
        lines = block.lines
        if lines[0][1].startswith("$CATEGORY:"):
            category = clean_category_path(lines[0][1][len("$CATEGORY:") :])
            lines = lines[1:]  # be lenient: a question may follow without a blank line
            if not lines:
                continue
        number += 1
        line = lines[0][0]
        reader = _QuestionReader(number, line, category, _tags(block.comments))
        try:
            question = reader.read("\n".join(text for _, text in lines))
        except _Skip as skip:
            location = f"question {number} (line {line})"
            result.skipped.append(SkippedQuestion(skip.name, skip.qtype, skip.reason, location))
            continue
        result.questions.append(question)
    return result
