"""The go / no-go readiness report of a service, as a PDF for the governance committee."""

from __future__ import annotations

import datetime as dt
import io
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (
    ListFlowable,
    ListItem,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from .models import RAG
from .selectors.readiness import ServiceReadiness

RAG_COLOURS = {
    RAG.GREEN: colors.HexColor("#00a91c"),
    RAG.AMBER: colors.HexColor("#ffbe2e"),
    RAG.RED: colors.HexColor("#d83933"),
}


def _date(value: dt.date | None) -> str:
    return date_format(value, "DATE_FORMAT") if value else _("not set")


def _days(value: int | None) -> str:
    if value is None:
        return "—"
    if value < 0:
        return ngettext("live %(days)s day ago", "live %(days)s days ago", -value) % {
            "days": -value
        }
    return str(value)


def _percent(value: int | None) -> str:
    return "—" if value is None else f"{value}%"


def go_decision(readiness: ServiceReadiness) -> str:
    """The recommendation in words, from the worst department status."""
    status = readiness.status
    if status == RAG.GREEN:
        return _("Go: every affected department is ready.")
    if status == RAG.AMBER:
        return _("Go with conditions: the amber items below need an owner and a date.")
    return _("No go: at least one affected department is not ready (red).")


def readiness_report_pdf(readiness: ServiceReadiness, *, generated_at: dt.datetime) -> bytes:
    """Draw the report: title, go-live, decision, a per-department table with the same figures
    and status words as the readiness page, the reasons, champion coverage and concerns."""
    service = readiness.service
    buffer = io.BytesIO()
    title = _("Go / no-go readiness report: %(service)s") % {"service": service.name}
    document = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=title,
        author="CivicSkills",
        subject=_("Service readiness"),
    )
    styles = getSampleStyleSheet()
    cell = ParagraphStyle("cell", parent=styles["BodyText"], fontSize=8.5, leading=10.5)
    head = ParagraphStyle("head", parent=cell, fontName="Helvetica-Bold")

    story = [
        Paragraph(escape(title), styles["Title"]),
        Paragraph(
            escape(
                _("Generated %(when)s. Phase: %(phase)s. Go-live: %(go_live)s.")
                % {
                    "when": date_format(timezone.localtime(generated_at), "DATETIME_FORMAT"),
                    "phase": service.get_phase_display(),
                    "go_live": _date(service.go_live_date),
                }
            ),
            styles["Normal"],
        ),
        Spacer(1, 4 * mm),
        Paragraph(
            escape(
                _("Overall status: %(status)s. %(decision)s")
                % {"status": readiness.status_label, "decision": go_decision(readiness)}
            ),
            styles["Heading2"],
        ),
        Paragraph(
            escape(
                _(
                    "%(trained)s of %(affected)s affected staff trained (%(percent)s); "
                    "%(champions)s of %(needed)s champions needed; %(concerns)s open concerns."
                )
                % {
                    "trained": readiness.trained_staff,
                    "affected": readiness.affected_staff,
                    "percent": _percent(readiness.trained_percent),
                    "champions": readiness.champions,
                    "needed": readiness.champions_needed,
                    "concerns": readiness.open_concerns,
                }
            ),
            styles["Normal"],
        ),
        Spacer(1, 4 * mm),
        Paragraph(escape(_("Readiness by department")), styles["Heading2"]),
    ]
    header = [
        _("Department"),
        _("Go-live"),
        _("Days to go-live"),
        _("Affected staff"),
        _("Trained"),
        _("Certificates held"),
        _("Champions (needed)"),
        _("Open concerns"),
        _("Status"),
    ]
    rows = [[Paragraph(escape(str(text)), head) for text in header]]
    for item in readiness.departments:
        rows.append(
            [
                Paragraph(escape(item.department_name), cell),
                Paragraph(escape(_date(item.go_live)), cell),
                Paragraph(escape(_days(item.days_to_go_live)), cell),
                str(item.affected_staff),
                f"{item.trained_staff} ({_percent(item.trained_percent)})",
                str(item.certificates_held),
                f"{item.champions} ({item.champions_needed})",
                str(item.open_concerns),
                Paragraph(f"<b>{escape(item.status_label)}</b>", cell),
            ]
        )
    table = Table(
        rows,
        repeatRows=1,
        colWidths=[62 * mm, 28 * mm, 24 * mm, 22 * mm, 26 * mm, 24 * mm, 28 * mm, 22 * mm, 20 * mm],
    )
    style = [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#71767a")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dfe1e2")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTSIZE", (0, 1), (-1, -1), 8.5),
    ]
    for index, item in enumerate(readiness.departments, start=1):
        style.append(("BACKGROUND", (-1, index), (-1, index), RAG_COLOURS[RAG(item.status)]))
    table.setStyle(TableStyle(style))
    story.append(table)

    story += [Spacer(1, 5 * mm), Paragraph(escape(_("Reasons")), styles["Heading2"])]
    for item in readiness.departments:
        story.append(
            Paragraph(escape(f"{item.department_name} — {item.status_label}"), styles["Heading3"])
        )
        story.append(
            ListFlowable(
                [ListItem(Paragraph(escape(str(r)), styles["Normal"])) for r in item.reasons],
                bulletType="bullet",
            )
        )

    story += [Spacer(1, 5 * mm), Paragraph(escape(_("Champion coverage")), styles["Heading2"])]
    for item in readiness.departments:
        coverage = _("met") if item.coverage_met else _("not met")
        story.append(
            Paragraph(
                escape(
                    _(
                        "%(department)s: %(champions)s approved of %(needed)s needed "
                        "(one per %(ratio)s staff), %(coverage)s."
                    )
                    % {
                        "department": item.department_name,
                        "champions": item.champions,
                        "needed": item.champions_needed,
                        "ratio": item.staff_per_champion,
                        "coverage": coverage,
                    }
                ),
                styles["Normal"],
            )
        )

    story += [Spacer(1, 5 * mm), Paragraph(escape(_("Open concerns")), styles["Heading2"])]
    lines = [
        _("%(department)s: %(count)s") % {"department": d.department_name, "count": d.open_concerns}
        for d in readiness.departments
    ]
    if readiness.unattributed_open_concerns:
        lines.append(
            _("Not tied to a department: %(count)s")
            % {"count": readiness.unattributed_open_concerns}
        )
    for line in lines:
        story.append(Paragraph(escape(line), styles["Normal"]))
    document.build(story)
    return buffer.getvalue()
