"""CSV and XLSX exports of the compliance report (the rows the page shows, same filters)."""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _

from lms.exports import spreadsheet_safe

from .selectors import EXPIRY_WINDOWS


def _header(group: str) -> list[str]:
    first = {"department": _("Department"), "job_role": _("Job role"), "person": _("Person")}[group]
    columns = [first]
    if group == "person":
        columns.append(_("Employee ID"))
    columns += [
        _("Assigned"),
        _("Completed"),
        _("In progress"),
        _("Not started"),
        _("Overdue"),
        _("Completion %"),
    ]
    columns += [_("Certificates expiring in %(days)d days") % {"days": d} for d in EXPIRY_WINDOWS]
    return columns


def _values(row: dict, group: str) -> list:
    values = [row["name"] or _("(none)")]
    if group == "person":
        values.append(row["employee_id"])
    values += [
        row["assigned"],
        row["completed"],
        row["in_progress"],
        row["not_started"],
        row["overdue"],
        row["percent"],
    ]
    values += [row[f"expiring_{d}"] for d in EXPIRY_WINDOWS]
    return [spreadsheet_safe(value) for value in values]


class _Echo:
    def write(self, value):
        return value


def compliance_csv(*, rows: list[dict], group: str, filename: str) -> StreamingHttpResponse:
    """Stream the rows as CSV (UTF-8 with a BOM so spreadsheet software reads accents)."""
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"
        yield writer.writerow(_header(group))
        for row in rows:
            yield writer.writerow(_values(row, group))

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def compliance_xlsx(*, rows: list[dict], group: str, filename: str) -> HttpResponse:
    """The rows as an XLSX workbook (openpyxl write-only mode)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Compliance")[:31])
    sheet.append(_header(group))
    for row in rows:
        sheet.append(_values(row, group))
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
