"""The yearly report's three deviation sections, judged from the history, and the gate that
refuses to finalise while anything the report shows is incomplete: the same rule that makes
the round's missing list."""

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from rapportering.models import FinalReport
from rapportering.report import build_report
from rapportering.rounds import MissingKind, missing_content
from tests.factories import complete_the_rest_of, deliver_contributions, open_round
from tiltak.models import Occurrence

pytestmark = pytest.mark.django_db

PLAN = "handlingsplan-2018-2020"
EXPLAINED = {
    "deviation_cause": "Forsinket anskaffelse",
    "deviation_consequence": "Senere effekt i kommunene",
    "corrective_action": "Ekstra ressurser",
}


def on(day, occurrence, **values):
    """Report `values` on `occurrence` on `day`, as its history will say."""
    for name, value in values.items():
        setattr(occurrence, name, value)
    occurrence._history_date = datetime(*day, 12, tzinfo=UTC)
    if "updated_at" not in values:
        occurrence.updated_at = occurrence._history_date
    occurrence.save()
    return occurrence


def dated(plan, year, before=None):
    """The plan's dated occurrences of `year` (due before `before`), the earliest first."""
    found = Occurrence.objects.filter(
        milestone__measure__plan=plan, year=year, planned_date__isnull=False
    )
    if before:
        found = found.filter(planned_date__lt=before)
    return list(found.select_related("milestone__measure").order_by("planned_date", "pk"))


def status_url(occurrence):
    return reverse("tiltak:occurrence-status", args=[occurrence.pk])


def key(occurrence):
    measure = occurrence.milestone.measure
    return (
        f"{measure.number} {measure.title}",
        occurrence.milestone.text,
        occurrence.planned_label,
    )


@pytest.fixture
def year_2020(seeded_plans):
    """The 2018–2020 plan, every milestone completed on time up to 2020, except:

    - still_open: a 2019 milestone postponed in May 2019, explained, and still postponed;
    - closed: a 2019 milestone in progress that fell overdue in 2019 and was completed in
      April 2020, never explained;
    - new_explained: a 2020 milestone postponed in March 2020, explained;
    - new_unexplained: a 2020 milestone in progress that fell overdue in 2020, unexplained;
    - closed_before: a 2018 milestone cancelled in 2018 (a deviation closed before 2020);
    - unassessed: a continuous milestone of 2020 reported in progress, never assessed.
    """
    plan = seeded_plans[PLAN]
    complete_the_rest_of(plan, 2020)
    in_2019, in_2020 = dated(plan, 2019), dated(plan, 2020, before=date(2020, 11, 1))
    in_2018 = dated(plan, 2018)
    cases = {
        "still_open": in_2019[0],
        "closed": in_2019[1],
        "new_explained": in_2020[0],
        "new_unexplained": in_2020[1],
        "closed_before": in_2018[0],
        "unassessed": Occurrence.objects.filter(
            milestone__measure__plan=plan, year=2020, planned_date__isnull=True
        ).first(),
    }
    assert len({o.pk for o in cases.values()}) == len(cases)
    for occurrence in cases.values():  # as imported, before anyone reported on it
        occurrence.history.all().delete()
        on((2017, 12, 1), occurrence, status="not_started", assessment="", updated_at=None)
    on(
        (2019, 5, 2),
        cases["still_open"],
        status="postponed",
        assessment="red",
        new_date=date(2021, 3, 1),
        **EXPLAINED,
    )
    before_due = cases["closed"].planned_date.replace(day=1)
    on(before_due.timetuple()[:3], cases["closed"], status="in_progress", assessment="yellow")
    on((2020, 4, 1), cases["closed"], status="completed")
    on(
        (2020, 3, 2),
        cases["new_explained"],
        status="postponed",
        assessment="yellow",
        new_date=date(2021, 1, 15),
        **EXPLAINED,
    )
    on((2020, 1, 6), cases["new_unexplained"], status="in_progress", assessment="yellow")
    on((2018, 1, 10), cases["closed_before"], status="cancelled", **EXPLAINED)
    on((2020, 1, 6), cases["unassessed"], status="in_progress", assessment="")
    return plan, cases


def test_the_three_deviation_sections_are_judged_from_the_history(year_2020):
    plan, cases = year_2020

    report = build_report(plan=plan, year=2020)

    sections = {s.key: s for s in report.deviation_sections}
    assert [s.title for s in report.deviation_sections] == [
        "Nye avvik i 2020",
        "Avvik som fortsatt er åpne",
        "Avvik lukket i 2020",
    ]

    def keys(section):
        return [(line.measure, line.milestone, line.planned) for line in sections[section].lines]

    assert len(keys("new")) == 2
    assert set(keys("new")) == {key(cases["new_explained"]), key(cases["new_unexplained"])}
    assert keys("still_open") == [key(cases["still_open"])]
    assert keys("closed") == [key(cases["closed"])]
    shown = keys("new") + keys("still_open") + keys("closed")
    assert key(cases["closed_before"]) not in shown
    assert key(cases["unassessed"]) not in shown


def test_a_deviation_opened_and_closed_in_the_year_is_new_and_closed(year_2020):
    plan, cases = year_2020
    occurrence = cases["new_unexplained"]
    on((2020, 10, 1), occurrence, status="completed", assessment="green", **EXPLAINED)

    sections = {s.key: s for s in build_report(plan=plan, year=2020).deviation_sections}

    for section in ("new", "closed"):
        assert key(occurrence) in [
            (li.measure, li.milestone, li.planned) for li in sections[section].lines
        ]
    assert key(occurrence) not in [
        (li.measure, li.milestone, li.planned) for li in sections["still_open"].lines
    ]


def test_the_gate_refuses_what_the_report_shows_incomplete_and_lists_it(
    client, year_2020, coordinator
):
    plan, cases = year_2020
    round = open_round(plan, coordinator, year=2020, summary="Sammendrag", challenges="")
    deliver_contributions(round, coordinator)
    client.force_login(coordinator)

    response = client.post(reverse("rapportering:report-finalise", args=[round.pk]))

    assert response.status_code == 422
    assert not FinalReport.objects.exists()
    missing = list(missing_content(round))
    assert [item.kind for item in missing] == [
        MissingKind.COMPILATION,
        MissingKind.DEVIATION,
        MissingKind.DEVIATION,
        MissingKind.MILESTONE,
    ]
    assert missing[0].path == reverse("rapportering:report-compile", args=[round.pk])
    assert {item.path for item in missing[1:3]} == {
        status_url(cases["closed"]),
        status_url(cases["new_unexplained"]),
    }
    assert missing[3].path == status_url(cases["unassessed"])
    page = response.content.decode()
    assert "Utfordringsbildet er ikke beskrevet." in page
    assert "mangler årsak til avviket, konsekvens for måloppnåelsen og korrigerende tiltak." in page
    assert (
        "mangler årsak til avviket, konsekvens for måloppnåelsen, korrigerende tiltak og ny dato."
        in page
    )
    assert "er ikke vurdert." in page


def test_the_same_data_finalises_once_every_item_is_fixed(client, year_2020, coordinator):
    plan, cases = year_2020
    round = open_round(plan, coordinator, year=2020, summary="Sammendrag", challenges="")
    deliver_contributions(round, coordinator)
    client.force_login(coordinator)
    compile_url = reverse("rapportering:report-compile", args=[round.pk])
    assert (
        client.post(
            compile_url,
            {"summary": "Sammendrag", "challenges": "Kapasitet", "challenge_actions": ""},
        ).status_code
        == 302
    )
    for name, values in [
        ("closed", {"status": "completed", "assessment": "green", **EXPLAINED}),
        (
            "new_unexplained",
            {
                "status": "in_progress",
                "assessment": "yellow",
                "new_date": "2021-02-01",
                **EXPLAINED,
            },
        ),
        ("unassessed", {"status": "completed", "assessment": "green"}),
    ]:
        occurrence = Occurrence.objects.get(pk=cases[name].pk)
        response = client.post(
            reverse("tiltak:occurrence-status", args=[occurrence.pk]),
            {"version": occurrence.version, "comment": "", **values},
        )
        assert response.status_code == 302, name

    round.refresh_from_db()
    assert [i.text for i in missing_content(round)] == []
    response = client.post(reverse("rapportering:report-finalise", args=[round.pk]))

    assert response.status_code == 302
    final = FinalReport.objects.get(round=round)
    lines = {
        s["key"]: [line["milestone"] for line in s["lines"]]
        for s in final.content["deviation_sections"]
    }
    assert cases["closed"].milestone.text in lines["closed"]
    assert cases["new_unexplained"].milestone.text in lines["new"]


def test_the_missing_list_is_grouped_by_directorate_then_kind_and_leads_back(
    client, year_2020, coordinator
):
    plan, cases = year_2020
    round = open_round(plan, coordinator, year=2020, summary="Sammendrag", challenges="Kapasitet")
    client.force_login(coordinator)

    page = client.get(round.get_absolute_url()).content.decode()

    missing = missing_content(round)
    for group in missing.groups:
        assert f'id="{group.anchor}"' in page
        for _kind, entries in group.by_kind:
            for _item, url in entries:
                assert url.replace("&", "&amp;") in page
                assert f"neste=%2Frapport%2F{round.pk}%2F%23{group.anchor}" in url
    occurrence = cases["unassessed"]
    group, url = next(
        (group, url)
        for group in missing.groups
        for _kind, entries in group.by_kind
        for item, url in entries
        if item.path == status_url(occurrence)
    )
    assert group.directorate is not None

    response = client.post(
        url,
        {
            "version": occurrence.version,
            "status": "in_progress",
            "assessment": "green",
            "comment": "",
        },
    )

    assert response.status_code == 302
    assert (
        response["Location"] == f"{round.get_absolute_url()}?lagret={occurrence.pk}#{group.anchor}"
    )
    landed = client.get(response["Location"]).content.decode()
    assert "Den er ikke lenger på listen." in landed
