"""No formula injection (OWASP "CSV injection"): what users type is shown as text in every
CSV and Excel file we write, never run as a formula, while our numbers stay numbers."""

import csv
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from tests import factories
from tests.factories import contribution_url, download, finalise
from tiltak.models import Measure

pytestmark = pytest.mark.django_db

PLAN = "handlingsplan-2018-2020"
FORMULAS = ('=HYPERLINK("http://example.invalid","{}")', "+1+1 {}", "-2+3 {}", "@SUM(1) {}")


def typed(name, index):
    """A formula typed into the field `name` (each field its own, to tell them apart)."""
    return FORMULAS[index % len(FORMULAS)].format(name)


def read_csv(data):
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def cells(rows):
    return {cell for row in rows for cell in row}


@pytest.fixture
def formulas(client, ready_round, coordinator):
    """The 2019 round ready to finalise, with a formula typed into every kind of text field
    through the forms: a deviation's cause, consequence, corrective action and comment, a
    contribution, the summary and challenges, a milestone's text, a measure's title and the
    number of another measure. Returns {field: what was typed}."""
    client.force_login(coordinator)
    texts = {
        name: typed(name, index)
        for index, name in enumerate(
            [
                "deviation_cause",
                "deviation_consequence",
                "corrective_action",
                "comment",
                "status_assessment",
                "deviation_handling",
                "contribution_challenges",
                "summary",
                "challenges",
                "challenge_actions",
                "milestone",
                "title",
            ]
        )
    }
    texts["number"] = "-9"
    occurrence = factories.occurrence("6", year=2019)
    status = client.post(
        reverse("tiltak:occurrence-status", args=[occurrence.pk]),
        {
            "version": occurrence.version,
            "status": "postponed",
            "assessment": "red",
            "new_date": "2020-03-31",
            **{
                name: texts[name]
                for name in ("deviation_cause", "deviation_consequence", "corrective_action")
            },
            "comment": texts["comment"],
        },
    )
    assert status.status_code in (200, 302)
    occurrence.refresh_from_db()
    assert occurrence.comment == texts["comment"]
    contribution = client.post(
        contribution_url(ready_round, "6", "AVdir"),
        {
            "status_assessment": texts["status_assessment"],
            "deviation_handling": texts["deviation_handling"],
            "challenges": texts["contribution_challenges"],
            "lever": "1",
        },
    )
    assert contribution.status_code == 302
    compilation = client.post(
        reverse("rapportering:report-compile", args=[ready_round.pk]),
        {name: texts[name] for name in ("summary", "challenges", "challenge_actions")},
    )
    assert compilation.status_code == 302
    milestone = occurrence.milestone
    edited = client.post(
        reverse("tiltak:milestone-update", args=[milestone.pk]),
        {
            "text": texts["milestone"],
            "due_text": milestone.due_text,
            "dates": "",
            "due_note": milestone.due_note,
            "position": milestone.position,
        },
    )
    assert edited.status_code == 302
    for number, values in (("6", {"title": texts["title"]}), ("9", {"number": texts["number"]})):
        measure = Measure.objects.get(plan__slug=PLAN, number=number)
        edited = client.post(
            reverse("tiltak:measure-update", args=[measure.pk]),
            {
                "number": measure.number,
                "title": measure.title,
                "part": measure.part_id,
                "position": measure.position,
                "purpose": measure.purpose,
                "contributions": measure.contributions,
                **values,
            },
        )
        assert edited.status_code == 302, edited.content.decode()
    return texts


def test_the_overview_and_timeline_downloads_show_typed_formulas_as_text(client, formulas):
    page = {"plan": PLAN, "ar": 2019}

    deviations = read_csv(
        client.get(reverse("rapportering:overview"), {**page, "tabell": "avvik"}).content
    )
    timeline = read_csv(
        client.get(reverse("rapportering:timeline"), {"plan": PLAN, "tabell": "tidslinje"}).content
    )

    found = cells(deviations)
    for name in ("deviation_cause", "deviation_consequence", "corrective_action", "milestone"):
        assert "'" + formulas[name] in found, name
        assert formulas[name] not in found, name
    assert "'" + formulas["title"] in found
    measure_9 = next(row[0] for row in timeline if row[0].startswith("'-9 "))
    assert measure_9.startswith("'-9 ")
    counts = read_csv(
        client.get(reverse("rapportering:overview"), {**page, "tabell": "status"}).content
    )
    assert all(not cell.startswith("'") for row in counts for cell in row)


def test_the_report_files_show_typed_formulas_as_text_and_numbers_as_numbers(
    client, ready_round, formulas, tmp_path
):
    final = finalise(client, ready_round)
    in_report = [name for name in formulas if name not in ("title", "number")]

    found = cells(read_csv(download(client, final, "csv")))
    for name in in_report:
        assert "'" + formulas[name] in found, name
        assert formulas[name] not in found, name

    workbook = load_workbook(io.BytesIO(download(client, final, "xlsx")))
    typed_cells = {}
    for sheet in workbook:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    typed_cells[cell.value] = cell.data_type
    for name in in_report:
        assert typed_cells.get(formulas[name]) == "s", name
    counts = workbook[workbook.sheetnames[1]]
    assert counts["B3"].data_type == "n"
    assert isinstance(counts["B3"].value, int)

    path = tmp_path / "rapport.xlsx"
    call_command("export_report", PLAN, "2019", "--format", "xlsx", "--output", str(path))
    assert load_workbook(path).worksheets[0]["B3"].value == formulas["summary"]
