"""The yearly report in files: every format renders the same tables of the same Report."""

import csv
import io
import re

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from rapportering.tables import Table


def report_tables(report):
    """The report's sections as tables: status per measure, deviations, and the appendix."""
    status_rows = []
    for section in report.measures:
        measure = f"{section.number} {section.title}"
        if not section.lines:
            status_rows.append(
                [measure, section.responsible, _("No milestones this year"), "", "", "", "", ""]
            )
        for line in section.lines:
            status_rows.append(
                [
                    measure,
                    section.responsible,
                    line.milestone,
                    line.planned,
                    line.new_date,
                    line.status,
                    line.assessment,
                    _("yes") if line.deviation else _("no"),
                ]
            )
    deviation_rows = [
        [
            d.measure,
            d.milestone,
            d.planned,
            d.new_date,
            d.status,
            d.cause,
            d.consequence,
            d.corrective_action,
            d.ministries_must_decide,
        ]
        for d in report.deviations
    ]
    appendix_rows = [
        [
            a.measure,
            a.milestone,
            a.due_text,
            a.planned,
            a.new_date,
            a.status,
            a.assessment,
            a.comment,
        ]
        for a in report.appendix
    ]
    return [
        Table(
            _("Status per measure"),
            [
                _("Measure"),
                _("Responsible"),
                _("Milestone"),
                _("Due date"),
                _("New date"),
                _("Status"),
                _("Assessment"),
                _("Deviation"),
            ],
            status_rows,
        ),
        Table(
            _("Deviations"),
            [
                _("Measure"),
                _("Milestone"),
                _("Due date"),
                _("New date"),
                _("Status"),
                _("Cause"),
                _("Consequence for goal achievement"),
                _("Corrective action"),
                _("The ministries must decide"),
            ],
            deviation_rows,
        ),
        Table(
            _("Appendix: every milestone of the year"),
            [
                _("Measure"),
                _("Milestone"),
                _("Due (as written)"),
                _("Due date"),
                _("New date"),
                _("Status"),
                _("Assessment"),
                _("Comment"),
            ],
            appendix_rows,
        ),
    ]


def report_csv(report):
    """The report as one CSV file: its title, then each section's title, header and rows."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([report.title])
    for table in report_tables(report):
        writer.writerow([])
        writer.writerow([str(table.title)])
        writer.writerow([str(header) for header in table.headers])
        writer.writerows(table.rows)
    return buffer.getvalue().encode("utf-8")


def sheet_name(title):
    """A sheet's name: what Excel allows of the title (no []:*?/\\, at most 31 characters)."""
    return re.sub(r"[\[\]:*?/\\]", "", str(title))[:31].strip()


def report_xlsx(report):
    """The report as a workbook: a sheet per section, its title above a filtered header row."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in report_tables(report):
        sheet = workbook.create_sheet(sheet_name(table.title))
        sheet.append([report.title])
        sheet["A1"].font = Font(bold=True, size=14)
        sheet.append([str(header) for header in table.headers])
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append(row)
        last_column = get_column_letter(len(table.headers))
        sheet.auto_filter.ref = f"A2:{last_column}{max(sheet.max_row, 2)}"
        sheet.freeze_panes = "A3"
        for index in range(1, len(table.headers) + 1):
            sheet.column_dimensions[get_column_letter(index)].width = 28
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


EXPORTERS = {"csv": report_csv, "xlsx": report_xlsx}
