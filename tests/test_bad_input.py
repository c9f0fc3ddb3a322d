"""Wrong types, empty and huge values and dates out of range, in every form and command:
a clear error, a 4xx and not a 500, and nothing written."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from rapportering.models import CalendarFeed, Contribution, ReportRound
from tests.factories import final_report, measure, occurrence, open_round
from tiltak.models import Actor, Measure, Occurrence, Plan

pytestmark = pytest.mark.django_db

HUGE = "x" * 1_000_000


# (name, url, bad body, the model whose rows must not change)
FORMS = [
    ("status: unknown status", lambda: reverse("tiltak:occurrence-status", args=[occurrence().pk]),
     {"version": 0, "status": "ferdig"}, Occurrence),
    ("status: version not a number", lambda: reverse("tiltak:occurrence-status", args=[occurrence().pk]),
     {"version": "abc", "status": "completed"}, Occurrence),
    ("status: date out of range", lambda: reverse("tiltak:occurrence-status", args=[occurrence().pk]),
     {"version": 0, "status": "postponed", "new_date": "20190-13-45", "deviation_cause": "x",
      "deviation_consequence": "x", "corrective_action": "x"}, Occurrence),
    ("plan: no title, end before start", lambda: reverse("tiltak:plan-create"),
     {"title": "", "slug": "ny", "start": "2020-01-01", "end": "2019-01-01", "source": ""}, Plan),
    ("plan: year 0 and a slug that is not one", lambda: reverse("tiltak:plan-create"),
     {"title": "Plan", "slug": "ikke en slug!", "start": "0000-01-01", "end": "99999-01-01",
      "source": "x"}, Plan),
    ("plan: a title of a million characters", lambda: reverse("tiltak:plan-create"),
     {"title": HUGE, "slug": "stor", "start": "2020-01-01", "end": "2020-12-31",
      "source": "x"}, Plan),
    ("measure: empty", lambda: reverse("tiltak:measure-create", args=["handlingsplan-2018-2020"]),
     {"number": "", "title": "", "part": "abc", "position": "-1"}, Measure),
    ("report round: year not a number", lambda: reverse("rapportering:report-round-create"),
     {"plan": "abc", "year": "tjue"}, ReportRound),
    ("report round: a huge year", lambda: reverse("rapportering:report-round-create"),
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
        "rapportering:contribution",
        args=[round.pk, measure("6").pk, measure("6").responsibilities.get(role="lead").actor_id],
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


@pytest.mark.parametrize("revoke", ["abc", "", "1 OR 1=1", "²", "9" * 40, "\x00"])
def test_revoking_a_calendar_address_that_is_no_key_is_refused_and_revokes_nothing(
    client, coordinator, revoke
):
    feed = CalendarFeed.objects.create(
        user=coordinator, directorate=Actor.objects.get(short_name="AVdir")
    )
    client.force_login(coordinator)

    response = client.post(reverse("rapportering:calendar"), {"revoke": revoke})

    assert response.status_code == 404
    assert "Den adressen er ikke blant dine aktive." in response.content.decode()
    assert CalendarFeed.objects.active().filter(pk=feed.pk).exists()


def test_someone_elses_calendar_address_cannot_be_revoked(client, coordinator, reader):
    feed = CalendarFeed.objects.create(
        user=coordinator, directorate=Actor.objects.get(short_name="AVdir")
    )
    client.force_login(reader)

    assert client.post(reverse("rapportering:calendar"), {"revoke": feed.pk}).status_code == 404
    assert CalendarFeed.objects.active().filter(pk=feed.pk).exists()


@pytest.mark.parametrize("part", ["²", "9" * 40, "-1", "1 OR 1=1"])
def test_a_part_that_is_no_key_lists_the_measures_unfiltered_by_part(
    client, seeded_plans, reader, part
):
    client.force_login(reader)

    response = client.get(reverse("tiltak:measure-list"), {"part": part})

    assert response.status_code == 200
    assert response.context["page"].paginator.count == Measure.objects.count()


def test_a_search_of_hundreds_of_words_uses_the_first_twenty_and_says_so(
    client, seeded_plans, reader
):
    client.force_login(reader)
    words = ["Læringsprosjekter"] + [f"ord{n}" for n in range(499)]

    response = client.get(reverse("tiltak:measure-list"), {"q": " ".join(words)})

    assert response.status_code == 200
    assert response.context["page"].paginator.count == 0  # ord0…ord18 are in no measure
    assert "de første 20 ordene; 480 ord til ble utelatt" in response.content.decode()


@pytest.mark.parametrize(
    "query", ["?q=%00", "?plan=handlingsplan%00", "?part=1%00", "?side=%00", "?%00=1"]
)
def test_a_nul_byte_in_the_query_is_a_bad_request(client, seeded_plans, reader, query):
    client.force_login(reader)

    response = client.get(reverse("tiltak:measure-list") + query)

    assert response.status_code == 400
    assert "Adressen kunne ikke leses" in response.content.decode()


@pytest.mark.parametrize("format", ["csv%00", "csv%00.pdf", "%00", "csv.", "xlsx%20"])
def test_a_final_report_file_in_a_format_that_is_no_format_is_404(
    client, seeded_plans, coordinator, format
):
    final = final_report()
    client.force_login(coordinator)

    url = reverse("rapportering:final-report-file", args=[final.pk, "csv"]).replace(
        "fil.csv", f"fil.{format}"
    )

    assert client.get(url).status_code == 404
    assert (
        client.get(reverse("rapportering:final-report-file", args=[final.pk, "csv"])).status_code
        == 200
    )


@pytest.mark.parametrize("state", [ReportRound.State.OPEN, ReportRound.State.FINALISED])
def test_a_plan_with_report_rounds_is_not_deleted_and_the_page_says_why(
    client, seeded_plans, coordinator, state
):
    plan = seeded_plans["handlingsplan-2018-2020"]
    open_round(plan, coordinator, year=2019, state=state)
    client.force_login(coordinator)
    url = reverse("tiltak:plan-delete", args=[plan.slug])

    page = client.get(url)
    refused = client.post(url)

    message = "Planen kan ikke slettes: den har rapportrunder (2019)"
    assert page.status_code == 200
    assert message in page.content.decode()
    assert 'type="submit"' not in page.content.decode().split("<main")[1].split("</main>")[0]
    assert refused.status_code == 409
    assert message in refused.content.decode()
    assert Plan.objects.filter(pk=plan.pk).exists()
    assert ReportRound.objects.filter(plan=plan).exists()


def test_a_plan_without_report_rounds_is_deleted(client, seeded_plans, coordinator):
    client.force_login(coordinator)

    response = client.post(reverse("tiltak:plan-delete", args=["tiltaksplan-2015"]))

    assert response.status_code == 302
    assert not Plan.objects.filter(slug="tiltaksplan-2015").exists()


def test_a_user_name_longer_than_any_users_is_refused_before_it_is_tried(client, db):
    response = client.post(reverse("login"), {"username": "x" * 10_000, "password": "y"})

    assert response.status_code == 422  # the form again, with its error
    assert not response.wsgi_request.user.is_authenticated
