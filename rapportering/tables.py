"""The dashboards' and the report's tables as plain rows, for the CSV and Excel files, and
how every cell of those files is written (`cell_value`)."""

import csv
from dataclasses import dataclass

from django.http import HttpResponse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tiltak.formatting import short_date
from tiltak.free_text import clean_text


@dataclass
class Table:
    title: str
    headers: list
    rows: list


# What makes a spreadsheet read a cell as a formula (OWASP, "CSV injection"). A carriage
# return, OWASP's sixth, is a line feed after `clean_text`.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\n")


def cell_value(value, *, for_csv=False):
    """A table cell as every CSV and Excel file we write holds it, so that text someone typed
    is shown as text and never run as a formula: text (lazy translations too) is cleaned of
    the control characters XML forbids, and in CSV text beginning with = + - @, a tab or a
    line break gets a leading apostrophe. (The Excel writer makes every text a string cell.)
    Numbers and dates stay numbers and dates."""
    if isinstance(value, Promise):
        value = str(value)
    if not isinstance(value, str):
        return value
    value = clean_text(value)
    if for_csv and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_rows(writer, rows):
    """Write `rows` to a csv `writer`, every cell through `cell_value`."""
    writer.writerows([cell_value(value, for_csv=True) for value in row] for row in rows)


def _tally_table(title, first_header, tallies):
    return Table(title, [first_header, _("Number")], [[t.label, t.count] for t in tallies])


def _group_table(title, first_header, rows, name):
    headers = [first_header, _("Milestones"), _("Completed"), _("Deviations"), _("Overdue")]
    return Table(
        title,
        headers,
        [[name(r.group), r.total, r.completed, r.deviations, r.overdue] for r in rows],
    )


def _occurrence_table(title, occurrences, *, deviation=False):
    headers = [
        _("Measure"),
        _("Title"),
        _("Milestone"),
        _("Date first planned"),
        _("New date"),
        _("Status"),
        _("Assessment"),
    ]
    if deviation:
        headers += [_("Cause"), _("Consequence for goal achievement"), _("Corrective action")]
    rows = []
    for o in occurrences:
        measure = o.milestone.measure
        row = [
            measure.number,
            measure.title,
            o.milestone.text,
            o.planned_label,
            short_date(o.new_date),
            o.get_status_display(),
            o.get_assessment_display(),
        ]
        if deviation:
            row += [o.deviation_cause, o.deviation_consequence, o.corrective_action]
        rows.append(row)
    return Table(title, headers, rows)


def overview_tables(data):
    """Every table of an overview, by the name its download uses."""
    tables = {
        "status": _tally_table(_("Milestones by status"), _("Status"), data.by_status),
        "vurdering": _tally_table(
            _("Milestones by assessment"), _("Assessment"), data.by_assessment
        ),
        "avvik": _occurrence_table(_("Deviations"), data.deviations, deviation=True),
        "forsinket": _occurrence_table(_("Overdue"), data.overdue),
        "frist-snart": _occurrence_table(_("Milestones due soon"), data.due_soon),
        "ikke-vurdert": _occurrence_table(
            _("Continuous milestones not assessed this year"), data.not_assessed
        ),
    }
    if data.directorates:
        tables["direktorater"] = _group_table(
            _("Per directorate"), _("Directorate"), data.directorates, lambda actor: actor.name
        )
    return tables


def goal_table(rows):
    def name(goal):
        return f"{goal.code} {goal.title}" if hasattr(goal, "code") else str(goal)

    return _group_table(_("Milestone occurrences by goal"), _("Goal"), rows, name)


def csv_response(table, filename):
    """The table as CSV that Excel opens with Norwegian letters intact: UTF-8 with a byte
    order mark, semicolons between fields (the comma is the Norwegian decimal sign)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    csv_rows(csv.writer(response, delimiter=";"), [table.headers, *table.rows])
    return response


def timeline_table(data):
    """The timeline as rows: a measure, then each quarter's milestones with their status."""
    headers = [
        _("Measure"),
        *(f"{q.number}. {_('qtr.')} {q.year}" for q in data.quarters),
        _("Continuous"),
    ]

    def cell(states):
        return "\n".join(f"{s.due_label}: {s.get_status_display()}" for s in states)

    rows = [
        [
            f"{row.measure.number} {row.measure.title}",
            *(cell(c) for c in row.cells),
            "\n".join(f"{s.year}: {s.get_status_display()}" for s in row.continuous),
        ]
        for row in data.rows
    ]
    return Table(_("Timeline"), headers, rows)
