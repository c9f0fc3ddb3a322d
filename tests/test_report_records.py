"""A finalised report cannot be altered, not even by SQL written past the application."""

import hashlib

import pytest
from django.apps import apps
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from rapportering.models import FinalReport, FinalReportFile, ReportRound, content_checksum
from rapportering.report import build_report
from tests.factories import open_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def final(seeded_plans, coordinator):
    round = open_round(
        seeded_plans["handlingsplan-2018-2020"], coordinator, state=ReportRound.State.FINALISED
    )
    content = build_report(plan=round.plan, year=2019, round=round, version=1).as_dict()
    final = FinalReport.objects.create(
        round=round,
        version=1,
        content=content,
        checksum=content_checksum(content),
        finalised_by=coordinator,
        finalised_at="2019-09-30T12:00:00Z",
    )
    data = b"a;b\n"
    FinalReportFile.objects.create(
        report=final, format="csv", data=data, checksum=hashlib.sha256(data).hexdigest()
    )
    return final


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE rapportering_finalreport SET checksum = 'forfalsket'",
        "UPDATE rapportering_finalreport SET content = '{}'",
        "DELETE FROM rapportering_finalreport",
        "UPDATE rapportering_finalreportfile SET data = x'00'",
        "DELETE FROM rapportering_finalreportfile",
    ],
)
def test_a_direct_update_or_delete_is_refused_by_the_database(final, statement):
    sql = (
        statement.replace("x'00'", "'\\x00'::bytea")
        if connection.vendor == "postgresql"
        else statement
    )

    with (
        pytest.raises(DatabaseError, match="A finalised report is a record"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)

    final.refresh_from_db()
    assert final.is_intact()
    assert bytes(final.files.get().data) == b"a;b\n"


def test_the_model_refuses_to_save_a_finalised_report_again(final):
    final.checksum = "forfalsket"

    with pytest.raises(ValueError, match="never changed"):
        final.save()


def admin_round_form(round, **changes):
    """The admin's change form of `round` with a new summary, and `changes`."""
    return {
        "plan": round.plan_id,
        "year": round.year,
        "ministry_deadline": "2019-10-01",
        "internal_deadline": "2019-09-01",
        "summary": "Endret i admin",
        "challenges": "",
        "challenge_actions": "",
        **changes,
    }


def test_the_admin_cannot_reopen_a_finalised_round(client, final, admin_user):
    """Only a correction, with its reason, opens a finalised round again."""
    round = final.round
    client.force_login(admin_user)
    change = reverse("admin:rapportering_reportround_change", args=[round.pk])

    response = client.post(
        change, admin_round_form(round, state=ReportRound.State.OPEN, correction_reason="Bakveien")
    )

    assert response.status_code == 403  # a finalised round is read-only in the admin
    round.refresh_from_db()
    assert round.state == ReportRound.State.FINALISED
    assert round.correction_reason == ""
    assert round.summary != "Endret i admin"
    assert client.get(change).status_code == 200  # still shown


def test_the_admin_changes_an_open_round_but_not_its_state(
    client, seeded_plans, coordinator, admin_user
):
    round = open_round(seeded_plans["handlingsplan-2018-2020"], coordinator)
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:rapportering_reportround_change", args=[round.pk]),
        admin_round_form(round, state=ReportRound.State.FINALISED),
    )

    assert response.status_code == 302
    round.refresh_from_db()
    assert round.summary == "Endret i admin"
    assert round.state == ReportRound.State.OPEN


def test_every_constraint_of_the_report_says_what_is_wrong_in_words():
    """Each constraint's violation_error_message, not Django's "… with this Round and Version
    already exists"."""
    for model in apps.get_app_config("rapportering").get_models():
        for constraint in model._meta.constraints:
            assert (
                constraint.violation_error_message != constraint.default_violation_error_message
            ), constraint.name
