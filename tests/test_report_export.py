"""The yearly report in its four formats, written by export_report and read back."""

import csv
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.factories import open_round
from tiltak.models import Measure, Occurrence

pytestmark = pytest.mark.django_db

PLAN = "handlingsplan-2018-2020"
ASSESSMENT = "Læringsprosjektene er i rute i de fleste kommunene"


@pytest.fixture
def contributed(reported, client, coordinator, directorate_user):
    """The 2019 round, with AVdir's contribution on measure 6 delivered through its form."""
    round = open_round(reported, coordinator)
    measure = Measure.objects.get(plan=reported, number="6")
    client.force_login(directorate_user)
    response = client.post(
        reverse(
            "rapportering:contribution",
            args=[round.pk, measure.pk, directorate_user.directorate_id],
        ),
        {
            "status_assessment": ASSESSMENT,
            "deviation_handling": "Søker midler på nytt",
            "challenges": "",
            "lever": "1",
        },
    )
    assert response.status_code == 302
    return reported


def export(tmp_path, fmt):
    path = tmp_path / f"rapport.{fmt}"
    call_command("export_report", PLAN, "2019", "--format", fmt, "--output", str(path), verbosity=0)
    return path


def _flat(text):
    return " ".join(text.split())


def pdf_pages(path):
    return [_flat(page.extract_text()) for page in PdfReader(path).pages]


def docx_text(path):
    document = Document(path)
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return _flat("\n".join(parts))


def xlsx_text(path):
    workbook = load_workbook(path)
    return _flat(
        "\n".join(
            str(cell.value)
            for sheet in workbook
            for row in sheet.iter_rows()
            for cell in row
            if cell.value is not None
        )
    )


def csv_rows(path):
    raw = path.read_bytes()
    assert raw.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


READERS = {
    "pdf": lambda path: " ".join(pdf_pages(path)),
    "docx": docx_text,
    "xlsx": xlsx_text,
    "csv": lambda path: _flat("\n".join(";".join(row) for row in csv_rows(path))),
}


@pytest.mark.parametrize("fmt", list(READERS))
def test_every_format_holds_every_measure_every_deviation_and_the_contributions(
    tmp_path, contributed, fmt
):
    text = READERS[fmt](export(tmp_path, fmt))

    assert "UTKAST: Felles rapport om status og avvik 2019" in text
    for measure in Measure.objects.filter(plan=contributed):
        assert _flat(f"{measure.number} {measure.title}") in text, measure.number
    for cause, new_date in [
        ("Mangler midler", "31.03.2020"),
        ("Venter på regelverk", "30.09.2019"),
    ]:
        assert cause in text
        assert new_date in text
    assert ASSESSMENT in text
    assert "Søker midler på nytt" in text


def test_every_page_of_a_draft_pdf_says_utkast_and_has_a_page_number(tmp_path, contributed):
    pages = pdf_pages(export(tmp_path, "pdf"))

    assert len(pages) > 5
    for number, page in enumerate(pages[1:], start=2):
        assert "UTKAST" in page
        assert re.search(rf"Side {number} av {len(pages)}\b", page), number
    assert "Innhold" in pages[1]


def test_the_csv_puts_cause_consequence_action_and_new_date_on_the_deviation_row(
    tmp_path, reported
):
    rows = csv_rows(export(tmp_path, "csv"))

    assert rows[0][0].startswith("UTKAST: Felles rapport om status og avvik 2019")
    start = rows.index(["Nye avvik i 2019"]) + 2
    deviations = rows[start : rows.index([], start)]
    by_measure = {(row[0].split(" ")[0], row[2]): row for row in deviations}  # measure, date
    assert by_measure[("6", "31.12.2019")][3] == "31.03.2020"
    assert by_measure[("6", "31.12.2019")][5:8] == [
        "Mangler midler",
        "Færre kommuner med",
        "Søker i neste runde",
    ]
    assert by_measure[("4", "30.06.2019")][3:4] == ["30.09.2019"]
    assert by_measure[("4", "30.06.2019")][8] == "ja"


def test_the_workbook_has_a_sheet_per_section_with_filters(tmp_path, reported):
    workbook = load_workbook(export(tmp_path, "xlsx"))

    assert workbook.sheetnames == [
        "Sammendrag og utfordringer",
        "Milepæler etter status",
        "Milepæler etter vurdering",
        "Status per tiltak",
        "Bidrag",
        "Nye avvik i 2019",
        "Avvik som fortsatt er åpne",
        "Avvik lukket i 2019",
        "Endringer siden forrige rapport",
        "Vedlegg alle milepæler i året",
    ]
    for sheet in workbook:
        assert sheet["A1"].value.startswith("UTKAST:")
        assert sheet.auto_filter.ref.startswith("A2:")
    deviations = workbook["Nye avvik i 2019"]
    causes = {
        (row[0].value.split(" ")[0], row[2].value): (row[3].value, row[5].value)
        for row in deviations.iter_rows(min_row=3)
    }
    assert causes[("6", "31.12.2019")] == ("31.03.2020", "Mangler midler")
    assert causes[("4", "30.06.2019")] == ("30.09.2019", "Venter på regelverk")
    appendix = workbook["Vedlegg alle milepæler i året"]
    assert (
        appendix.max_row - 2
        == Occurrence.objects.filter(milestone__measure__plan=reported, year=2019).count()
    )


def test_the_word_document_has_real_headings_and_an_editable_deviation_table(tmp_path, contributed):
    document = Document(export(tmp_path, "docx"))

    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[:2] == ["1 Sammendrag", "2 Status per tiltak"]
    assert "3 Avvik" in headings
    assert "Bidrag fra AVdir" in [
        p.text for p in document.paragraphs if p.style.name == "Heading 3"
    ]
    assert "Nye avvik i 2019" in [
        p.text for p in document.paragraphs if p.style.name == "Heading 2"
    ]
    assert document.sections[0].header.paragraphs[0].text == "UTKAST"
    deviation_table = next(
        t for t in document.tables if [c.text for c in t.rows[0].cells][5:6] == ["Årsak"]
    )
    rows = {
        row.cells[0].text.split(" ")[0]: [c.text for c in row.cells]
        for row in deviation_table.rows[1:]
    }
    assert rows["6"][3] == "31.03.2020"
    assert rows["6"][5] == "Mangler midler"


def test_a_year_outside_the_plan_or_an_unknown_plan_is_refused_and_writes_nothing(
    tmp_path, seeded_plans
):
    target = tmp_path / "rapport.csv"

    with pytest.raises(CommandError, match="2014 is not one of its years"):
        call_command("export_report", PLAN, "2014", "--format", "csv", "--output", str(target))
    with pytest.raises(CommandError, match="No plan"):
        call_command("export_report", "ukjent", "2019", "--format", "csv", "--output", str(target))
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_a_directorate_is_named_in_full_with_its_short_name_once_and_short_after(
    tmp_path, contributed, fmt
):
    text = READERS[fmt](export(tmp_path, fmt))

    assert text.count("Arbeids- og velferdsdirektoratet (AVdir)") == 1
    assert text.count("Arbeids- og velferdsdirektoratet") == 1
    first = text.index("Arbeids- og velferdsdirektoratet (AVdir)")
    assert "AVdir (bidrar)" in text[first:]
    assert "Bidrag fra AVdir" in text[first:]
