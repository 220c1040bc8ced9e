"""Helpers for spreadsheet exports (CSV and XLSX)."""

from __future__ import annotations

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def spreadsheet_safe(value):
    """Neutralise text a spreadsheet would run as a formula (CSV/formula injection).

    A cell such as ``=HYPERLINK("http://evil","click")`` in a staff member's name is written as
    ``'=HYPERLINK(...)`` so spreadsheet software shows it as text. Numbers, dates and other
    non-text values pass through unchanged.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value
