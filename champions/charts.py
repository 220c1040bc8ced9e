"""Server-drawn SVG charts (no JavaScript): readiness over time.

The chart is an image with a title and description for screen readers; the page shows the same
numbers in a table below it. Lines differ by dash pattern as well as colour, so they can be
told apart without colour vision.
"""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .selectors.readiness import ReadinessHistory

WIDTH, HEIGHT = 760, 320
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 40
LEGEND_ROW = 18
# USWDS palette colours with enough contrast on white, and dash patterns to match.
SERIES_STYLES = [
    ("#005ea2", ""),
    ("#d83933", "6 4"),
    ("#008817", "2 3"),
    ("#8168b3", "10 4 2 4"),
    ("#c05600", "4 2"),
    ("#1a4480", "1 4"),
    ("#936f38", "8 3 2 3 2 3"),
]
OVERALL_STYLE = ("#1b1b1b", "")


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def readiness_chart_svg(history: ReadinessHistory, *, chart_id: str, title: str) -> SafeString:
    """An SVG line chart of the trained share per department and overall, by date."""
    points = history.points
    if not points:
        return mark_safe("")  # noqa: S308 (empty string)
    series: list[tuple[str, tuple[str, str], list[int | None], float]] = [
        (_("All affected departments"), OVERALL_STYLE, [p.overall for p in points], 3.0)
    ]
    for index, name in enumerate(history.department_names):
        style = SERIES_STYLES[index % len(SERIES_STYLES)]
        series.append((name, style, [p.percents[index] for p in points], 2.0))

    legend_height = LEGEND_ROW * ((len(series) + 1) // 2) + 8
    total_height = HEIGHT + legend_height
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM

    def x_at(i: int) -> float:
        return LEFT + (plot_w * i / (len(points) - 1) if len(points) > 1 else plot_w / 2)

    def y_at(percent: float) -> float:
        return TOP + plot_h * (1 - percent / 100)

    first, last = points[0], points[-1]
    desc = _(
        "Share of affected staff who completed the required training, from %(start)s to "
        "%(end)s. Overall: %(first)s on the first day, %(last)s on the last. The table below "
        "the chart gives every value."
    ) % {
        "start": date_format(first.date, "DATE_FORMAT"),
        "end": date_format(last.date, "DATE_FORMAT"),
        "first": "—" if first.overall is None else f"{first.overall}%",
        "last": "—" if last.overall is None else f"{last.overall}%",
    }
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="cs-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {total_height}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" focusable="false">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]
    for tick in (0, 25, 50, 75, 100):
        y = _fmt(y_at(tick))
        parts.append(
            f'<line x1="{LEFT}" y1="{y}" x2="{WIDTH - RIGHT}" y2="{y}" stroke="#dfe1e2" '
            f'stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{LEFT - 6}" y="{y}" text-anchor="end" dominant-baseline="middle" '
            f'font-size="12" fill="#1b1b1b">{tick}%</text>'
        )
    label_indexes = sorted({0, len(points) // 2, len(points) - 1})
    for i in label_indexes:
        anchor = (
            "start" if i == 0 and len(points) > 1 else "end" if i == len(points) - 1 else "middle"
        )
        if len(points) == 1:
            anchor = "middle"
        parts.append(
            f'<text x="{_fmt(x_at(i))}" y="{HEIGHT - BOTTOM + 20}" text-anchor="{anchor}" '
            f'font-size="12" fill="#1b1b1b">{escape(date_format(points[i].date, "M j"))}</text>'
        )
    parts.append(
        f'<line x1="{LEFT}" y1="{_fmt(y_at(0))}" x2="{WIDTH - RIGHT}" y2="{_fmt(y_at(0))}" '
        f'stroke="#565c65" stroke-width="1"/>'
    )
    for _name, (colour, dash), values, width in series:
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        segment: list[str] = []
        segments: list[list[str]] = []
        for i, value in enumerate(values):
            if value is None:
                if segment:
                    segments.append(segment)
                segment = []
                continue
            segment.append(f"{_fmt(x_at(i))},{_fmt(y_at(value))}")
        if segment:
            segments.append(segment)
        for seg in segments:
            if len(seg) == 1:
                cx, cy = seg[0].split(",")
                parts.append(f'<circle cx="{cx}" cy="{cy}" r="3" fill="{colour}"/>')
            else:
                parts.append(
                    f'<polyline fill="none" stroke="{colour}" stroke-width="{_fmt(width)}"'
                    f'{dash_attr} points="{" ".join(seg)}"/>'
                )
    for index, (name, (colour, dash), _values, width) in enumerate(series):
        column, row = index % 2, index // 2
        x = LEFT + column * (plot_w / 2)
        y = HEIGHT + row * LEGEND_ROW
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="{_fmt(x)}" y1="{y}" x2="{_fmt(x + 28)}" y2="{y}" stroke="{colour}" '
            f'stroke-width="{_fmt(width)}"{dash_attr}/>'
        )
        parts.append(
            f'<text x="{_fmt(x + 34)}" y="{y}" dominant-baseline="middle" font-size="12" '
            f'fill="#1b1b1b">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text value above is escaped)
