"""FastSelect writes the same HTML as Django's Select (whitespace aside)."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.utils.safestring import mark_safe

from lms.widgets import FastSelect

CHOICES = [("", "---------"), (1, "A & B"), (2, 'Say "hi"'), ("Group <1>", [(3, "x"), (4, "y<")])]


def _normalised(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


@pytest.mark.parametrize("value", [None, "", 2, "4", "nope"])
@pytest.mark.parametrize(
    "attrs",
    [
        {"class": "usa-select"},
        {"class": "usa-select", "id": "id_x", "required": True, "disabled": False},
        {"aria-describedby": 'hint "1"', "data-x": 0},
    ],
)
def test_same_html_as_django(value, attrs):
    django_html = forms.Select(attrs=attrs, choices=CHOICES).render("x", value)
    fast_html = FastSelect(attrs=attrs, choices=CHOICES).render("x", value)
    assert _normalised(fast_html) == _normalised(django_html)


def test_multiple_and_selected_options():
    widget = forms.SelectMultiple(choices=CHOICES)
    fast = type("FastMultiple", (FastSelect,), {"allow_multiple_selected": True})(choices=CHOICES)
    assert _normalised(fast.render("x", [1, 3])) == _normalised(widget.render("x", [1, 3]))


FLAT = [
    ("", "---------"),
    (1, "A & B"),
    (2, 'Say "hi"'),
    ("<3>", "x<y"),
    (4, mark_safe("<b>safe</b>")),
]


@pytest.mark.parametrize("value", [None, "", 2, "<3>", 4, "nope"])
def test_flat_choices_same_html_as_django(value):
    attrs = {"class": "usa-select", "id": "id_x"}
    django_html = forms.Select(attrs=attrs, choices=FLAT).render("x", value)
    fast_html = FastSelect(attrs=attrs, choices=FLAT).render("x", value)
    assert _normalised(fast_html) == _normalised(django_html)
