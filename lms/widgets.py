"""Form widgets.

``FastSelect`` renders exactly the HTML of Django's ``Select``, but in Python: Django's
template renders every ``<option>`` through two template includes, which for the catalogue's
filter form (about 220 options: job roles, competences, levels, services) was over half of the
page's time.
"""

from __future__ import annotations

from html import escape as html_escape

from django import forms
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe


def _escape(value) -> str:
    """Django's ``conditional_escape`` for plain and safe strings (safe ones kept as they are)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html_escape(str(value))


def _attrs(attrs: dict) -> str:
    """The attributes as Django's ``attrs.html`` writes them (False omitted, True bare)."""
    parts = []
    for name, value in attrs.items():
        if value is False or value is None:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(format_html(' {}="{}"', name, str(value)))
    return "".join(parts)


class FastSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        choices = [("" if v is None else v, label) for v, label in self.choices]
        if self.allow_multiple_selected or any(isinstance(c[1], list | tuple) for c in choices):
            return self._render_groups(name, value, attrs)
        # The common case — one value, no groups — without building Django's option dicts,
        # and escaping with the standard library directly (what Django's ``escape`` does, minus
        # its lazy-string wrapper on every call: a 150-role list is 450 escapes).
        values = self.format_value(value)
        selected = None
        html = [format_html('<select name="{}"', name)]
        html.append(_attrs(self.build_attrs(self.attrs, attrs)))
        html.append(">")
        for option_value, label in choices:
            text = str(option_value)
            chosen = selected is None and text in values
            if chosen:
                selected = text
            html.append(
                f'\n  <option value="{_escape(text)}"{" selected" if chosen else ""}>'
                f"{_escape(label)}</option>"
            )
        html.append("\n</select>")
        return mark_safe("".join(html))  # noqa: S308  (every part escaped above)

    def _render_groups(self, name, value, attrs):
        widget = self.get_context(name, value, attrs)["widget"]
        html = [format_html('<select name="{}"', widget["name"]), _attrs(widget["attrs"]), ">"]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                html.append(format_html('\n  <optgroup label="{}">', group_name))
            for option in options:
                html.append(
                    format_html(
                        '\n  <option value="{}"{}>{}</option>',
                        str(option["value"]),
                        mark_safe(_attrs(option["attrs"])),  # noqa: S308  (escaped in _attrs)
                        option["label"],
                    )
                )
            if group_name:
                html.append("\n  </optgroup>")
        html.append("\n</select>")
        return mark_safe("".join(html))  # noqa: S308  (every part escaped above)
