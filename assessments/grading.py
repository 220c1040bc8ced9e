"""Server-side grading of one response against one question version's content.

Pure functions, no database: ``grade(content, response)`` returns the credit (0..1) and the
feedback the learner earned. ``content`` is a ``QuestionVersion.content`` document (see
``assessments.bank_io``); ``response`` is what ``assessments.forms.quizzes`` stores:

=================  ==========================================================================
type               response
=================  ==========================================================================
single_choice      index of the chosen choice (int) or None
true_false         index of the chosen choice (0 = True, 1 = False) or None
multiple_response  list of chosen choice indexes
short_text         the text typed
numeric            the number typed, as text
matching           {"<pair index>": <index into matching_options(content)>}
ordering           {"<item index>": <position 1..n>}
=================  ==========================================================================

Rules:

* Single choice / true-false: the chosen choice's credit (negative credit counts as 0).
* Multiple response (Moodle's rule): the sum of the credit of every selected choice, floored
  at 0 and capped at 1. Wrong choices usually carry negative credit, so ticking everything
  earns nothing.
* Short text: the first accepted answer that matches, in the order listed, gives its credit.
  Leading/trailing blanks are ignored and runs of blanks count as one; comparison ignores case
  unless the question is case-sensitive; ``*`` in an accepted answer matches any characters.
* Numeric: the first accepted answer whose value is within its tolerance gives its credit; a
  ``*`` answer matches any number. A decimal comma is accepted ("3,5"). Text that is not a
  number earns nothing.
* Matching: the share of prompts matched to their right answer.
* Ordering: the share of items put in their right position (Moodle's "absolute position").
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

FULL = 1 - 1e-7


@dataclass(frozen=True)
class Grade:
    """What one response earned: credit 0..1 and the feedback texts that go with it."""

    fraction: float
    # Feedback of the chosen options / matched answer, in order of relevance.
    feedback: list[str] = field(default_factory=list)

    @property
    def state(self) -> str:
        if self.fraction >= FULL:
            return "correct"
        if self.fraction > 0:
            return "partial"
        return "incorrect"


def _clamp(value: float) -> float:
    return max(0.0, min(1.0, value))


def _as_int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def matching_prompts(content: dict) -> list[tuple[int, str]]:
    """(pair index, prompt) of the pairs that ask something (distractors have no prompt)."""
    return [
        (i, pair["prompt"]) for i, pair in enumerate(content.get("pairs", [])) if pair["prompt"]
    ]


def matching_options(content: dict) -> list[str]:
    """The answers a matching question offers, each once, in file order (distractors too)."""
    seen: dict[str, None] = {}
    for pair in content.get("pairs", []):
        seen.setdefault(pair["answer"], None)
    return list(seen)


def _grade_choice(content: dict, response) -> Grade:
    index = _as_int(response)
    choices = content.get("choices", [])
    if index is None or not 0 <= index < len(choices):
        return Grade(0.0)
    choice = choices[index]
    return Grade(_clamp(choice["fraction"]), [choice["feedback"]] if choice["feedback"] else [])


def _grade_multiple(content: dict, response) -> Grade:
    choices = content.get("choices", [])
    picked = sorted({i for i in (_as_int(r) for r in (response or [])) if i is not None})
    picked = [i for i in picked if 0 <= i < len(choices)]
    total = sum(choices[i]["fraction"] for i in picked)
    feedback = [choices[i]["feedback"] for i in picked if choices[i]["feedback"]]
    return Grade(_clamp(round(total, 7)), feedback)


_BLANKS = re.compile(r"\s+")


def _normalise_text(value: str) -> str:
    return _BLANKS.sub(" ", value).strip()


def short_text_matches(accepted: str, given: str, *, case_sensitive: bool) -> bool:
    """Does ``given`` match the accepted answer (``*`` is a wildcard)?"""
    accepted, given = _normalise_text(accepted), _normalise_text(given)
    pattern = ".*".join(re.escape(part) for part in accepted.split("*"))
    flags = 0 if case_sensitive else re.IGNORECASE
    return re.fullmatch(pattern, given, flags | re.DOTALL) is not None


def _grade_short_text(content: dict, response) -> Grade:
    given = response if isinstance(response, str) else ""
    if not given.strip():
        return Grade(0.0)
    for answer in content.get("answers", []):
        if short_text_matches(
            answer["text"], given, case_sensitive=content.get("case_sensitive", False)
        ):
            return Grade(
                _clamp(answer["fraction"]), [answer["feedback"]] if answer["feedback"] else []
            )
    return Grade(0.0)


_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def parse_learner_number(value: str) -> float | None:
    """A number as a learner types it: "3.5", "3,5", " -2 ", "1e3". None if it is not one."""
    value = (value or "").strip().replace(" ", "")
    if "," in value and "." not in value and value.count(",") == 1:
        value = value.replace(",", ".")
    if not _NUMBER.fullmatch(value):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _grade_numeric(content: dict, response) -> Grade:
    number = parse_learner_number(response if isinstance(response, str) else "")
    if number is None:
        return Grade(0.0)
    for answer in content.get("answers", []):
        if answer["text"] == "*":
            matched = True
        else:
            target = float(answer["text"])
            slack = answer.get("tolerance", 0.0) + 1e-9 * max(1.0, abs(target))
            matched = abs(number - target) <= slack
        if matched:
            return Grade(
                _clamp(answer["fraction"]), [answer["feedback"]] if answer["feedback"] else []
            )
    return Grade(0.0)


def _grade_matching(content: dict, response) -> Grade:
    prompts = matching_prompts(content)
    if not prompts:
        return Grade(0.0)
    options = matching_options(content)
    response = response if isinstance(response, dict) else {}
    right = 0
    for index, _prompt in prompts:
        chosen = _as_int(response.get(str(index)))
        if chosen is not None and 0 <= chosen < len(options):
            right += options[chosen] == content["pairs"][index]["answer"]
    return Grade(right / len(prompts))


def _grade_ordering(content: dict, response) -> Grade:
    items = content.get("order", [])
    if not items:
        return Grade(0.0)
    response = response if isinstance(response, dict) else {}
    right = sum(1 for index in range(len(items)) if _as_int(response.get(str(index))) == index + 1)
    return Grade(right / len(items))


_GRADERS = {
    "single_choice": _grade_choice,
    "true_false": _grade_choice,
    "multiple_response": _grade_multiple,
    "short_text": _grade_short_text,
    "numeric": _grade_numeric,
    "matching": _grade_matching,
    "ordering": _grade_ordering,
}


def grade(content: dict, response) -> Grade:
    """Grade ``response`` against a question version's ``content`` (see the module docstring).

    The feedback list holds the option/answer feedback, then the combined feedback for the
    outcome (correct / partially correct / incorrect), then the general feedback.
    """
    grader = _GRADERS.get(content.get("qtype"))
    if grader is None:
        raise ValueError(_("Unknown question type %(type)r.") % {"type": content.get("qtype")})
    result = grader(content, response)
    feedback = list(result.feedback)
    combined = {
        "correct": content.get("correct_feedback", ""),
        "partial": content.get("partially_correct_feedback", ""),
        "incorrect": content.get("incorrect_feedback", ""),
    }[result.state]
    if combined:
        feedback.append(combined)
    if content.get("general_feedback"):
        feedback.append(content["general_feedback"])
    return Grade(round(result.fraction, 7), feedback)


def is_answered(content: dict, response) -> bool:
    """Did the learner give any answer at all (for "answered 3 of 5" and review)?"""
    if response in (None, "", [], {}):
        return False
    if isinstance(response, dict):
        return any(value not in (None, "") for value in response.values())
    if isinstance(response, str):
        return bool(response.strip())
    return True
