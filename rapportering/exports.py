"""The yearly report in files. Every format renders the same `Report`: CSV and Excel as the
tables of `report_tables`, PDF from the template the preview page shows, Word with the same
headings and tables. Call them in the report's language (see `in_report_language`)."""

import csv
import io
import re
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from rapportering.charts import bar_chart
from rapportering.tables import Table, cell_value, csv_rows
from rapportering.templatetags.report_text import PERIOD


def in_report_language():
    """The report goes to the ministries in Norwegian, whatever language its maker reads."""
    return translation.override(settings.LANGUAGE_CODE)


def _yes_no(value):
    return _("yes") if value else _("no")


def _text_table(report):
    return Table(
        _("Summary and challenges"),
        [_("Part"), _("Text")],
        [
            [_("Summary"), report.summary],
            [_("Challenges"), report.challenges],
            [_("What is done about them"), report.challenge_actions],
            [_("Changes since the previous report"), report.changes.since],
        ],
    )


def _line_headers():
    return [
        _("Milestone"),
        _("Due date"),
        _("New date"),
        _("Status"),
        _("Assessment"),
        _("Deviation"),
    ]


def _line_cells(line):
    """A milestone's cells under `_line_headers`."""
    return [
        line.milestone,
        line.planned,
        line.new_date,
        line.status,
        line.assessment,
        _yes_no(line.deviation),
    ]


def _status_table(report):
    rows = []
    for section in report.measures:
        measure = f"{section.number} {section.title}"
        if not section.lines:
            rows.append([measure, section.responsible, _("No milestones this year"), *[""] * 5])
        rows += [[measure, section.responsible, *_line_cells(line)] for line in section.lines]
    return Table(_("Status per measure"), [_("Measure"), _("Responsible"), *_line_headers()], rows)


def _contribution_table(report):
    rows = [
        [
            f"{section.number} {section.title}",
            c.directorate,
            c.status_assessment,
            c.deviation_handling,
            c.challenges,
            _yes_no(c.delivered),
        ]
        for section in report.measures
        for c in section.contributions
    ]
    return Table(
        _("Contributions"),
        [
            _("Measure"),
            _("Directorate"),
            _("Assessment of status and goal achievement"),
            _("Deviations and how they are handled"),
            _("Challenges"),
            _("Delivered"),
        ],
        rows,
    )


def _deviation_row(line):
    return [
        line.measure,
        line.milestone,
        line.planned,
        line.new_date,
        line.status,
        line.cause,
        line.consequence,
        line.corrective_action,
        line.ministries_must_decide,
    ]


def _deviation_tables(report):
    """A table for each of the report's deviation sections."""
    headers = [
        _("Measure"),
        _("Milestone"),
        _("Due date"),
        _("New date"),
        _("Status"),
        _("Cause"),
        _("Consequence for goal achievement"),
        _("Corrective action"),
        _("The ministries must decide"),
    ]
    return [
        Table(section.title, headers, [_deviation_row(line) for line in section.lines])
        for section in report.deviation_sections
    ]


def _changes_table(report):
    return Table(
        _("Changes since the previous report"),
        [_("Measure"), _("Milestone"), _("Due date"), _("Status before"), _("Status now")],
        [
            [c.measure, c.milestone, c.planned, c.before, c.after]
            for c in report.changes.status_changes
        ],
    )


def _chart_tables(report):
    return [
        Table(
            chart.title, [_("Category"), _("Number")], [[t.label, t.count] for t in chart.tallies]
        )
        for chart in report.charts
    ]


def _appendix_table(report):
    return Table(
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
        [
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
        ],
    )


def report_tables(report):
    """The whole report as tables, in the order of the document."""
    return [
        _text_table(report),
        *_chart_tables(report),
        _status_table(report),
        _contribution_table(report),
        *_deviation_tables(report),
        _changes_table(report),
        _appendix_table(report),
    ]


def report_csv(report):
    """The report as one CSV file: its title, then each section's title, header and rows."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";")
    csv_rows(writer, [[report.title], [report.subtitle]])
    for table in report_tables(report):
        csv_rows(writer, [[], [table.title], table.headers, *table.rows])
    return buffer.getvalue().encode("utf-8")


def sheet_name(title, taken=()):
    """A sheet's name: what Excel allows of the title (no []:*?/\\, at most 31 characters,
    unique in the workbook)."""
    name = re.sub(r"[\[\]:*?/\\]", "", str(title))[:31].strip()
    number = 2
    while name in taken:
        suffix = f" ({number})"
        name = name[: 31 - len(suffix)] + suffix
        number += 1
    return name


def _xlsx_append(sheet, row):
    """Append `row`, every cell through `cell_value`, and every text as a string cell: openpyxl
    would make text beginning with = a live formula."""
    sheet.append([cell_value(value) for value in row])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def report_xlsx(report):
    """The report as a workbook: a sheet per section, its title above a filtered header row."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.title = report.title
    workbook.properties.creator = "Husbanken"
    for table in report_tables(report):
        sheet = workbook.create_sheet(sheet_name(table.title, workbook.sheetnames))
        for row in [[report.title], table.headers, *table.rows]:
            _xlsx_append(sheet, row)
        sheet["A1"].font = Font(bold=True, size=14)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        last_column = get_column_letter(len(table.headers))
        sheet.auto_filter.ref = f"A2:{last_column}{max(sheet.max_row, 2)}"
        sheet.freeze_panes = "A3"
        for index in range(1, len(table.headers) + 1):
            sheet.column_dimensions[get_column_letter(index)].width = 32
        for row in sheet.iter_rows(min_row=3):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def report_html(report):
    """The report as the standalone document the PDF is printed from."""
    context = {
        "report": report,
        "charts": [bar_chart(c.key, c.title, c.tallies) for c in report.charts],
        "language": translation.get_language(),
        "alt_in_title": True,
    }
    return render_to_string("rapportering/report/document.html", context)


def report_pdf(report):
    """The report as PDF: title page, table of contents with page numbers, page numbers on
    every page, the charts; UTKAST on every page of a draft. Tagged PDF/UA-1, so that a
    screen reader finds its headings, tables and the charts' figures; its language and title
    are the HTML's `lang` and `<title>`."""
    from weasyprint import HTML  # imported when used: it loads Pango, which pages never need

    static = settings.BASE_DIR / "static"
    return HTML(string=report_html(report), base_url=str(static)).write_pdf(pdf_variant="pdf/ua-1")


def _docx_table(document, table):
    grid = document.add_table(rows=1, cols=len(table.headers))
    grid.style = "Table Grid"
    for cell, header in zip(grid.rows[0].cells, table.headers, strict=True):
        cell.text = str(header)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    header_row = grid.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header_row.append(repeat)
    for row in table.rows:
        for cell, value in zip(grid.add_row().cells, row, strict=True):
            cell.text = str(value)
    return grid


def _docx_page_numbers(section):
    """ "Side N" in the footer, as a field Word fills in."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    paragraph.add_run(_("Page") + " ")
    run = paragraph.add_run()
    for tag, attributes in (
        ("w:fldChar", {"w:fldCharType": "begin"}),
        ("w:instrText", {}),
        ("w:fldChar", {"w:fldCharType": "end"}),
    ):
        element = OxmlElement(tag)
        for name, value in attributes.items():
            element.set(qn(name), value)
        if tag == "w:instrText":
            element.set(qn("xml:space"), "preserve")
            element.text = "PAGE"
        run._r.append(element)


WORD_LANGUAGES = {"nb": "nb-NO", "en": "en-GB"}


def _docx_language(document, language):
    """Mark the text as written in `language` (python-docx's template says en-US): Word's
    spelling and a screen reader's voice follow it."""
    tag = WORD_LANGUAGES.get(language, language)
    document.core_properties.language = tag
    defaults = document.styles.element.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = run_defaults.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        run_defaults.append(lang)
    lang.set(qn("w:val"), tag)


def _unbreakable_periods(text):
    """`text` with a WORD JOINER either side of the dash of every period, 2018–2020: Word
    would otherwise break the line after the dash."""
    return PERIOD.sub(
        lambda period: re.sub(r"\s*([-–])\s*", "\u2060\\1\u2060", period.group()), text
    )


def _docx_chart(document, chart):
    """The chart the web page and the PDF draw, as a picture (PNG: not every Word reads SVG),
    with its title and figures as the picture's alternative text."""
    import cairosvg  # imported when used: it loads Cairo, which pages never need

    svg = render_to_string("rapportering/includes/bar_chart.svg", {"chart": chart})
    png = cairosvg.svg2png(bytestring=svg.encode(), scale=3, background_color="white")
    picture = document.add_picture(io.BytesIO(png), width=Cm(chart.width / 96 * 2.54))
    properties = picture._inline.docPr
    properties.set("title", chart.title)
    properties.set("descr", chart.alt_text)
    return picture


def _docx_paragraphs(document, text):
    for paragraph in (text or "–").split("\n\n"):
        document.add_paragraph(paragraph.strip())


def report_docx(report):
    """The report as a Word document with real headings and editable tables."""
    document = Document()
    document.core_properties.title = report.title
    document.core_properties.author = "Husbanken"
    _docx_language(document, translation.get_language())
    document.styles["Normal"].font.name = "Calibri"
    document.styles["Normal"].font.size = Pt(10.5)
    section = document.sections[0]
    if report.draft:
        marker = section.header.paragraphs[0]
        marker.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run = marker.add_run(_("DRAFT"))
        run.bold = True
        run.font.color.rgb = RGBColor(0xB4, 0x23, 0x18)
    _docx_page_numbers(section)

    # The title names the plan: no line of its own.
    document.add_heading(_unbreakable_periods(report.title), level=0)
    document.add_paragraph(report.subtitle)
    if report.parties:
        document.add_paragraph(report.parties)
    if report.replaces:
        document.add_paragraph(report.replaces)

    document.add_heading("1 " + _("Summary"), level=1)
    _docx_paragraphs(document, report.summary)
    for chart, table in zip(report.charts, _chart_tables(report), strict=True):
        document.add_heading(str(table.title), level=2)
        _docx_chart(document, bar_chart(chart.key, chart.title, chart.tallies))
        _docx_table(document, table)

    document.add_heading("2 " + _("Status per measure"), level=1)
    for measure in report.measures:
        document.add_heading(f"{measure.number} {measure.title}", level=2)
        document.add_paragraph(f"{_('Responsible')}: {measure.responsible or '–'}")
        if measure.lines:
            lines = Table("", _line_headers(), [_line_cells(line) for line in measure.lines])
            _docx_table(document, lines)
        else:
            document.add_paragraph(_("No milestones this year"))
        for contribution in measure.contributions:
            heading = _("Contribution from %(directorate)s") % {
                "directorate": contribution.directorate
            }
            if not contribution.delivered:
                heading += f" ({_('not delivered')})"
            document.add_heading(heading, level=3)
            for label, text in (
                (_("Assessment of status and goal achievement"), contribution.status_assessment),
                (_("Deviations and how they are handled"), contribution.deviation_handling),
                (_("Challenges"), contribution.challenges),
            ):
                if text:
                    document.add_heading(label, level=4)
                    _docx_paragraphs(document, text)

    landscape = document.add_section()
    landscape.orientation = WD_ORIENT.LANDSCAPE
    landscape.page_width, landscape.page_height = section.page_height, section.page_width
    document.add_heading("3 " + _("Deviations"), level=1)
    for table in _deviation_tables(report):
        document.add_heading(table.title, level=2)
        if table.rows:
            _docx_table(document, table)
        else:
            document.add_paragraph(_("None."))

    document.add_heading("4 " + _("Challenges"), level=1)
    _docx_paragraphs(document, report.challenges)
    document.add_heading(_("What is done about them"), level=2)
    _docx_paragraphs(document, report.challenge_actions)

    document.add_heading("5 " + _("Changes since the previous report"), level=1)
    document.add_paragraph(report.changes.since)
    _docx_table(document, _changes_table(report))

    document.add_heading(_("Appendix: every milestone of the year"), level=1)
    _docx_table(document, _appendix_table(report))

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class Format:
    label: str
    extension: str
    content_type: str
    render: object


FORMATS = {
    "pdf": Format("PDF", "pdf", "application/pdf", report_pdf),
    "docx": Format(
        "Word",
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        report_docx,
    ),
    "xlsx": Format(
        "Excel",
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        report_xlsx,
    ),
    "csv": Format("CSV", "csv", "text/csv; charset=utf-8", report_csv),
}


def report_filename(report, extension):
    """E.g. handlingsplan-2018-2020-rapport-2019-v2.pdf, or …-utkast.pdf for a draft."""
    version = "utkast" if report.draft else f"v{report.version}"
    return f"{report.plan_slug}-rapport-{report.year}-{version}.{extension}"
