"""The compliance report's filter widgets: lms.widgets.FastSelect renders Django's markup."""

import re

import pytest
from django import forms

from lms.hr.filters import ComplianceFilterSet
from lms.widgets import FastSelect
from tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


def _normalised(html: str) -> str:
    return re.sub(r">\s+<", "><", str(html)).strip()


@pytest.mark.parametrize("value", [None, "", "2", ["3"], "missing"])
@pytest.mark.parametrize("attrs", [None, {"id": "id_x", "aria-invalid": "true", "required": True}])
def test_fast_select_renders_like_django(value, attrs):
    choices = [
        ("", "Any <course>"),
        (1, "Phishing & you"),
        (2, 'Data "protection"'),
        (3, "Ünïcode"),
    ]
    quick = FastSelect(attrs={"class": "usa-select"}, choices=choices)
    django = forms.Select(attrs={"class": "usa-select"}, choices=choices)
    assert _normalised(quick.render("x", value, attrs)) == _normalised(
        django.render("x", value, attrs)
    )


def test_grouped_choices_fall_back_to_django():
    choices = [("Group", [(1, "One"), (2, "Two")]), (3, "Three")]
    quick = FastSelect(choices=choices)
    assert _normalised(quick.render("x", 2)) == _normalised(
        forms.Select(choices=choices).render("x", 2)
    )


def test_report_form_keeps_the_chosen_department():
    permits = DepartmentFactory(name="Permits & Licensing")
    DepartmentFactory(name="Parks")
    form = ComplianceFilterSet({"department": str(permits.pk)}).form
    html = str(form["department"])
    assert f'<option value="{permits.pk}" selected>Permits &amp; Licensing</option>' in html
    assert html.count(" selected") == 1
    assert 'class="usa-select"' in html
