"""The yearly report as a draft, exported with export_report and read back from the files."""

import csv
import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from tiltak.models import Measure, Occurrence

pytestmark = pytest.mark.django_db

PLAN = "handlingsplan-2018-2020"


@pytest.fixture
def reported(seeded_plans):
    """Two deviations in 2019, with cause, consequence, corrective action and new date."""
    for number, values in [
        (
            "6",
            {
                "status": "postponed",
                "assessment": "red",
                "new_date": date(2020, 3, 31),
                "deviation_cause": "Mangler midler",
                "deviation_consequence": "Færre kommuner med",
                "corrective_action": "Søker i neste runde",
            },
        ),
        (
            "4",
            {
                "status": "in_progress",
                "new_date": date(2019, 9, 30),
                "deviation_cause": "Venter på regelverk",
                "deviation_consequence": "Senere virkning",
                "corrective_action": "Følges opp i samordningsgruppen",
                "needs_ministry_decision": True,
            },
        ),
    ]:
        occurrence = (
            Occurrence.objects.filter(
                milestone__measure__plan__slug=PLAN, milestone__measure__number=number, year=2019
            )
            .order_by("planned_date")
            .first()
        )
        for name, value in values.items():
            setattr(occurrence, name, value)
        occurrence.save()
    return seeded_plans[PLAN]


def export(tmp_path, fmt):
    path = tmp_path / f"rapport.{fmt}"
    call_command("export_report", PLAN, "2019", "--format", fmt, "--output", str(path), verbosity=0)
    return path


def test_the_csv_lists_every_measure_and_every_deviation_marked_draft(tmp_path, reported):
    raw = export(tmp_path, "csv").read_bytes()

    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0].startswith("UTKAST: Felles rapport om status og avvik 2019")
    text = "\n".join(";".join(row) for row in rows)
    for measure in Measure.objects.filter(plan=reported):
        assert f"{measure.number} {measure.title}" in text
    deviations = rows[
        rows.index(["Avvik"]) + 2 : rows.index(["Vedlegg: alle milepæler i året"]) - 1
    ]
    by_measure = {(row[0].split(" ")[0], row[2]): row for row in deviations}  # measure, date
    assert by_measure[("6", "31.12.2019")][3] == "31.03.2020"
    assert by_measure[("6", "31.12.2019")][5:8] == [
        "Mangler midler",
        "Færre kommuner med",
        "Søker i neste runde",
    ]
    assert by_measure[("4", "30.06.2019")][3:4] == ["30.09.2019"]
    assert by_measure[("4", "30.06.2019")][8] == "ja"


def test_the_workbook_has_a_sheet_per_section_with_filters_and_the_same_content(tmp_path, reported):
    workbook = load_workbook(export(tmp_path, "xlsx"))

    assert workbook.sheetnames == ["Status per tiltak", "Avvik", "Vedlegg alle milepæler i året"]
    status, deviations, appendix = (workbook[name] for name in workbook.sheetnames)
    for sheet in (status, deviations, appendix):
        assert sheet["A1"].value.startswith("UTKAST:")
        assert sheet.auto_filter.ref.startswith("A2:")
    measures = {row[0].value for row in status.iter_rows(min_row=3)}
    assert measures == {f"{m.number} {m.title}" for m in Measure.objects.filter(plan=reported)}
    causes = {
        (row[0].value.split(" ")[0], row[2].value): row[5].value
        for row in deviations.iter_rows(min_row=3)
    }
    assert causes[("6", "31.12.2019")] == "Mangler midler"
    assert causes[("4", "30.06.2019")] == "Venter på regelverk"
    assert (
        appendix.max_row - 2
        == Occurrence.objects.filter(milestone__measure__plan=reported, year=2019).count()
    )


def test_a_year_outside_the_plan_or_an_unknown_plan_is_refused_and_writes_nothing(
    tmp_path, seeded_plans
):
    target = tmp_path / "rapport.csv"

    with pytest.raises(CommandError, match="2014 is not one of its years"):
        call_command("export_report", PLAN, "2014", "--format", "csv", "--output", str(target))
    with pytest.raises(CommandError, match="No plan"):
        call_command("export_report", "ukjent", "2019", "--format", "csv", "--output", str(target))
    assert list(tmp_path.iterdir()) == []
