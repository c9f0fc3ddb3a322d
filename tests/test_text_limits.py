"""Every free text has a length limit: in the model, in the form (with the limit shown), in
plan files; and the largest report the limits allow finalises with all its files."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from rapportering.demo_data import fill_to_the_limits
from rapportering.models import Contribution
from rapportering.services import report_finalise
from tests.factories import UNSEEN_PLAN, contribution_url, counts, import_text, open_round
from tiltak.free_text import LONG_TEXT, MEDIUM_TEXT, SHORT_TEXT
from tiltak.models import Measure, Occurrence

pytestmark = pytest.mark.django_db


def test_every_free_text_field_of_the_models_has_a_limit():
    from django.apps import apps
    from django.contrib.sessions.base_session import AbstractBaseSession
    from django.db import models

    for app in ("tiltak", "rapportering"):
        for model in apps.get_app_config(app).get_models():
            if issubclass(model, AbstractBaseSession):
                continue  # the session store's own data, which nobody types
            for field in model._meta.get_fields():
                if isinstance(field, models.TextField) and not isinstance(field, models.JSONField):
                    assert field.max_length, f"{model.__name__}.{field.name}"


def test_the_model_refuses_a_text_over_its_limit(seeded_plans):
    occurrence = Occurrence.objects.first()
    occurrence.comment = "x" * (SHORT_TEXT + 1)

    with pytest.raises(ValidationError) as raised:
        occurrence.full_clean()

    assert "comment" in raised.value.message_dict


def test_the_contribution_form_shows_its_limit_and_refuses_a_longer_text(
    client, reported, coordinator
):
    round = open_round(reported, coordinator)
    client.force_login(coordinator)
    url = contribution_url(round, "6", "AVdir")

    page = client.get(url).content.decode()
    too_long = client.post(
        url,
        {"status_assessment": "x" * (MEDIUM_TEXT + 1), "deviation_handling": "", "challenges": ""},
    )
    at_the_limit = client.post(
        url,
        {"status_assessment": "x" * MEDIUM_TEXT, "deviation_handling": "", "challenges": ""},
    )

    assert f'maxlength="{MEDIUM_TEXT}"' in page
    assert f"Høyst {MEDIUM_TEXT // 1000}\xa0{MEDIUM_TEXT % 1000:03} tegn." in page
    assert too_long.status_code == 422
    assert f"færre tegn (den har nå {MEDIUM_TEXT + 1})" in too_long.content.decode()
    assert at_the_limit.status_code == 302
    assert len(Contribution.objects.get(round=round).status_assessment) == MEDIUM_TEXT


def test_a_browsers_line_breaks_count_as_one_character(client, reported, coordinator):
    """A browser counts a line break as one character against maxlength, and sends CRLF."""
    round = open_round(reported, coordinator)
    client.force_login(coordinator)
    text = ("x" * 99 + "\r\n") * (LONG_TEXT // 100)  # LONG_TEXT characters in the browser

    response = client.post(
        reverse("rapportering:report-compile", args=[round.pk]),
        {"summary": text, "challenges": "", "challenge_actions": ""},
    )

    assert response.status_code == 302
    round.refresh_from_db()
    assert len(round.summary) == LONG_TEXT - 1  # the last line break is stripped


def test_a_plan_file_with_a_text_over_its_limit_is_refused_with_file_and_line(
    tmp_path, seeded_plans
):
    long_purpose = "x" * (LONG_TEXT + 1)
    text = UNSEEN_PLAN.replace("contributions: Alle bidrar.", f"contributions: {long_purpose}")
    text = text.replace("text: Hvert år", "text: " + "y" * (SHORT_TEXT + 1))
    before = counts()

    with pytest.raises(CommandError) as raised:
        import_text(tmp_path, text)

    message = str(raised.value)
    assert (
        f"plan.yaml:19: tiltak 1: «contributions» har {LONG_TEXT + 1} tegn; høyst {LONG_TEXT} "
        "er tillatt" in message
    )
    assert (
        f"plan.yaml:26: tiltak 1: «text» har {SHORT_TEXT + 1} tegn; høyst {SHORT_TEXT} "
        "er tillatt" in message
    )
    assert counts() == before


def test_the_largest_report_the_limits_allow_finalises_with_every_file(ready_round, coordinator):
    fill_to_the_limits(ready_round, coordinator)
    measure = Measure.objects.filter(plan=ready_round.plan).first()
    assert len(measure.title) == Measure._meta.get_field("title").max_length
    assert (
        Contribution.objects.filter(round=ready_round).count()
        == 6 * ready_round.plan.measures.count()
    )

    final = report_finalise(round_id=ready_round.pk, user=coordinator)

    files = {f.format: bytes(f.data) for f in final.files.all()}
    assert set(files) == {"pdf", "docx", "xlsx", "csv"}
    assert len(PdfReader(io.BytesIO(files["pdf"])).pages) > 100
    assert Document(io.BytesIO(files["docx"])).paragraphs
    assert load_workbook(io.BytesIO(files["xlsx"])).sheetnames
    assert len(files["csv"]) > 6 * ready_round.plan.measures.count() * 3 * MEDIUM_TEXT
