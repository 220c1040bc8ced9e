"""GIFT question-file import (pure Python, no database)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assessments.interchange import (
    AcceptedAnswer,
    Choice,
    ImportedQuestion,
    ImportResult,
    InterchangeError,
    MatchPair,
    parse_gift,
)

DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def _media_root() -> None:
    """Override the suite-wide autouse fixture: these tests need no Django settings."""


@pytest.fixture(scope="module")
def sample() -> ImportResult:
    return parse_gift((DATA / "questions.gift").read_text(encoding="utf-8"))


def by_name(result: ImportResult, name: str) -> ImportedQuestion:
    return next(question for question in result.questions if question.name == name)


def one(text: str) -> ImportedQuestion:
    result = parse_gift(text)
    assert result.skipped == []
    assert len(result.questions) == 1
    return result.questions[0]


# --- the sample file ------------------------------------------------------------------------


def test_sample_yields_every_gift_type(sample: ImportResult) -> None:
    assert [question.qtype for question in sample.questions] == [
        "true_false",
        "single_choice",
        "multiple_response",
        "single_choice",
        "short_text",
        "numeric",
        "numeric",
        "numeric",
        "matching",
        "single_choice",
        "true_false",
        "ordering",
    ]


def test_true_false_with_feedback_tags_and_category(sample: ImportResult) -> None:
    question = by_name(sample, "Padlock")
    assert question.text == "A padlock icon means a website is trustworthy."
    assert question.text_format == "moodle_auto_format"
    assert question.category == "Default for Security Awareness/Phishing"
    assert question.tags == ["https", "web]basics"]
    # Moodle's rule: first feedback is for the wrong answer, second for the right one.
    assert question.choices == [
        Choice("True", 0.0, "No: phishing sites use HTTPS too."),
        Choice("False", 1.0, "Right: HTTPS only encrypts."),
    ]
    assert question.general_feedback == "The padlock is about encryption, not trust."
    assert question.source_line == 8


def test_single_choice_with_html_prefix(sample: ImportResult) -> None:
    question = by_name(sample, "Report it")
    assert question.qtype == "single_choice"
    assert question.text == "<p>An email asks for your password. What do you do?</p>"
    assert question.text_format == "html"
    assert question.choices == [
        Choice("Report it", 1.0, "Right: reporting protects colleagues."),
        Choice("Reply with the password", 0.0, "Never share it."),
        Choice("Forward it to a colleague", 0.0, ""),
    ]


def test_weighted_choices_are_multiple_response(sample: ImportResult) -> None:
    question = by_name(sample, "Red flags")
    assert question.qtype == "multiple_response"
    assert question.choices == [
        Choice("Urgent tone", 0.5, "Yes."),
        Choice("Mismatched link", 0.5, "Yes."),
        Choice("Your manager's usual signature", -1.0, "Not by itself."),
    ]


def test_missing_word_joins_text_around_the_blank(sample: ImportResult) -> None:
    question = sample.questions[3]
    assert question.text == "Phishing emails often create a sense of _____ to rush you."
    assert question.name == question.text  # no title: named from the text, as Moodle does
    assert [choice.text for choice in question.choices] == ["urgency", "calm", "boredom"]


def test_short_text_with_partial_credit(sample: ImportResult) -> None:
    question = by_name(sample, "MFA")
    assert question.category == "Default for Security Awareness/Passwords"
    assert question.case_sensitive is False
    assert question.answers == [
        AcceptedAnswer("multi-factor authentication", 1.0, "Exactly."),
        AcceptedAnswer("two-factor authentication", 0.5, "Close."),
    ]


def test_numeric_forms(sample: ImportResult) -> None:
    assert by_name(sample, "Length").answers == [AcceptedAnswer("12", 1.0, "Yes, twelve.", 0.0)]
    # {#1..5} is stored as its centre with a tolerance reaching both ends.
    assert by_name(sample, "Range").answers == [AcceptedAnswer("3", 1.0, "", 2.0)]
    assert by_name(sample, "Weighted numbers").answers == [
        AcceptedAnswer("2", 1.0, "Two.", 0.0),
        AcceptedAnswer("3", 0.5, "Close.", 1.0),
        AcceptedAnswer("*", 0.0, "Think of the name.", 0.0),
    ]


def test_matching_with_distractor(sample: ImportResult) -> None:
    assert by_name(sample, "Match").pairs == [
        MatchPair("Phishing", "Fraudulent email"),
        MatchPair("Vishing", "Fraudulent phone call"),
        MatchPair("Smishing", "Fraudulent text message"),
        MatchPair("", "Fraudulent fax"),
    ]


def test_escapes_become_literal_characters(sample: ImportResult) -> None:
    question = by_name(sample, "Escapes")
    assert question.text == "Which characters need escaping in GIFT: { and }?"
    assert question.choices == [
        Choice("~ = # { } :", 1.0, "Also \\ for a backslash."),
        Choice("none", 0.0, "Try again."),
    ]


def test_html_entities_are_kept_as_found(sample: ImportResult) -> None:
    # "&#39;" must not be split at its "#" as if feedback started there.
    question = by_name(sample, "Entities")
    assert question.text == "<p>Tom &amp; Jerry&#39;s &lt;tag&gt;</p>"
    assert question.qtype == "true_false"


def test_ordering_extension(sample: ImportResult) -> None:
    assert by_name(sample, "Steps").order == [
        "Disconnect from the network",
        "Call the IT service desk",
        "Write down what happened",
    ]


def test_sample_skips_with_reason_and_location(sample: ImportResult) -> None:
    assert [(s.name, s.qtype, s.reason, s.location) for s in sample.skipped] == [
        (
            "Describe an incident",
            "essay",
            "Question type 'essay' is not supported (it needs manual grading)",
            "question 13 (line 59)",
        ),
        (
            "Welcome",
            "description",
            "Question type 'description' is not supported "
            "(it has no answer block {...}, so there is nothing to answer)",
            "question 14 (line 61)",
        ),
        (
            "Too few",
            "multiple_response",
            "a choice question needs at least two choices",
            "question 15 (line 63)",
        ),
    ]


# --- answer blocks one by one ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("block", "true_is_right"),
    [("{T}", True), ("{TRUE}", True), ("{F}", False), ("{FALSE}", False)],
)
def test_true_false_spellings(block: str, true_is_right: bool) -> None:
    question = one(f"Grass is green.{block}")
    assert question.qtype == "true_false"
    assert [choice.fraction for choice in question.choices] == (
        [1.0, 0.0] if true_is_right else [0.0, 1.0]
    )


def test_true_false_feedback_goes_to_the_choice_it_describes() -> None:
    question = one("Grass is green.{T#Look outside.#Indeed.}")
    assert question.choices == [
        Choice("True", 1.0, "Indeed."),
        Choice("False", 0.0, "Look outside."),
    ]


@pytest.mark.parametrize(
    ("block", "qtype", "fractions"),
    [
        ("{=a ~b ~c}", "single_choice", [1.0, 0.0, 0.0]),
        ("{=a ~%50%b ~c}", "single_choice", [1.0, 0.5, 0.0]),  # partial credit, one right
        ("{~%50%a ~%50%b ~c}", "multiple_response", [0.5, 0.5, 0.0]),  # no "=": Moodle's rule
        ("{~%100%a ~b}", "multiple_response", [1.0, 0.0]),
        ("{=%50%a =%50%b ~c}", "multiple_response", [0.5, 0.5, 0.0]),  # several weights
        ("{~%33.33333%a ~%33.33333%b ~%33.33333%c ~%-100%d}", "multiple_response", None),
    ],
)
def test_choice_type_rules(block: str, qtype: str, fractions: list[float] | None) -> None:
    question = one(f"Pick.{block}")
    assert question.qtype == qtype
    if fractions is not None:
        assert [choice.fraction for choice in question.choices] == fractions
    else:
        assert [choice.fraction for choice in question.choices] == [0.3333333] * 3 + [-1.0]


def test_choices_may_span_lines_and_use_format_prefixes() -> None:
    question = one("::Q::[markdown]Pick **one**.{\n  =[html]<b>yes</b>#[html]<i>good</i>\n  ~no\n}")
    assert question.text_format == "markdown"
    assert question.text == "Pick **one**."
    assert question.choices[0] == Choice("<b>yes</b>", 1.0, "<i>good</i>")


@pytest.mark.parametrize(
    ("prefix", "text_format"),
    [
        ("[html]", "html"),
        ("[moodle]", "moodle_auto_format"),
        ("[markdown]", "markdown"),
        ("[plain]", "plain_text"),
        ("", "moodle_auto_format"),
        ("[wiki]", "moodle_auto_format"),  # unknown: left in the text, as in Moodle
    ],
)
def test_format_prefixes(prefix: str, text_format: str) -> None:
    question = one(f"::Q::{prefix}Is it?{{T}}")
    assert question.text_format == text_format
    assert question.text == ("[wiki]Is it?" if prefix == "[wiki]" else "Is it?")


def test_short_text_forms() -> None:
    question = one("Who's buried in Grant's tomb?{=no one =%50%nobody#Nearly.}")
    assert question.qtype == "short_text"
    assert question.answers == [
        AcceptedAnswer("no one", 1.0),
        AcceptedAnswer("nobody", 0.5, "Nearly."),
    ]
    # Moodle also reads a bare word (no "=") as a full-credit short answer.
    assert one("Two plus two in words?{four}").answers == [AcceptedAnswer("four", 1.0)]


@pytest.mark.parametrize(
    ("block", "answers"),
    [
        ("{#3.14:0.01}", [AcceptedAnswer("3.14", 1.0, "", 0.01)]),
        ("{#1822:5}", [AcceptedAnswer("1822", 1.0, "", 5.0)]),
        ("{#-5..-1}", [AcceptedAnswer("-3", 1.0, "", 2.0)]),
        ("{#1.5..2}", [AcceptedAnswer("1.75", 1.0, "", 0.25)]),
        ("{#2}", [AcceptedAnswer("2", 1.0, "", 0.0)]),
        (
            "{#=2:0 =%50%3:1}",
            [AcceptedAnswer("2", 1.0, "", 0.0), AcceptedAnswer("3", 0.5, "", 1.0)],
        ),
    ],
)
def test_numeric_forms_one_by_one(block: str, answers: list[AcceptedAnswer]) -> None:
    question = one(f"How many?{block}")
    assert question.qtype == "numeric"
    assert question.answers == answers


def test_matching_from_moodle_docs() -> None:
    question = one(
        "Match the following countries with their corresponding capitals. {\n"
        "   =Canada -> Ottawa\n   =Italy  -> Rome\n   =Japan  -> Tokyo\n   =India  -> New Delhi\n"
        "   ####It's good to know the capitals\n}"
    )
    assert question.qtype == "matching"
    assert [pair.prompt for pair in question.pairs] == ["Canada", "Italy", "Japan", "India"]
    assert question.pairs[3].answer == "New Delhi"
    assert question.general_feedback == "It's good to know the capitals"


def test_general_feedback_on_any_type() -> None:
    question = one("Pick.{=a ~b ####Read the policy.}")
    assert question.general_feedback == "Read the policy."
    assert [choice.text for choice in question.choices] == ["a", "b"]


# --- file structure -------------------------------------------------------------------------


def test_comments_categories_and_blank_lines() -> None:
    result = parse_gift(
        "// leading comment\n"
        "\n"
        "$CATEGORY: tom/dick\n"
        "\n"
        "// [tag:one] and [tag:two]\n"
        "::A::First?{T}\n"
        "\n\n\n"
        "// a comment line inside a block does not split it\n"
        "::B::Second?\n"
        "// still question B\n"
        "{F}\n"
        "\n"
        "$CATEGORY: $course$/top/Other\n"
        "::C::Third?{T}\n"
    )
    assert [(q.name, q.category, q.tags, q.source_line) for q in result.questions] == [
        ("A", "tom/dick", ["one", "two"], 6),
        ("B", "tom/dick", [], 11),
        ("C", "Other", [], 16),  # a question may follow "$CATEGORY:" without a blank line
    ]
    assert result.questions[1].text == "Second?"


def test_long_untitled_question_gets_a_shortened_name() -> None:
    text = "Which " + "very " * 30 + "long question is this?"
    question = one(f"{text}{{T}}")
    assert question.text == text
    assert len(question.name) == 80
    assert question.name.endswith("\u2026")


def test_utf8_bom_and_windows_line_endings() -> None:
    text = "::Caf\u00e9::Is it open?{T}\r\n\r\n::Two::Second?{F}\r\n"
    for data in ("\ufeff" + text, b"\xef\xbb\xbf" + text.encode("utf-8")):
        result = parse_gift(data)
        assert [q.name for q in result.questions] == ["Caf\u00e9", "Two"]
        assert result.questions[1].source_line == 3


def test_empty_file_has_nothing() -> None:
    assert parse_gift("") == ImportResult([], [])
    assert parse_gift("// only a comment\n\n") == ImportResult([], [])


# --- skipped --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "qtype", "reason"),
    [
        ("::E::Write an essay.{}", "essay", "Question type 'essay' is not supported"),
        ("::E::Write an essay.{####Graders: look for X}", "essay", "Question type 'essay'"),
        ("::D::Just text.", "description", "Question type 'description' is not supported"),
        ("::N::{=a =b}", "short_text", "the question has no text"),
        ("::C::Pick.{~a ~b}", "multiple_response", "no choice is worth any credit"),
        ("::C::Pick.{=a ~%150%b}", "single_choice", "answer credit 150% is outside -100..100%"),
        ("::S::Say.{=%-50%a}", "short_text", "answer credit -50% is outside 0..100%"),
        ("::S::Say.{=%0%a}", "short_text", "no accepted answer is worth any credit"),
        ("::H::How many?{#=%0%5 ~#No.}", "numeric", "no numeric answer is worth any credit"),
        ("::M::Match.{=a -> 1 = -> 2}", "matching", "a matching question needs at least two"),
        ("::O::Order.{>1 ALL\nonly\n}", "ordering", "an ordering question needs at least two"),
    ],
)
def test_well_formed_but_unusable_questions_are_skipped(text: str, qtype: str, reason: str) -> None:
    result = parse_gift("::First::Fine?{T}\n\n" + text)
    assert [q.name for q in result.questions] == ["First"]
    [skipped] = result.skipped
    assert skipped.qtype == qtype
    assert skipped.reason.startswith(reason)
    assert skipped.location == "question 2 (line 3)"


# --- malformed ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Unclosed {=a ~b", "'{' is never closed with '}'"),
        ("Stray } brace {T}", "'}' without an opening '{'"),
        ("Closing only }", "'}' without an opening '{'"),
        ("Two {T} blocks {F}", "more than one answer block"),
        ("Nested {=a {~b}", "'{' inside an answer block"),
        ("Empty answer {=}", "an answer in the answer block is empty"),
        ("Empty choice {=a ~}", "an answer in the answer block is empty"),
        ("No numbers {#}", "the numeric answer block has no answers"),
        ("Mixed {=a -> 1 ~b}", "'->' (matching) cannot be mixed with '~' (choices)"),
        ("No equals {a -> 1}", "matching pairs must each start with '='"),
        ("Half pair {=a -> 1 =b}", "matching entry 'b' has no '->'"),
        ("Empty right side {=a -> =b -> 2}", "a matching entry has nothing after '->'"),
        ("Not a number {#twelve}", "numeric answer 'twelve' is not a number"),
        ("Bad tolerance {#5:-1}", "tolerance '-1' is not a non-negative number"),
        # A syntax error still raises when the block also has a skippable problem.
        ("Weight and empty {=a ~%150%b ~}", "an answer in the answer block is empty"),
        ("::Unclosed title {T}", "the question title is not closed with '::'"),
    ],
)
def test_syntax_errors_raise_with_the_question_line(text: str, message: str) -> None:
    gift = "::One::Fine?{T}\n\n// comment\n::Two::Also fine?{F}\n\n" + text + "\n"
    with pytest.raises(InterchangeError) as caught:
        parse_gift(gift)
    assert caught.value.line == 6
    assert str(caught.value).startswith(f"Line 6: {message}")
    assert str(caught.value).endswith("(question 3)")


def test_unclosed_brace_reports_where_the_question_started() -> None:
    gift = "::One::Fine?{T}\n\n::Two::Which?\n{\n=a\n~b\n\n::Three::Next?{T}\n"
    with pytest.raises(InterchangeError, match=r"^Line 3: '\{' is never closed"):
        parse_gift(gift)


def test_non_utf8_bytes_are_refused() -> None:
    with pytest.raises(InterchangeError, match="^Line 2: the file is not UTF-8 text"):
        parse_gift(b"::A::Fine?{T}\n::B::Caf\xe9?{T}\n")
