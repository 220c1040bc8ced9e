"""Map the interchange dataclasses (``assessments.interchange``) to question content and back.

``QuestionVersion.content`` is a JSON document with exactly these keys::

    qtype                       one of QuestionType
    text, text_format           the question ("html", "moodle_auto_format", "plain_text", "markdown")
    general_feedback            shown after grading, whatever the answer
    correct_feedback, partially_correct_feedback, incorrect_feedback   combined feedback
    choices   [{text, fraction, feedback}]        single choice, multiple response, true/false
    answers   [{text, fraction, feedback, tolerance}]   short text, numeric ("*" = any other)
    case_sensitive                                 short text
    pairs     [{prompt, answer}]                   matching (empty prompt = distractor)
    order     [text, ...]                          ordering, in the right order
    shuffle                                        whether options may be shuffled
    default_mark                                   Moodle's default grade (kept for export)
    tags      [text, ...]                          tags other than competence tags

Competences travel through Moodle files as tags ``competence:<code>`` (e.g. ``competence:4.2``):
importing links the question to that competence of the default framework, exporting writes
the tags back.

The admin edits a question's options in GIFT answer-block syntax (``gift_answer_block`` writes
it, ``content_from_gift_answers`` reads it), so every type and its feedback can be edited in
one text box with the same syntax editors know from Moodle.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from .interchange import (
    AcceptedAnswer,
    Choice,
    ImportedQuestion,
    InterchangeError,
    MatchPair,
    parse_gift,
)
from .interchange.types import format_number

COMPETENCE_TAG_PREFIX = "competence:"

CONTENT_KEYS = (
    "qtype",
    "text",
    "text_format",
    "general_feedback",
    "correct_feedback",
    "partially_correct_feedback",
    "incorrect_feedback",
    "choices",
    "answers",
    "case_sensitive",
    "pairs",
    "order",
    "shuffle",
    "default_mark",
    "tags",
)


def split_tags(tags: list[str]) -> tuple[list[str], list[str]]:
    """(competence codes, other tags) from a question's tags."""
    codes, others = [], []
    for tag in tags:
        if tag.lower().startswith(COMPETENCE_TAG_PREFIX):
            code = tag[len(COMPETENCE_TAG_PREFIX) :].strip()
            if code:
                codes.append(code)
        else:
            others.append(tag)
    return codes, others


def content_from_imported(question: ImportedQuestion) -> dict:
    """The version content for an imported question (competence tags are left out)."""
    _codes, tags = split_tags(question.tags)
    return {
        "qtype": question.qtype,
        "text": question.text,
        "text_format": question.text_format,
        "general_feedback": question.general_feedback,
        "correct_feedback": question.correct_feedback,
        "partially_correct_feedback": question.partially_correct_feedback,
        "incorrect_feedback": question.incorrect_feedback,
        "choices": [
            {"text": c.text, "fraction": float(c.fraction), "feedback": c.feedback}
            for c in question.choices
        ],
        "answers": [
            {
                "text": a.text,
                "fraction": float(a.fraction),
                "feedback": a.feedback,
                "tolerance": float(a.tolerance),
            }
            for a in question.answers
        ],
        "case_sensitive": bool(question.case_sensitive),
        "pairs": [{"prompt": p.prompt, "answer": p.answer} for p in question.pairs],
        "order": list(question.order),
        "shuffle": bool(question.shuffle),
        "default_mark": float(question.default_mark),
        "tags": tags,
    }


def imported_from_content(
    *, name: str, category: str, content: dict, competence_codes: list[str] = ()
) -> ImportedQuestion:
    """The interchange form of a question version, ready for ``export_moodle_xml``."""
    tags = list(content.get("tags", [])) + [f"{COMPETENCE_TAG_PREFIX}{c}" for c in competence_codes]
    return ImportedQuestion(
        qtype=content["qtype"],
        name=name,
        text=content["text"],
        category=category,
        text_format=content.get("text_format", "html"),
        general_feedback=content.get("general_feedback", ""),
        correct_feedback=content.get("correct_feedback", ""),
        partially_correct_feedback=content.get("partially_correct_feedback", ""),
        incorrect_feedback=content.get("incorrect_feedback", ""),
        choices=[
            Choice(c["text"], c["fraction"], c.get("feedback", ""))
            for c in content.get("choices", [])
        ],
        answers=[
            AcceptedAnswer(a["text"], a["fraction"], a.get("feedback", ""), a.get("tolerance", 0.0))
            for a in content.get("answers", [])
        ],
        case_sensitive=content.get("case_sensitive", False),
        pairs=[MatchPair(p["prompt"], p["answer"]) for p in content.get("pairs", [])],
        order=list(content.get("order", [])),
        shuffle=content.get("shuffle", True),
        tags=tags,
        default_mark=content.get("default_mark", 1.0),
    )


# --- editing options as a GIFT answer block -------------------------------------------------

_GIFT_SPECIAL = str.maketrans(
    {
        "\\": "\\\\",
        "~": "\\~",
        "=": "\\=",
        "#": "\\#",
        "{": "\\{",
        "}": "\\}",
        ":": "\\:",
        "\n": "\\n",
    }
)


def _gift_escape(text: str) -> str:
    return text.translate(_GIFT_SPECIAL)


def _weight(fraction: float) -> str:
    return f"%{format_number(round(fraction * 100, 5))}%"


def _with_feedback(body: str, feedback: str) -> str:
    return f"{body}#{_gift_escape(feedback)}" if feedback else body


def gift_answer_block(content: dict) -> str:
    """Write a question's options as the inside of a GIFT answer block, one per line."""
    qtype = content["qtype"]
    lines: list[str] = []
    if qtype == "true_false":
        choices = content["choices"]
        true_is_right = choices[0]["fraction"] >= choices[1]["fraction"]
        right, wrong = (choices[0], choices[1]) if true_is_right else (choices[1], choices[0])
        line = "TRUE" if true_is_right else "FALSE"
        if wrong["feedback"] or right["feedback"]:
            line += f"#{_gift_escape(wrong['feedback'])}#{_gift_escape(right['feedback'])}"
        lines.append(line)
    elif qtype == "single_choice":
        for choice in content["choices"]:
            fraction = choice["fraction"]
            if fraction >= 1 - 1e-7:
                marker = "="
            elif fraction > 0:
                marker = "=" + _weight(fraction)
            else:
                marker = "~" + (_weight(fraction) if fraction < 0 else "")
            lines.append(_with_feedback(marker + _gift_escape(choice["text"]), choice["feedback"]))
    elif qtype == "multiple_response":
        for choice in content["choices"]:
            marker = "~" + _weight(choice["fraction"])
            lines.append(_with_feedback(marker + _gift_escape(choice["text"]), choice["feedback"]))
    elif qtype == "short_text":
        for answer in content["answers"]:
            weight = "" if answer["fraction"] >= 1 - 1e-7 else _weight(answer["fraction"])
            lines.append(
                _with_feedback("=" + weight + _gift_escape(answer["text"]), answer["feedback"])
            )
    elif qtype == "numeric":
        catch_all = ""
        for index, answer in enumerate(content["answers"]):
            if answer["text"] == "*":
                catch_all = f"~#{_gift_escape(answer['feedback'])}"
                continue
            weight = "" if answer["fraction"] >= 1 - 1e-7 else _weight(answer["fraction"])
            value = answer["text"]
            if answer.get("tolerance"):
                value += f":{format_number(answer['tolerance'])}"
            prefix = "#=" if index == 0 else "="
            lines.append(_with_feedback(prefix + weight + value, answer["feedback"]))
        if lines and not lines[0].startswith("#"):
            lines[0] = "#" + lines[0]
        if catch_all:
            lines.append(catch_all)
    elif qtype == "matching":
        for pair in content["pairs"]:
            lines.append(f"={_gift_escape(pair['prompt'])} -> {_gift_escape(pair['answer'])}")
    elif qtype == "ordering":
        lines.append(f">{len(content['order'])} ALL VERTICAL")
        lines.extend(_gift_escape(item) for item in content["order"])
    return "\n".join(lines)


class AnswerBlockError(ValueError):
    """The options typed in the admin cannot be read; the message says why."""


def content_from_gift_answers(block: str) -> dict:
    """Read options written as a GIFT answer block into (partial) version content.

    Returns the content keys that the answer block defines (``qtype``, ``choices``,
    ``answers``, ``pairs``, ``order``, ``general_feedback`` when "####" is used); the caller
    adds the question text and the other feedback. Raises ``AnswerBlockError``.
    """
    lines = [line for line in block.replace("\r\n", "\n").split("\n") if line.strip()]
    if not lines:
        raise AnswerBlockError(_("Write the answers, e.g. “=right answer ~wrong answer”."))
    if any(line.strip().startswith("//") for line in lines):
        raise AnswerBlockError(_("A line may not start with “//” (write \\/\\/ instead)."))
    if any("{" in line.replace("\\{", "") or "}" in line.replace("\\}", "") for line in lines):
        raise AnswerBlockError(_("Write braces as \\{ and \\} inside answers."))
    source = "::q::Question{" + "\n".join(lines) + "\n}"
    try:
        result = parse_gift(source)
    except InterchangeError as error:
        message = error.message.replace(" (question 1)", "")
        raise AnswerBlockError(
            _("The answers cannot be read: %(problem)s.") % {"problem": message}
        ) from None
    if result.skipped:
        raise AnswerBlockError(
            _("These answers cannot be used: %(reason)s.") % {"reason": result.skipped[0].reason}
        )
    imported = result.questions[0]
    content = content_from_imported(imported)
    keys = ["qtype", "choices", "answers", "pairs", "order"]
    if imported.general_feedback:
        keys.append("general_feedback")
    return {key: content[key] for key in keys}
