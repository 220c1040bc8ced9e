"""Template filters shared by the learner pages.

Django's ``date`` filter parses its format string on every call; /my-learning/ shows dozens of
dates (due dates, completions, certificates) and that alone cost about a tenth of the page. Here a
day's text is formatted once per language and remembered: the same values as ``|date`` gives.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from django import template
from django.utils import formats, timezone, translation
from django.utils.html import format_html

register = template.Library()


def _as_day(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    if isinstance(value, dt.date):
        return value
    return None


@lru_cache(maxsize=4096)
def _day_text(day: dt.date, language: str | None) -> str:
    # ``language`` is only part of the key: date_format reads the active language itself.
    return formats.date_format(day, "DATE_FORMAT")


@register.filter
def day(value) -> str:
    """A date (or a datetime, in local time) as ``|date:"DATE_FORMAT"`` shows it; "" if empty."""
    value = _as_day(value)
    if value is None:
        return ""
    return _day_text(value, translation.get_language())


@register.filter
def time_tag(value) -> str:
    """``<time datetime="2026-11-30">Nov. 30, 2026</time>`` for a date or datetime; "" if empty."""
    value = _as_day(value)
    if value is None:
        return ""
    return format_html(
        '<time datetime="{}">{}</time>',
        value.isoformat(),
        _day_text(value, translation.get_language()),
    )


@register.simple_tag(takes_context=True)
def panel(context, panel: dict) -> str:
    """Render a panel another app adds to a page (``{"template": ..., "context": {...}}``)
    inside the page's own context, as ``{% include %}`` would: the context processors ran once
    for the page, where ``render_to_string(..., request=request)`` ran them again per panel."""
    template = context.template.engine.get_template(panel["template"])
    with context.push(**panel.get("context", {})):
        return template.render(context)
