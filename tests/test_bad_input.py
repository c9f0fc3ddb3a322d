"""Wrong types, empty and huge values and dates out of range, in every form and command:
a clear error, a 4xx and not a 500, and nothing written."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from rapportering.models import Contribution, ReportRound
from tests.conftest import open_round
from tiltak.models import Measure, Occurrence, Plan

pytestmark = pytest.mark.django_db

HUGE = "x" * 1_000_000


def measure_6():
    return Measure.objects.get(plan__slug="handlingsplan-2018-2020", number="6")


def occurrence():
    return Occurrence.objects.filter(milestone__measure=measure_6()).order_by("pk").first()


# (name, url, bad body, the model whose rows must not change)
FORMS = [
    ("status: unknown status", lambda: reverse("occurrence-status", args=[occurrence().pk]),
     {"version": 0, "status": "ferdig"}, Occurrence),
    ("status: version not a number", lambda: reverse("occurrence-status", args=[occurrence().pk]),
     {"version": "abc", "status": "completed"}, Occurrence),
    ("status: date out of range", lambda: reverse("occurrence-status", args=[occurrence().pk]),
     {"version": 0, "status": "postponed", "new_date": "20190-13-45", "deviation_cause": "x",
      "deviation_consequence": "x", "corrective_action": "x"}, Occurrence),
    ("plan: no title, end before start", lambda: reverse("plan-create"),
     {"title": "", "slug": "ny", "start": "2020-01-01", "end": "2019-01-01", "source": ""}, Plan),
    ("plan: year 0 and a slug that is not one", lambda: reverse("plan-create"),
     {"title": "Plan", "slug": "ikke en slug!", "start": "0000-01-01", "end": "99999-01-01",
      "source": "x"}, Plan),
    ("plan: a title of a million characters", lambda: reverse("plan-create"),
     {"title": HUGE, "slug": "stor", "start": "2020-01-01", "end": "2020-12-31",
      "source": "x"}, Plan),
    ("measure: empty", lambda: reverse("measure-create", args=["handlingsplan-2018-2020"]),
     {"number": "", "title": "", "part": "abc", "position": "-1"}, Measure),
    ("report round: year not a number", lambda: reverse("report-round-create"),
     {"plan": "abc", "year": "tjue"}, ReportRound),
    ("report round: a huge year", lambda: reverse("report-round-create"),
     {"plan": 1, "year": "99999999999999999999"}, ReportRound),
]  # fmt: skip


@pytest.mark.parametrize(("name", "url", "body", "model"), FORMS, ids=[f[0] for f in FORMS])
def test_a_bad_form_is_refused_with_the_errors_shown(
    client, seeded_plans, coordinator, name, url, body, model
):
    client.force_login(coordinator)
    before = list(model.objects.order_by("pk").values())

    response = client.post(url(), body)

    assert 400 <= response.status_code < 500, response.status_code
    assert "ds-error-summary" in response.content.decode()
    assert list(model.objects.order_by("pk").values()) == before


def test_a_huge_contribution_is_saved_whole_or_refused_not_cut(client, reported, coordinator):
    round = open_round(reported, coordinator)
    client.force_login(coordinator)
    url = reverse(
        "contribution",
        args=[round.pk, measure_6().pk, measure_6().responsibilities.get(role="lead").actor_id],
    )

    response = client.post(
        url, {"status_assessment": HUGE, "deviation_handling": "x", "challenges": ""}
    )

    assert response.status_code in (302, 422)
    saved = Contribution.objects.filter(round=round).first()
    assert saved is None or saved.status_assessment == HUGE


@pytest.mark.parametrize(
    "path", ["/tiltak/abc/", "/rapport/999999999999999999999/", "/forekomster/-1/status/"]
)
def test_a_malformed_address_is_404(client, coordinator, path):
    client.force_login(coordinator)

    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    ("command", "arguments", "message"),
    [
        ("export_report", ["handlingsplan-2018-2020", "tjue", "--format", "pdf", "--output", "x"], "invalid int"),
        ("export_report", ["handlingsplan-2018-2020", "2019", "--format", "odt", "--output", "x"], "invalid choice"),
        ("generate_demo_data", ["--scale", "mange"], "invalid int"),
        ("generate_demo_data", ["--scale", "100000"], "between 1 and 1000"),
        ("send_reminders", ["--days", "-5"], "between 0 and 366"),
        ("create_user", ["kari", "--role", "sjef"], "invalid choice"),
        ("export_plan", ["finnes-ikke"], "finnes-ikke"),
    ],
)  # fmt: skip
def test_a_command_with_bad_arguments_says_what_is_wrong_and_writes_nothing(
    seeded_plans, tmp_path, monkeypatch, command, arguments, message
):
    monkeypatch.chdir(tmp_path)
    plans = Plan.objects.count()

    with pytest.raises(CommandError, match=message):
        call_command(command, *arguments)

    assert Plan.objects.count() == plans
    assert list(tmp_path.iterdir()) == []


def test_a_plan_file_that_is_not_utf8_is_refused(tmp_path, seeded_plans):
    path = tmp_path / "plan.yaml"
    path.write_bytes("plan:\n  title: Bolig for velferd i Ålesund\n".encode("latin-1"))

    with pytest.raises(CommandError, match=r"not UTF-8|ikke UTF-8"):
        call_command("import_plan", str(path))
