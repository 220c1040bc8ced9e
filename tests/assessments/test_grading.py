"""Grading of every question type, on the server (assessments.grading)."""

from __future__ import annotations

import pytest

from assessments.grading import grade, is_answered
from tests.assessments.factories import answer, choice, content


def test_single_choice_gives_the_chosen_choice_credit_and_feedback():
    body = content(
        "single_choice",
        choices=[choice("A", 1.0, "Yes"), choice("B", 0.5, "Half"), choice("C", -0.5, "No")],
        correct_feedback="Well done",
        general_feedback="General",
    )
    assert grade(body, 0).fraction == 1.0
    assert grade(body, 0).feedback == ["Yes", "Well done", "General"]
    assert grade(body, 1).fraction == 0.5
    assert grade(body, 2).fraction == 0.0  # negative credit counts as 0
    assert grade(body, None).fraction == 0.0
    assert grade(body, 9).fraction == 0.0


def test_true_false():
    body = content("true_false", choices=[choice("True", 0.0, "No"), choice("False", 1.0, "Yes")])
    assert grade(body, 1).fraction == 1.0
    assert grade(body, 0).fraction == 0.0
    assert grade(body, 0).feedback == ["No"]


def test_multiple_response_sums_selected_fractions_floored_at_zero():
    body = content(
        "multiple_response",
        choices=[choice("A", 0.5), choice("B", 0.5), choice("C", -1.0), choice("D", 0.0)],
    )
    assert grade(body, [0, 1]).fraction == 1.0
    assert grade(body, [0]).fraction == 0.5
    assert grade(body, [0, 1, 2]).fraction == 0.0
    assert grade(body, [0, 1, 2, 3]).fraction == 0.0  # ticking everything earns nothing
    assert grade(body, [2]).fraction == 0.0  # floored, never negative
    assert grade(body, [0, 0, 1]).fraction == 1.0  # duplicates count once
    assert grade(body, []).fraction == 0.0


def test_short_text_ignores_case_unless_case_sensitive_and_supports_wildcards():
    body = content(
        "short_text",
        answers=[
            answer("multi-factor authentication"),
            answer("2FA", 0.5, "Close"),
            answer("two*", 0.25),
        ],
    )
    assert grade(body, "  Multi-Factor   Authentication ").fraction == 1.0
    assert grade(body, "2fa").fraction == 0.5
    assert grade(body, "two factor").fraction == 0.25
    assert grade(body, "password").fraction == 0.0
    assert grade(body, "").fraction == 0.0
    sensitive = dict(body, case_sensitive=True)
    assert grade(sensitive, "2fa").fraction == 0.0
    assert grade(sensitive, "2FA").fraction == 0.5


def test_numeric_with_tolerance_decimal_comma_and_catch_all():
    body = content(
        "numeric",
        answers=[
            answer("30", 1.0, "", 2.0),
            answer("20", 0.5),
            answer("*", 0.0, "Check the guidance"),
        ],
    )
    assert grade(body, "31.5").fraction == 1.0
    assert grade(body, "28").fraction == 1.0
    assert grade(body, "27,9").fraction == 0.0
    assert grade(body, "27,9").feedback == ["Check the guidance"]
    assert grade(body, "20").fraction == 0.5
    assert grade(body, "thirty").fraction == 0.0


def test_matching_gives_the_share_of_prompts_matched():
    body = content(
        "matching",
        pairs=[
            {"prompt": "Phishing", "answer": "Fake email"},
            {"prompt": "Vishing", "answer": "Fake call"},
            {"prompt": "", "answer": "Fake letter"},  # distractor
        ],
    )
    # options: ["Fake email", "Fake call", "Fake letter"]
    assert grade(body, {"0": 0, "1": 1}).fraction == 1.0
    assert grade(body, {"0": 0, "1": 2}).fraction == 0.5
    assert grade(body, {}).fraction == 0.0


def test_ordering_gives_the_share_of_items_in_their_position():
    body = content("ordering", order=["Apply", "Pay", "Inspect", "Approve"])
    assert grade(body, {"0": 1, "1": 2, "2": 3, "3": 4}).fraction == 1.0
    assert grade(body, {"0": 1, "1": 2, "2": 4, "3": 3}).fraction == 0.5
    assert grade(body, None).fraction == 0.0


def test_unknown_type_is_an_error():
    with pytest.raises(ValueError):
        grade({"qtype": "essay"}, "text")


def test_is_answered():
    assert not is_answered({}, None)
    assert not is_answered({}, {"0": ""})
    assert is_answered({}, 0)
    assert is_answered({}, "x")
