"""Control characters (pasted from Word, or stored before the forms cleaned them) neither
reach the database through a form or a plan file nor break a report's files."""

import csv
import io

import pytest
from django.db import connection
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from rapportering.models import Contribution, ReportRound
from tests.factories import download, finalise
from tiltak.models import Measure, Milestone, Occurrence
from tiltak.plan_files import parse_plan

pytestmark = pytest.mark.django_db

PLAN = "handlingsplan-2018-2020"
# Word's line break (vertical tab) and page break (form feed), then invisible controls.
PASTED = "Første linje\x0bandre linje\x0ctredje\x01\x1b\x7f slutt"
CLEANED = "Første linje\nandre linje\ntredje slutt"


def stored(text):
    """`text` with a NUL where the database can hold one (PostgreSQL's text cannot)."""
    return text + ("\x00" if connection.vendor == "sqlite" else "")


def store_directly(model, pk, **values):
    """Write `values` in SQL, past the models, as old data or a hand-made import would."""
    table = model._meta.db_table
    assignments = ", ".join(f"{connection.ops.quote_name(name)} = %s" for name in values)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {assignments} WHERE id = %s", [*values.values(), pk])


def test_a_report_whose_stored_texts_hold_control_characters_finalises_in_every_format(
    client, ready_round, coordinator
):
    text = stored(PASTED)
    occurrence = (
        Occurrence.objects.filter(milestone__measure__plan__slug=PLAN, year=2019)
        .exclude(deviation_cause="")
        .first()
    )
    store_directly(
        Occurrence,
        occurrence.pk,
        comment=text,
        deviation_cause=text,
        deviation_consequence=text,
        corrective_action=text,
    )
    store_directly(Milestone, occurrence.milestone_id, text=text)
    store_directly(Measure, occurrence.milestone.measure_id, title=text)
    store_directly(ReportRound, ready_round.pk, summary=text, challenges=text)
    store_directly(Contribution, ready_round.contributions.first().pk, status_assessment=text)
    client.force_login(coordinator)

    final = finalise(client, ready_round)

    assert final.files.count() == 4
    pdf = " ".join(
        page.extract_text() for page in PdfReader(io.BytesIO(download(client, final, "pdf"))).pages
    )
    assert "Første linje" in pdf
    assert "\x0b" not in pdf
    document = Document(io.BytesIO(download(client, final, "docx")))
    assert "Første linje\nandre linje\ntredje slutt" in [p.text for p in document.paragraphs]
    workbook = load_workbook(io.BytesIO(download(client, final, "xlsx")))
    assert workbook.worksheets[0]["B3"].value == CLEANED
    rows = list(
        csv.reader(io.StringIO(download(client, final, "csv").decode("utf-8-sig")), delimiter=";")
    )
    assert ["Sammendrag", CLEANED] in rows
    assert final.content["summary"] == CLEANED


def test_forms_save_pasted_text_cleaned(client, seeded_plans, coordinator):
    client.force_login(coordinator)
    occurrence = Occurrence.objects.filter(milestone__measure__plan__slug=PLAN).first()

    response = client.post(
        reverse("tiltak:occurrence-status", args=[occurrence.pk]),
        {
            "version": occurrence.version,
            "status": "completed",
            "assessment": "green",
            "comment": PASTED + "\x00\r\nfra nettleseren",
        },
    )

    assert response.status_code == 302
    occurrence.refresh_from_db()
    assert occurrence.comment == CLEANED + "\nfra nettleseren"
    assert occurrence.history.first().comment == occurrence.comment


def test_the_correction_reason_is_cleaned_too(client, ready_round, coordinator):
    client.force_login(coordinator)
    finalise(client, ready_round)

    client.post(reverse("rapportering:report-correct", args=[ready_round.pk]), {"reason": PASTED})

    ready_round.refresh_from_db()
    assert ready_round.correction_reason == CLEANED


def test_a_plan_file_text_with_control_characters_is_read_cleaned():
    source = (
        "plan:\n"
        "  slug: renset\n"
        '  title: "Plan\\vmed\\x01 skjult tegn"\n'
        "  start: 2021-01-01\n"
        "  end: 2021-12-31\n"
        "  source: Test\n"
        "parts:\n"
        "  - code: A\n"
        "    title: Del\n"
        "    measures:\n"
        "      - number: '1'\n"
        '        title: "Tiltak\\fen"\n'
        "        milestones:\n"
        '          - text: "Milepæl\\x1b"\n'
        "            due: 31.12.2021\n"
    )

    spec = parse_plan(source, "renset.yaml")

    assert spec.title == "Plan\nmed skjult tegn"
    measure = spec.parts[0].measures[0]
    assert (measure.title, measure.milestones[0].text) == ("Tiltak\nen", "Milepæl")
