"""Read and write Moodle XML question banks.

Reading (``parse_moodle_xml``)
    The file is parsed with defusedxml with DTDs, entity declarations and external references
    all refused, so a hostile upload cannot expand entities or fetch files.

    What raises ``InterchangeError`` (nothing is imported): XML that is not well-formed (the
    error names the line and 1-based column), any DOCTYPE/entity declaration, and a root
    element other than ``<quiz>``.

    What is skipped (listed in ``ImportResult.skipped`` with a reason and "question N
    (line L)"; N counts real questions, not category markers): question types we do not
    support (essay, cloze/multianswer, calculated*, drag-and-drop, gapselect, description,
    random, randomsamatch, anything unknown) and questions that are well-formed XML but
    unusable: no question text, a choice question with fewer than two choices or none worth
    credit, credit that is not a number or lies outside -100..100 % (0..100 % for short and
    numerical answers), a true/false question without exactly two answers, a numerical answer
    that is not a number, numerical questions that grade units, matching with fewer than two
    prompts or a prompt without an answer, ordering with fewer than two items, and questions
    whose text embeds files (``@@PLUGINFILE@@``): we do not import the files, so their images
    would be missing. Blank answer slots are dropped, as Moodle does when it saves.

Mapping
    ``multichoice`` single="true" -> single_choice, otherwise multiple_response; ``truefalse``
    -> true_false with choices "True" and "False"; ``shortanswer`` -> short_text (``usecase``
    -> case_sensitive); ``numerical`` -> numeric (unit definitions are ignored when units are
    not graded); ``matching`` -> matching, where a subquestion with empty text is a distractor
    kept as a ``MatchPair`` with an empty prompt; ``ordering`` (the qtype_ordering plugin) ->
    ordering, in the order of the ``<answer>`` elements in the file (that is how the plugin
    reads it; the plugin's subset options ``selecttype``/``selectcount`` are ignored, all
    items are used). A ``category`` pseudo-question sets the category of the questions that
    follow it. Fractions are percentages in the file and 0..1 (or -1..1) in the dataclasses.

Writing (``export_moodle_xml``)
    Writes the same elements Moodle's own export writes, so Moodle can import the result; a
    category pseudo-question is emitted whenever the category changes (a question with no
    category after one with a category goes to ``$course$/top``, which reads back as "").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden
from defusedxml.ElementTree import XMLParser

from .types import (
    TEXT_FORMATS,
    AcceptedAnswer,
    Choice,
    ImportedQuestion,
    ImportResult,
    InterchangeError,
    MatchPair,
    QuestionType,
    SkippedQuestion,
    TextFormat,
    clean_category_path,
    default_question_name,
    format_number,
    parse_number,
    percent_to_fraction,
)

__all__ = ["export_moodle_xml", "parse_moodle_xml"]

# Why each Moodle type we cannot take is left out; shown to the person importing.
_UNSUPPORTED: dict[str, str] = {
    "essay": "it needs manual grading",
    "cloze": "it embeds several answer fields in its text",
    "multianswer": "it embeds several answer fields in its text",
    "calculated": "it computes answers from formulas with random values",
    "calculatedsimple": "it computes answers from formulas with random values",
    "calculatedmulti": "it computes answers from formulas with random values",
    "ddwtos": "it needs drag and drop",
    "ddimageortext": "it needs drag and drop",
    "ddmarker": "it needs drag and drop",
    "gapselect": "it needs drop-down gaps inside the text",
    "description": "it is information text with nothing to answer",
    "random": "it is a placeholder that picks a question at quiz time",
    "randomsamatch": "it builds a matching question from random short-answer questions",
}

_PLUGINFILE = "@@PLUGINFILE@@"

# Moodle's "wiki_like" format was retired and renders like moodle_auto_format.
_FORMAT_ALIASES: dict[str, TextFormat] = {"wiki_like": "moodle_auto_format"}

# Characters XML 1.0 cannot carry at all, not even escaped.
_XML_INVALID_RE = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

# Moodle's full-credit check is fuzzy; fractions come from "%.7f" percentages.
_EPSILON = 1e-7


class _Skip(Exception):
    """Raised inside a question reader: leave this question out, for this reason."""


# --- reading --------------------------------------------------------------------------------


class _LineTrackingTarget:
    """Tree-builder target that remembers the line each element starts on.

    ElementTree keeps no positions, but the (pure-Python) parser defusedxml uses calls the
    target synchronously from expat, so expat's current line is the element's line.
    """

    def __init__(self) -> None:
        self._builder = TreeBuilder()
        self.lines: dict[Element, int] = {}
        self.expat: object | None = None

    def start(self, tag: str, attrs: dict[str, str]) -> Element:
        element = self._builder.start(tag, attrs)
        if self.expat is not None:
            self.lines[element] = self.expat.CurrentLineNumber  # type: ignore[attr-defined]
        return element

    def end(self, tag: str) -> Element:
        return self._builder.end(tag)

    def data(self, data: str) -> None:
        self._builder.data(data)

    def close(self) -> Element:
        return self._builder.close()


def _parse_document(data: bytes | str) -> tuple[Element, dict[Element, int]]:
    """Parse safely; return the root element and each element's start line."""
    if isinstance(data, str):
        data = data.removeprefix("\ufeff")
    target = _LineTrackingTarget()
    parser = XMLParser(target=target, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    expat = parser.parser  # defusedxml's parser is the pure-Python one, which exposes expat
    target.expat = expat
    try:
        parser.feed(data)
        root = parser.close()
    except ParseError as error:
        line, column = error.position
        # Expat's message ends with ": line X, column Y"; we say where at the front instead.
        message = re.sub(r":? ?line \d+, column \d+$", "", str(error)).strip() or "not valid XML"
        raise InterchangeError(f"not valid XML: {message}", line=line, column=column + 1) from None
    except DTDForbidden:
        raise InterchangeError(
            "DOCTYPE declarations are not allowed in question-bank files",
            line=expat.CurrentLineNumber,
        ) from None
    except EntitiesForbidden:
        raise InterchangeError(
            "entity declarations are not allowed in question-bank files",
            line=expat.CurrentLineNumber,
        ) from None
    except DefusedXmlException:
        raise InterchangeError(
            "external references are not allowed in question-bank files",
            line=expat.CurrentLineNumber,
        ) from None
    return root, target.lines


def _element_text(element: Element | None) -> str:
    """Text of a Moodle "text holder": ``<x><text>..</text></x>`` (or old ``<x>..</x>``)."""
    if element is None:
        return ""
    inner = element.find("text")
    if inner is not None:
        return (inner.text or "").strip()
    return (element.text or "").strip()


def _child_text(element: Element, tag: str) -> str:
    return _element_text(element.find(tag))


def _child_value(element: Element, tag: str) -> str | None:
    """Text of a simple ``<tag>value</tag>`` child, or None if there is no such child."""
    child = element.find(tag)
    if child is None:
        return None
    return (child.text or "").strip()


def _moodle_bool(value: str | None, default: bool) -> bool:
    """Moodle's trans_single(): "false", "0" and "" are false, anything else is true."""
    if value is None:
        return default
    return value.lower() not in ("false", "0", "")


def _text_format(element: Element | None) -> TextFormat:
    raw = (element.get("format", "") if element is not None else "").strip().lower()
    if raw in TEXT_FORMATS:
        return raw  # type: ignore[return-value]
    # Moodle treats a missing or unknown format as its auto-format.
    return _FORMAT_ALIASES.get(raw, "moodle_auto_format")


def _fraction(answer: Element, *, low: float = -1.0) -> float:
    raw = answer.get("fraction", "0")
    percent = parse_number(raw)
    if percent is None:
        raise _Skip(f"answer credit {raw!r} is not a number")
    fraction = percent_to_fraction(percent)
    if not low - _EPSILON <= fraction <= 1 + _EPSILON:
        raise _Skip(f"answer credit {raw}% is outside {low * 100:g}..100%")
    return fraction


def _answers(element: Element) -> list[Element]:
    return element.findall("answer")


def _feedback(answer: Element) -> str:
    return _child_text(answer, "feedback")


def _read_choices(question: Element, *, low: float = -1.0) -> list[Choice]:
    choices = []
    for answer in _answers(question):
        text = _element_text(answer)
        if not text:
            continue  # Moodle drops blank answer slots when it saves, so do we
        choices.append(
            Choice(text=text, fraction=_fraction(answer, low=low), feedback=_feedback(answer))
        )
    return choices


def _read_combined_feedback(question: Element, imported: ImportedQuestion) -> None:
    imported.correct_feedback = _child_text(question, "correctfeedback")
    imported.partially_correct_feedback = _child_text(question, "partiallycorrectfeedback")
    imported.incorrect_feedback = _child_text(question, "incorrectfeedback")


def _read_multichoice(question: Element, imported: ImportedQuestion) -> None:
    # Moodle's defaults when the elements are missing: single "true", shuffle "false".
    single = _moodle_bool(_child_value(question, "single"), default=True)
    imported.qtype = "single_choice" if single else "multiple_response"
    imported.shuffle = _moodle_bool(_child_value(question, "shuffleanswers"), default=False)
    imported.choices = _read_choices(question)
    _read_combined_feedback(question, imported)
    if len(imported.choices) < 2:
        raise _Skip("a choice question needs at least two choices")
    if not any(choice.fraction > 0 for choice in imported.choices):
        raise _Skip("no choice is worth any credit")


def _read_truefalse(question: Element, imported: ImportedQuestion) -> None:
    answers = _answers(question)
    if len(answers) != 2:
        raise _Skip(f"a true/false question needs exactly two answers, found {len(answers)}")
    by_text: dict[str, Element] = {}
    for position, answer in enumerate(answers):
        text = _element_text(answer).lower()
        # Like Moodle: answers not labelled "true"/"false" are taken as true, then false.
        key = text if text in ("true", "false") else ("true" if position == 0 else "false")
        by_text.setdefault(key, answer)
    if set(by_text) != {"true", "false"}:
        raise _Skip("a true/false question needs one 'true' and one 'false' answer")
    true_percent = parse_number(by_text["true"].get("fraction", "0"))
    if true_percent is None:
        raise _Skip("answer credit is not a number")
    true_is_right = abs(true_percent - 100) < 1e-5
    imported.choices = [
        Choice("True", 1.0 if true_is_right else 0.0, _feedback(by_text["true"])),
        Choice("False", 0.0 if true_is_right else 1.0, _feedback(by_text["false"])),
    ]


def _read_shortanswer(question: Element, imported: ImportedQuestion) -> None:
    imported.case_sensitive = _moodle_bool(_child_value(question, "usecase"), default=False)
    for answer in _answers(question):
        text = _element_text(answer)
        if not text:
            continue
        imported.answers.append(
            AcceptedAnswer(
                text=text, fraction=_fraction(answer, low=0.0), feedback=_feedback(answer)
            )
        )
    if not any(answer.fraction > 0 for answer in imported.answers):
        raise _Skip("no accepted answer is worth any credit")


def _read_numerical(question: Element, imported: ImportedQuestion) -> None:
    units = question.find("units")
    has_units = units is not None and units.find("unit") is not None
    grading = _child_value(question, "unitgradingtype") or "0"
    if has_units and grading != "0":
        raise _Skip("numerical questions that grade the unit are not supported")
    for answer in _answers(question):
        text = _element_text(answer)
        if not text:
            continue
        if text != "*" and parse_number(text) is None:
            raise _Skip(f"numerical answer {text!r} is not a number")
        tolerance_text = _child_value(answer, "tolerance") or "0"
        tolerance = parse_number(tolerance_text)
        if tolerance is None:
            raise _Skip(f"tolerance {tolerance_text!r} is not a number")
        imported.answers.append(
            AcceptedAnswer(
                text=text,
                fraction=_fraction(answer, low=0.0),
                feedback=_feedback(answer),
                tolerance=abs(tolerance),
            )
        )
    if not any(answer.fraction > 0 and answer.text != "*" for answer in imported.answers):
        raise _Skip("no numerical answer is worth any credit")


def _read_matching(question: Element, imported: ImportedQuestion) -> None:
    imported.shuffle = _moodle_bool(_child_value(question, "shuffleanswers"), default=True)
    _read_combined_feedback(question, imported)
    for subquestion in question.findall("subquestion"):
        prompt = _element_text(subquestion)
        answer = _child_text(subquestion, "answer")
        if not prompt and not answer:
            continue
        if prompt and not answer:
            raise _Skip("a matching prompt has no answer")
        imported.pairs.append(MatchPair(prompt=prompt, answer=answer))
    if sum(1 for pair in imported.pairs if pair.prompt) < 2:
        raise _Skip("a matching question needs at least two prompts with answers")


def _read_ordering(question: Element, imported: ImportedQuestion) -> None:
    _read_combined_feedback(question, imported)
    # qtype_ordering imports the items in file order and ignores "fraction" (its export
    # writes the position there); so do we.
    imported.order = [text for text in (_element_text(a) for a in _answers(question)) if text]
    if len(imported.order) < 2:
        raise _Skip("an ordering question needs at least two items")


_READERS: dict[str, tuple[QuestionType, Callable[[Element, ImportedQuestion], None]]] = {
    "multichoice": ("single_choice", _read_multichoice),
    "truefalse": ("true_false", _read_truefalse),
    "shortanswer": ("short_text", _read_shortanswer),
    "numerical": ("numeric", _read_numerical),
    "matching": ("matching", _read_matching),
    "ordering": ("ordering", _read_ordering),
}


def _all_texts(question: ImportedQuestion) -> Iterable[str]:
    yield from (question.text, question.general_feedback, question.correct_feedback)
    yield from (question.partially_correct_feedback, question.incorrect_feedback)
    for choice in question.choices:
        yield from (choice.text, choice.feedback)
    for answer in question.answers:
        yield answer.feedback
    for pair in question.pairs:
        yield pair.prompt
    yield from question.order


def _read_question(element: Element, qtype: str, category: str) -> ImportedQuestion:
    if qtype not in _READERS:
        why = _UNSUPPORTED.get(qtype, "it is not a type we know")
        raise _Skip(f"Question type '{qtype or '(none)'}' is not supported ({why})")
    neutral_type, reader = _READERS[qtype]
    questiontext = element.find("questiontext")
    text = _element_text(questiontext)
    imported = ImportedQuestion(
        qtype=neutral_type,
        name=_child_text(element, "name") or default_question_name(text),
        text=text,
        category=category,
        text_format=_text_format(questiontext),
        general_feedback=_child_text(element, "generalfeedback"),
    )
    if not text:
        raise _Skip("the question has no text")
    grade_text = _child_value(element, "defaultgrade")
    if grade_text:
        grade = parse_number(grade_text)
        if grade is None or grade < 0:
            raise _Skip(f"default mark {grade_text!r} is not a positive number")
        imported.default_mark = grade
    tags = element.find("tags")
    if tags is not None:
        imported.tags = [text for text in (_element_text(t) for t in tags.findall("tag")) if text]
    reader(element, imported)
    if any(_PLUGINFILE in text for text in _all_texts(imported)):
        raise _Skip("it embeds images or files, which are not imported yet")
    return imported


def parse_moodle_xml(data: bytes | str) -> ImportResult:
    """Read a Moodle XML question bank (as Moodle's "Export questions" writes it).

    ``data`` is the uploaded file: bytes (any encoding the XML declaration names, with or
    without a UTF-8 byte-order mark) or already-decoded text.

    Returns the importable questions and the skipped ones with reasons. Raises
    ``InterchangeError`` if the file is not a well-formed, DTD-free ``<quiz>`` document.
    """
    root, lines = _parse_document(data)
    if root.tag != "quiz":
        raise InterchangeError(
            f"not a Moodle XML question bank: the top element is <{root.tag}>, expected <quiz>",
            line=lines.get(root),
        )
    result = ImportResult()
    category = ""
    number = 0
    for element in root:
        if element.tag != "question":
            continue
        qtype = element.get("type", "").strip()
        line = lines.get(element)
        if qtype == "category":
            category = clean_category_path(_child_text(element, "category"))
            continue
        number += 1
        try:
            question = _read_question(element, qtype, category)
        except _Skip as skip:
            location = f"question {number}" + (f" (line {line})" if line else "")
            name = _child_text(element, "name") or default_question_name(
                _child_text(element, "questiontext")
            )
            result.skipped.append(SkippedQuestion(name, qtype or "(none)", str(skip), location))
            continue
        question.source_line = line
        result.questions.append(question)
    return result


# --- writing --------------------------------------------------------------------------------

_MOODLE_TYPE: dict[str, str] = {
    "single_choice": "multichoice",
    "multiple_response": "multichoice",
    "true_false": "truefalse",
    "short_text": "shortanswer",
    "numeric": "numerical",
    "matching": "matching",
    "ordering": "ordering",
}


def _xml_safe(text: str) -> str:
    return _XML_INVALID_RE.sub("", text)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _text_element(text: str) -> str:
    """``<text>`` with the content as Moodle writes it: CDATA when it holds markup."""
    text = _xml_safe(text)
    if not any(char in text for char in "<>&"):
        return f"<text>{text}</text>"
    # "]]>" cannot appear inside CDATA: end the section between "]]" and ">".
    return "<text><![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]></text>"


def _percent(fraction: float) -> str:
    """Fraction 0..1 as Moodle's percentage text: "100", "33.33333", "-50"."""
    text = f"{round(fraction * 100, 7):.7f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


class _Writer:
    """Collects indented lines of one document."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, depth: int, line: str) -> None:
        self.lines.append("  " * depth + line)

    def text_holder(self, depth: int, tag: str, text: str, text_format: str | None = None) -> None:
        attribute = f' format="{text_format}"' if text_format else ""
        self.add(depth, f"<{tag}{attribute}>")
        self.add(depth + 1, _text_element(text))
        self.add(depth, f"</{tag}>")

    def answer(
        self,
        depth: int,
        fraction: str,
        text: str,
        text_format: str,
        feedback: str = "",
        extra: Iterable[str] = (),
        feedback_format: str | None = None,
    ) -> None:
        self.add(depth, f'<answer fraction="{fraction}" format="{text_format}">')
        self.add(depth + 1, _text_element(text))
        self.text_holder(depth + 1, "feedback", feedback, feedback_format or text_format)
        for line in extra:
            self.add(depth + 1, line)
        self.add(depth, "</answer>")


def _write_category(writer: _Writer, category: str) -> None:
    path = "$course$/top" + (f"/{category}" if category else "")
    writer.add(1, '<question type="category">')
    writer.text_holder(2, "category", path)
    writer.text_holder(2, "info", "", "moodle_auto_format")
    writer.add(1, "</question>")


def _write_combined_feedback(writer: _Writer, question: ImportedQuestion) -> None:
    fmt = question.text_format
    writer.text_holder(2, "correctfeedback", question.correct_feedback, fmt)
    writer.text_holder(2, "partiallycorrectfeedback", question.partially_correct_feedback, fmt)
    writer.text_holder(2, "incorrectfeedback", question.incorrect_feedback, fmt)


def _write_true_false(writer: _Writer, question: ImportedQuestion) -> None:
    if len(question.choices) != 2:
        raise ValueError(f"true/false question {question.name!r} needs exactly two choices")
    labelled = {choice.text.strip().lower(): choice for choice in question.choices}
    true_choice = labelled.get("true", question.choices[0])
    false_choice = labelled.get("false", question.choices[1])
    true_is_right = true_choice.fraction >= false_choice.fraction
    # Moodle finds the two answers by these exact labels and the right one by fraction 100.
    writer.answer(
        2, "100" if true_is_right else "0", "true", question.text_format, true_choice.feedback
    )
    writer.answer(
        2, "0" if true_is_right else "100", "false", question.text_format, false_choice.feedback
    )


def _write_question(writer: _Writer, question: ImportedQuestion) -> None:
    moodle_type = _MOODLE_TYPE.get(question.qtype)
    if moodle_type is None:
        raise ValueError(f"cannot export question type {question.qtype!r}")
    fmt = question.text_format
    if fmt not in TEXT_FORMATS:
        raise ValueError(f"question {question.name!r} has unknown text format {fmt!r}")
    writer.add(1, f'<question type="{moodle_type}">')
    writer.text_holder(2, "name", question.name)
    writer.text_holder(2, "questiontext", question.text, fmt)
    writer.text_holder(2, "generalfeedback", question.general_feedback, fmt)
    writer.add(2, f"<defaultgrade>{format_number(question.default_mark)}</defaultgrade>")
    penalty = "1" if question.qtype == "true_false" else "0.3333333"
    writer.add(2, f"<penalty>{penalty}</penalty>")
    writer.add(2, "<hidden>0</hidden>")
    writer.add(2, "<idnumber></idnumber>")

    if question.qtype in ("single_choice", "multiple_response"):
        single = "true" if question.qtype == "single_choice" else "false"
        writer.add(2, f"<single>{single}</single>")
        writer.add(2, f"<shuffleanswers>{str(question.shuffle).lower()}</shuffleanswers>")
        writer.add(2, "<answernumbering>abc</answernumbering>")
        writer.add(2, "<showstandardinstruction>0</showstandardinstruction>")
        _write_combined_feedback(writer, question)
        for choice in question.choices:
            writer.answer(2, _percent(choice.fraction), choice.text, fmt, choice.feedback)
    elif question.qtype == "true_false":
        _write_true_false(writer, question)
    elif question.qtype == "short_text":
        writer.add(2, f"<usecase>{int(question.case_sensitive)}</usecase>")
        for answer in question.answers:
            writer.answer(
                2,
                _percent(answer.fraction),
                answer.text,
                "moodle_auto_format",  # answers to type in are plain words, whatever the format
                answer.feedback,
                feedback_format=fmt,
            )
    elif question.qtype == "numeric":
        for answer in question.answers:
            tolerance = f"<tolerance>{format_number(answer.tolerance)}</tolerance>"
            writer.answer(
                2,
                _percent(answer.fraction),
                answer.text,
                "moodle_auto_format",
                answer.feedback,
                extra=[tolerance],
                feedback_format=fmt,
            )
        # No units: the learner types a bare number.
        writer.add(2, "<unitgradingtype>0</unitgradingtype>")
        writer.add(2, "<unitpenalty>0.1000000</unitpenalty>")
        writer.add(2, "<showunits>3</showunits>")
        writer.add(2, "<unitsleft>0</unitsleft>")
    elif question.qtype == "matching":
        writer.add(2, f"<shuffleanswers>{str(question.shuffle).lower()}</shuffleanswers>")
        _write_combined_feedback(writer, question)
        for pair in question.pairs:
            writer.add(2, f'<subquestion format="{fmt}">')
            writer.add(3, _text_element(pair.prompt))
            writer.text_holder(3, "answer", pair.answer)
            writer.add(2, "</subquestion>")
    elif question.qtype == "ordering":
        writer.add(2, "<layouttype>VERTICAL</layouttype>")
        writer.add(2, "<selecttype>ALL</selecttype>")
        writer.add(2, f"<selectcount>{len(question.order)}</selectcount>")
        writer.add(2, "<gradingtype>ABSOLUTE_POSITION</gradingtype>")
        writer.add(2, "<showgrading>SHOW</showgrading>")
        writer.add(2, "<numberingstyle>none</numberingstyle>")
        _write_combined_feedback(writer, question)
        # The plugin's own export writes each item's position as its "fraction".
        for position, item in enumerate(question.order, start=1):
            writer.add(2, f'<answer fraction="{position}" format="{fmt}">')
            writer.add(3, _text_element(item))
            writer.add(2, "</answer>")

    if question.tags:
        writer.add(2, "<tags>")
        for tag in question.tags:
            writer.text_holder(3, "tag", tag)
        writer.add(2, "</tags>")
    writer.add(1, "</question>")


def export_moodle_xml(questions: Iterable[ImportedQuestion]) -> bytes:
    """Write questions as a Moodle XML question bank (UTF-8 bytes) that Moodle can import.

    Raises ``ValueError`` for a question this format cannot express (an unknown ``qtype`` or
    ``text_format``, or a true/false question without exactly two choices).
    """
    writer = _Writer()
    writer.add(0, '<?xml version="1.0" encoding="UTF-8"?>')
    writer.add(0, "<quiz>")
    # Questions with no category need no marker before the first category appears: Moodle
    # files them under the category picked on its import form.
    current_category = ""
    for question in questions:
        if question.category != current_category:
            _write_category(writer, question.category)
            current_category = question.category
        _write_question(writer, question)
    writer.add(0, "</quiz>")
    return ("\n".join(writer.lines) + "\n").encode("utf-8")
