"""Moodle XML question-bank import and export (pure Python, no database)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from assessments.interchange import (
    AcceptedAnswer,
    Choice,
    ImportedQuestion,
    ImportResult,
    InterchangeError,
    MatchPair,
    export_moodle_xml,
    parse_gift,
    parse_moodle_xml,
)

DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def _media_root() -> None:
    """Override the suite-wide autouse fixture: these tests need no Django settings."""


@pytest.fixture(scope="module")
def sample() -> ImportResult:
    return parse_moodle_xml((DATA / "moodle_questions.xml").read_bytes())


def by_name(result: ImportResult, name: str) -> ImportedQuestion:
    return next(question for question in result.questions if question.name == name)


def quiz(*questions: str) -> str:
    return '<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n' + "\n".join(questions) + "\n</quiz>\n"


def without_lines(questions: list[ImportedQuestion]) -> list[ImportedQuestion]:
    return [replace(question, source_line=None) for question in questions]


# --- supported types ------------------------------------------------------------------------


def test_sample_yields_every_supported_type(sample: ImportResult) -> None:
    assert [question.qtype for question in sample.questions] == [
        "single_choice",
        "multiple_response",
        "true_false",
        "short_text",
        "short_text",
        "numeric",
        "matching",
        "ordering",
    ]


def test_single_choice_keeps_html_feedback_tags_and_category(sample: ImportResult) -> None:
    question = by_name(sample, "Suspicious sender")
    assert question.qtype == "single_choice"
    assert question.text.startswith("<p>An email from <strong>it-support@c1ty-example.gov</strong>")
    assert question.text_format == "html"
    assert question.category == "Default for Security Awareness/Phishing"
    assert question.general_feedback == "<p>IT never asks for passwords.</p>"
    assert question.correct_feedback == "Your answer is correct."
    assert question.partially_correct_feedback == "Your answer is partially correct."
    assert question.incorrect_feedback == "Your answer is incorrect."
    assert question.default_mark == 2.0
    assert question.shuffle is True
    assert question.tags == ["phishing", "email"]
    assert question.choices == [
        Choice(
            "<p>Report it with the <em>Report phishing</em> button</p>",
            1.0,
            "Right: reporting protects colleagues too.",
        ),
        Choice("<p>Reply with the password</p>", 0.0, "Never share your password."),
        Choice("<p>Forward it to a colleague</p>", 0.0, ""),
    ]
    assert question.source_line == 17


def test_multiple_response_keeps_negative_credit(sample: ImportResult) -> None:
    question = by_name(sample, "Red flags")
    assert question.qtype == "multiple_response"
    assert [choice.fraction for choice in question.choices] == [0.5, 0.5, -1.0]
    assert question.choices[2].feedback == "That alone is not a red flag."
    assert question.shuffle is False
    assert (question.correct_feedback, question.incorrect_feedback) == (
        "Well spotted.",
        "Look again.",
    )


def test_escaped_html_and_entities_become_html_text(sample: ImportResult) -> None:
    # "&lt;p&gt;" is escaped HTML, "&amp;amp;" an HTML entity written in XML, "&#233;" an XML
    # character reference: the result is the HTML the author wrote.
    question = by_name(sample, "Red flags")
    assert question.text == "<p>Which of these are red flags? Tom &amp; Jerry&#39;s \u00e9mail</p>"


def test_true_false_becomes_two_labelled_choices(sample: ImportResult) -> None:
    question = by_name(sample, "Padlock means safe")
    assert question.qtype == "true_false"
    assert question.text_format == "moodle_auto_format"
    assert question.general_feedback == "HTTPS only encrypts the connection."
    assert question.choices == [
        Choice("True", 0.0, "No: phishing sites use HTTPS too."),
        Choice("False", 1.0, "Correct."),
    ]


def test_short_answer_weights_and_case_sensitivity(sample: ImportResult) -> None:
    acronym = by_name(sample, "MFA acronym")
    assert acronym.qtype == "short_text"
    assert acronym.case_sensitive is False
    assert acronym.text_format == "plain_text"
    assert acronym.category == "Default for Security Awareness/Passwords"
    assert acronym.answers == [
        AcceptedAnswer("multi-factor authentication", 1.0, "Exactly."),
        AcceptedAnswer("two-factor authentication", 0.5, "Close: two is one kind of multi."),
    ]
    exact = by_name(sample, "Case matters")
    assert exact.case_sensitive is True
    assert exact.text_format == "markdown"


def test_numerical_answers_with_tolerance_and_catch_all(sample: ImportResult) -> None:
    question = by_name(sample, "Minimum length")
    assert question.qtype == "numeric"
    assert question.answers == [
        AcceptedAnswer("12", 1.0, "Yes, twelve.", 0.0),
        AcceptedAnswer("12.5", 0.5, "Near enough.", 2.5),
        AcceptedAnswer("*", 0.0, "Check the password policy.", 0.0),
    ]


def test_matching_keeps_distractor_as_pair_without_prompt(sample: ImportResult) -> None:
    question = by_name(sample, "Match the threat")
    assert question.qtype == "matching"
    assert question.default_mark == 3.0
    assert question.pairs == [
        MatchPair("<p>Phishing</p>", "Fraudulent email"),
        MatchPair("<p>Vishing</p>", "Fraudulent phone call"),
        MatchPair("<p>Smishing</p>", "Fraudulent text message"),
        MatchPair("", "Fraudulent fax"),
    ]
    assert question.correct_feedback == "All matched."


def test_ordering_items_in_file_order(sample: ImportResult) -> None:
    question = by_name(sample, "Incident steps")
    assert question.qtype == "ordering"
    assert question.order == [
        "Disconnect from the network",
        "Call the IT service desk",
        "Write down what happened",
    ]
    assert question.partially_correct_feedback == "Nearly."


def test_ordering_uses_file_order_even_when_fractions_disagree() -> None:
    # qtype_ordering ignores "fraction" on import; the order of <answer> elements is the answer.
    result = parse_moodle_xml(
        quiz(
            """<question type="ordering"><name><text>O</text></name>
            <questiontext format="html"><text>Order</text></questiontext>
            <answer fraction="3"><text>first</text></answer>
            <answer fraction="1"><text>second</text></answer>
            <answer fraction="2"><text>third</text></answer></question>"""
        )
    )
    assert result.questions[0].order == ["first", "second", "third"]


def test_multichoice_defaults_follow_moodle() -> None:
    # Without <single> Moodle assumes single choice; without <shuffleanswers>, no shuffling.
    result = parse_moodle_xml(
        quiz(
            """<question type="multichoice"><name><text>M</text></name>
            <questiontext><text>Pick</text></questiontext>
            <answer fraction="100"><text>a</text></answer>
            <answer fraction="0"><text>b</text></answer>
            <answer fraction="0"><text>  </text></answer></question>"""
        )
    )
    question = result.questions[0]
    assert question.qtype == "single_choice"
    assert question.shuffle is False
    assert question.text_format == "moodle_auto_format"
    assert [choice.text for choice in question.choices] == ["a", "b"]  # blank slot dropped


def test_true_false_without_labels_is_read_true_then_false() -> None:
    result = parse_moodle_xml(
        quiz(
            """<question type="truefalse"><name><text>TF</text></name>
            <questiontext><text>Sky is blue</text></questiontext>
            <answer fraction="100"><text>Yes</text><feedback><text>ok</text></feedback></answer>
            <answer fraction="0"><text>No</text></answer></question>"""
        )
    )
    assert result.questions[0].choices == [Choice("True", 1.0, "ok"), Choice("False", 0.0, "")]


def test_missing_name_is_made_from_the_text() -> None:
    result = parse_moodle_xml(
        quiz(
            """<question type="shortanswer">
            <questiontext format="html"><text><![CDATA[<p>What is   the <b>helpdesk</b> number?</p>]]></text></questiontext>
            <answer fraction="100"><text>5555</text></answer></question>"""
        )
    )
    assert result.questions[0].name == "What is the helpdesk number?"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("$course$/top/Default for X/Sub", "Default for X/Sub"),
        ("$course$/Default for X", "Default for X"),  # Moodle 3.4 and earlier
        ("$system$/top", ""),
        ("$module$/top/Quiz bank", "Quiz bank"),
        ("Plain/Path", "Plain/Path"),
    ],
)
def test_category_prefix_is_stripped(path: str, expected: str) -> None:
    result = parse_moodle_xml(
        quiz(
            f"""<question type="category"><category><text>{path}</text></category></question>
            <question type="shortanswer"><name><text>Q</text></name>
            <questiontext><text>Q?</text></questiontext>
            <answer fraction="100"><text>a</text></answer></question>"""
        )
    )
    assert result.questions[0].category == expected


# --- skipped questions ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "qtype", "reason", "location"),
    [
        (
            "Describe an incident",
            "essay",
            "Question type 'essay' is not supported (it needs manual grading)",
            "question 9 (line 341)",
        ),
        (
            "Cloze passwords",
            "cloze",
            "Question type 'cloze' is not supported (it embeds several answer fields in its text)",
            "question 10 (line 369)",
        ),
        (
            "Nothing is right",
            "multichoice",
            "no choice is worth any credit",
            "question 11 (line 385)",
        ),
        (
            "Not a number",
            "numerical",
            "numerical answer 'twelve' is not a number",
            "question 12 (line 402)",
        ),
        (
            "Lonely pair",
            "matching",
            "a matching question needs at least two prompts with answers",
            "question 13 (line 416)",
        ),
        (
            "Drag the lock",
            "ddimageortext",
            "Question type 'ddimageortext' is not supported (it needs drag and drop)",
            "question 14 (line 430)",
        ),
    ],
)
def test_sample_skips_with_reason_and_location(
    sample: ImportResult, name: str, qtype: str, reason: str, location: str
) -> None:
    skipped = next(item for item in sample.skipped if item.name == name)
    assert (skipped.qtype, skipped.reason, skipped.location) == (qtype, reason, location)


def test_sample_skips_nothing_else(sample: ImportResult) -> None:
    assert len(sample.skipped) == 6


@pytest.mark.parametrize(
    ("question", "reason"),
    [
        (
            '<question type="calculated"><name><text>C</text></name></question>',
            "Question type 'calculated' is not supported (it computes answers from formulas",
        ),
        (
            '<question type="description"><name><text>D</text></name></question>',
            "Question type 'description' is not supported (it is information text",
        ),
        (
            '<question type="randomsamatch"><name><text>R</text></name></question>',
            "Question type 'randomsamatch' is not supported",
        ),
        (
            '<question type="gapselect"><name><text>G</text></name></question>',
            "Question type 'gapselect' is not supported",
        ),
        (
            '<question type="wordle"><name><text>W</text></name></question>',
            "Question type 'wordle' is not supported (it is not a type we know)",
        ),
        (
            """<question type="multichoice"><name><text>One</text></name>
            <questiontext><text>Q</text></questiontext>
            <answer fraction="100"><text>only</text></answer></question>""",
            "a choice question needs at least two choices",
        ),
        (
            """<question type="multichoice"><name><text>Big</text></name>
            <questiontext><text>Q</text></questiontext>
            <answer fraction="150"><text>a</text></answer>
            <answer fraction="0"><text>b</text></answer></question>""",
            "answer credit 150% is outside -100..100%",
        ),
        (
            """<question type="shortanswer"><name><text>Empty</text></name>
            <questiontext><text>   </text></questiontext>
            <answer fraction="100"><text>a</text></answer></question>""",
            "the question has no text",
        ),
        (
            """<question type="numerical"><name><text>Units</text></name>
            <questiontext><text>How far?</text></questiontext>
            <answer fraction="100"><text>5</text><tolerance>0</tolerance></answer>
            <unitgradingtype>1</unitgradingtype>
            <units><unit><multiplier>1</multiplier><unit_name>km</unit_name></unit></units>
            </question>""",
            "numerical questions that grade the unit are not supported",
        ),
        (
            """<question type="shortanswer"><name><text>Pic</text></name>
            <questiontext format="html"><text><![CDATA[<img src="@@PLUGINFILE@@/lock.png">]]></text>
            <file name="lock.png" path="/" encoding="base64">iVBORw0KGgo=</file></questiontext>
            <answer fraction="100"><text>lock</text></answer></question>""",
            "it embeds images or files, which are not imported yet",
        ),
        (
            """<question type="ordering"><name><text>Short</text></name>
            <questiontext><text>Order</text></questiontext>
            <answer fraction="1"><text>only</text></answer></question>""",
            "an ordering question needs at least two items",
        ),
    ],
)
def test_unsupported_or_unusable_questions_are_skipped(question: str, reason: str) -> None:
    result = parse_moodle_xml(quiz(question))
    assert result.questions == []
    assert len(result.skipped) == 1
    assert result.skipped[0].reason.startswith(reason)
    assert result.skipped[0].location == "question 1 (line 3)"


# --- malformed files ------------------------------------------------------------------------


def test_broken_xml_reports_line_and_column() -> None:
    data = "<quiz>\n  <question type='truefalse'>\n    <name><text>x</name>\n</quiz>\n"
    with pytest.raises(InterchangeError) as caught:
        parse_moodle_xml(data)
    # Column 20 (1-based) is the "n" of the closing "</name>" that does not match "<text>".
    assert (caught.value.line, caught.value.column) == (3, 20)
    assert str(caught.value) == "Line 3, column 20: not valid XML: mismatched tag"


def test_entity_expansion_is_refused() -> None:
    bomb = (
        '<?xml version="1.0"?>\n'
        '<!DOCTYPE quiz [\n  <!ENTITY lol "lol">\n  <!ENTITY lol2 "&lol;&lol;&lol;&lol;">\n]>\n'
        "<quiz>&lol2;</quiz>\n"
    )
    with pytest.raises(InterchangeError, match="DOCTYPE declarations are not allowed") as caught:
        parse_moodle_xml(bomb.encode())
    assert caught.value.line == 2


def test_external_entity_is_refused() -> None:
    data = '<?xml version="1.0"?>\n<!DOCTYPE quiz SYSTEM "file:///etc/passwd">\n<quiz></quiz>\n'
    with pytest.raises(InterchangeError, match="not allowed"):
        parse_moodle_xml(data)


def test_undeclared_html_entity_is_malformed_xml() -> None:
    # "&nbsp;" is HTML, not XML: Moodle writes it inside CDATA or as "&amp;nbsp;".
    with pytest.raises(
        InterchangeError, match=r"^Line 2, column 18: not valid XML: undefined entity"
    ):
        parse_moodle_xml("<quiz>\n<question><name>a&nbsp;b</name></question></quiz>")


@pytest.mark.parametrize(
    "data",
    [
        '<?xml version="1.0"?>\n<questions><question type="truefalse"/></questions>',
        "<html><body>Not a quiz</body></html>",
    ],
)
def test_wrong_root_is_refused(data: str) -> None:
    with pytest.raises(InterchangeError, match="expected <quiz>"):
        parse_moodle_xml(data)


@pytest.mark.parametrize("data", [b"", b"   ", "just text"])
def test_empty_or_non_xml_is_refused(data: bytes | str) -> None:
    with pytest.raises(InterchangeError, match="^Line 1, column"):
        parse_moodle_xml(data)


# --- encodings ------------------------------------------------------------------------------


SHORT_QUESTION = """<question type="shortanswer"><name><text>Caf\u00e9</text></name>
<questiontext><text>Na\u00efve?</text></questiontext>
<answer fraction="100"><text>oui</text></answer></question>"""


def test_utf8_bom_at_file_start_is_accepted() -> None:
    as_bytes = b"\xef\xbb\xbf" + quiz(SHORT_QUESTION).encode("utf-8")
    as_text = "\ufeff" + quiz(SHORT_QUESTION)
    for data in (as_bytes, as_text):
        result = parse_moodle_xml(data)
        assert result.questions[0].name == "Caf\u00e9"
        assert result.questions[0].text == "Na\u00efve?"


def test_declared_latin1_encoding_is_honoured() -> None:
    document = quiz(SHORT_QUESTION).replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')
    result = parse_moodle_xml(document.encode("latin-1"))
    assert result.questions[0].name == "Caf\u00e9"


# --- export ---------------------------------------------------------------------------------


def test_round_trip_sample_export_then_parse_is_equal(sample: ImportResult) -> None:
    exported = export_moodle_xml(sample.questions)
    again = parse_moodle_xml(exported)
    assert again.skipped == []
    assert without_lines(again.questions) == without_lines(sample.questions)


def test_round_trip_from_gift_through_moodle_xml() -> None:
    from_gift = parse_gift((DATA / "questions.gift").read_text(encoding="utf-8"))
    again = parse_moodle_xml(export_moodle_xml(from_gift.questions))
    assert without_lines(again.questions) == without_lines(from_gift.questions)


def test_export_writes_a_moodle_document(sample: ImportResult) -> None:
    exported = export_moodle_xml(sample.questions).decode("utf-8")
    assert exported.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n')
    assert exported.rstrip().endswith("</quiz>")
    # HTML goes into CDATA, plain text is written as is.
    assert "<text><![CDATA[<p>Reply with the password</p>]]></text>" in exported
    assert "<text>Your answer is correct.</text>" in exported
    # Fractions are Moodle percentages.
    assert '<answer fraction="100" format="html">' in exported
    assert '<answer fraction="-100" format="html">' in exported
    assert '<answer fraction="50" format="html">' in exported
    assert "<tolerance>2.5</tolerance>" in exported
    assert "<single>false</single>" in exported
    assert "<usecase>1</usecase>" in exported
    assert '<question type="ordering">' in exported
    # One category marker per change of category, in Moodle's "$course$/top/..." form.
    assert exported.count('<question type="category">') == 2
    assert "<text>$course$/top/Default for Security Awareness/Passwords</text>" in exported


def test_export_percentages_and_category_changes() -> None:
    questions = [
        ImportedQuestion(
            qtype="multiple_response",
            name="Thirds",
            text="Pick the three",
            choices=[
                Choice("a", 0.3333333),
                Choice("b", 0.3333333),
                Choice("c", 0.3333333),
                Choice("d", -0.5),
            ],
        ),
        ImportedQuestion(
            qtype="short_text",
            name="In a category",
            text="Q?",
            category="Safety",
            answers=[AcceptedAnswer("x")],
        ),
        ImportedQuestion(
            qtype="short_text", name="Back to none", text="Q?", answers=[AcceptedAnswer("y")]
        ),
    ]
    exported = export_moodle_xml(questions).decode("utf-8")
    assert '<answer fraction="33.33333" format="html">' in exported
    assert '<answer fraction="-50" format="html">' in exported
    # No marker before the first question (no category), then "Safety", then back to the top.
    assert exported.index("Thirds") < exported.index("$course$/top/Safety")
    assert "<text>$course$/top</text>" in exported
    again = parse_moodle_xml(exported)
    assert [question.category for question in again.questions] == ["", "Safety", ""]
    assert without_lines(again.questions) == questions


def test_export_keeps_awkward_text_intact() -> None:
    question = ImportedQuestion(
        qtype="short_text",
        name="Tom & Jerry <script>",
        text="<p>Close ]]> the CDATA &amp; \u00e9\u4e2d\U0001f512</p>\x00\x0b",
        answers=[AcceptedAnswer("a < b & c", feedback="x]]>y")],
    )
    again = parse_moodle_xml(export_moodle_xml([question])).questions[0]
    assert again.name == "Tom & Jerry <script>"
    # Characters XML cannot carry at all are dropped; everything else survives.
    assert again.text == "<p>Close ]]> the CDATA &amp; \u00e9\u4e2d\U0001f512</p>"
    assert again.answers == [AcceptedAnswer("a < b & c", feedback="x]]>y")]


def test_export_nothing_is_an_empty_quiz() -> None:
    exported = export_moodle_xml([])
    assert parse_moodle_xml(exported) == ImportResult([], [])


def test_export_refuses_unknown_type() -> None:
    question = ImportedQuestion(qtype="essay", name="E", text="Write")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="cannot export question type 'essay'"):
        export_moodle_xml([question])


def test_export_refuses_unknown_text_format() -> None:
    question = ImportedQuestion(
        qtype="short_text",
        name="F",
        text="Q?",
        text_format='html" onload="x',  # type: ignore[arg-type]
        answers=[AcceptedAnswer("a")],
    )
    with pytest.raises(ValueError, match="unknown text format"):
        export_moodle_xml([question])
