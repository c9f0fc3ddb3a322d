"""An occurrence's due date reads the same on a page, in the overview's CSV tables and in the
yearly report: dated, moved to a new date, and continuous."""

import csv
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

PLAN = "handlingsplan-2018-2020"


def read_csv(raw):
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


@pytest.mark.parametrize(
    ("number", "on_the_page", "first_planned", "new_date"),
    [
        ("3", "30.06.2019", "30.06.2019", ""),
        ("6", "31.03.2020 (opprinnelig 31.12.2019)", "31.12.2019", "31.03.2020"),
        ("9", "2019 (fortløpende)", "2019 (fortløpende)", ""),
    ],
    ids=["dated", "moved", "continuous"],
)
def test_a_page_the_csv_and_the_report_write_a_due_date_alike(
    client, reported, coordinator, tmp_path, number, on_the_page, first_planned, new_date
):
    """The `reported` plan moved measure 6's milestone of 2019 to 31.03.2020; measure 3's
    is overdue as planned; measure 9's is continuous and not assessed."""
    occurrence = factories.occurrence(number, year=2019)
    text = occurrence.milestone.text
    client.force_login(coordinator)
    report = tmp_path / "rapport.csv"

    page = client.get(reverse("tiltak:occurrence-status", args=[occurrence.pk])).content.decode()
    table = "ikke-vurdert" if occurrence.is_continuous else "avvik"
    overview_csv = read_csv(
        client.get(
            reverse("rapportering:overview"), {"plan": PLAN, "ar": 2019, "tabell": table}
        ).content
    )
    call_command("export_report", PLAN, "2019", "--format", "csv", "--output", str(report))
    report_rows = read_csv(report.read_bytes())
    appendix = report_rows[report_rows.index(["Vedlegg: alle milepæler i året"]) + 2 :]

    assert re.search(rf"<dd>\s*{re.escape(on_the_page)}\s*</dd>", page)
    # measure, title, milestone, date first planned, new date
    assert [number, text, first_planned, new_date] in [
        [row[0], row[2], *row[3:5]] for row in overview_csv
    ]
    # measure, milestone, due text, date first planned, new date
    assert [text, first_planned, new_date] in [
        row[1:2] + row[3:5] for row in appendix if row[0].startswith(f"{number} ")
    ]
