"""The overview of a plan and year: the counts and lists the data implies."""

import re
from collections import Counter
from datetime import date

import pytest
from django.urls import reverse

from rapportering.dashboards import overview, per_goal
from tests.factories import occurrence
from tiltak import clock
from tiltak.models import Actor, Goal, Measure, Occurrence

pytestmark = pytest.mark.django_db

PLAN = "handlingsplan-2018-2020"
TODAY = date(2019, 7, 15)


@pytest.fixture
def reported(seeded_plans):
    """Four status updates in 2019; everything else of the year is not started."""
    updates = [
        (occurrence("3", date(2019, 6, 30)), {"status": "completed", "assessment": "green"}),
        (occurrence("4", date(2019, 6, 30)), {"status": "in_progress"}),  # overdue on 15 July
        (
            occurrence("6", date(2019, 12, 31)),
            {
                "status": "postponed",
                "assessment": "red",
                "new_date": date(2020, 3, 31),
                "deviation_cause": "Mangler midler",
                "corrective_action": "Søker i neste runde",
            },
        ),
        # continuous (no planned date):
        (occurrence("9", year=2019), {"status": "in_progress", "assessment": "green"}),
    ]
    for item, values in updates:
        for name, value in values.items():
            setattr(item, name, value)
        item.save()
    return seeded_plans[PLAN]


def test_counts_by_status_and_assessment(reported):
    data = overview(plan=reported, year=2019, today=TODAY)

    assert data.total == 15  # 8 dated occurrences in 2019 and 7 continuous ones
    assert {t.key: t.count for t in data.by_status} == {
        "not_started": 11, "in_progress": 2, "completed": 1, "postponed": 1, "cancelled": 0,
    }  # fmt: skip
    assert {t.key: t.count for t in data.by_assessment} == {
        "green": 2,
        "yellow": 0,
        "red": 1,
        "": 12,
    }


def test_lists_of_deviations_overdue_due_soon_and_not_assessed(reported):
    data = overview(plan=reported, year=2019, today=TODAY)

    assert [(o.milestone.measure.number, o.planned_date) for o in data.deviations] == [
        ("4", date(2019, 6, 30)),
        ("6", date(2019, 12, 31)),
    ]
    assert data.deviations[1].deviation_cause == "Mangler midler"
    assert [o.milestone.measure.number for o in data.overdue] == ["4"]
    assert [o.milestone.measure.number for o in data.due_soon] == ["15", "16", "17"]  # 1 October
    assert [o.milestone.measure.number for o in data.not_assessed] == [
        "1",
        "2",
        "5",
        "11",
        "12",
        "13",
    ]


def test_the_same_counts_per_directorate(reported):
    data = overview(plan=reported, year=2019, today=TODAY)

    rows = {
        r.group.short_name: (r.total, r.completed, r.deviations, r.overdue)
        for r in data.directorates
    }
    assert rows == {
        "HB": (15, 1, 2, 1),
        "AVdir": (11, 1, 2, 1),
        "Bufdir": (8, 1, 1, 1),
        "Hdir": (10, 1, 1, 1),
        "KDI": (8, 1, 1, 1),
        "IMDi": (9, 1, 2, 1),
    }


def test_the_default_year_is_this_year_while_the_plan_runs(seeded_plans):
    plan = seeded_plans[PLAN]
    assert plan.default_year(date(2019, 5, 1)) == 2019
    assert plan.default_year(date(2026, 11, 23)) == 2020
    assert plan.default_year(date(2017, 1, 1)) == 2018


def test_the_page_shows_the_chosen_plan_and_year(client, reported, reader):
    client.force_login(reader)

    response = client.get(reverse("rapportering:overview"), {"plan": PLAN, "ar": 2019})

    content = response.content.decode()
    assert response.status_code == 200
    assert "Oversikt: Handlingsplan Bolig for velferd 2018–2020, 2019" in content
    assert "15 milepælsforekomster dette året" in content
    assert "Mangler midler" in content
    assert '<option value="2019" selected>' in content


def test_the_page_defaults_to_the_newest_plan_and_a_year_of_it(client, seeded_plans, reader):
    client.force_login(reader)

    default = client.get(reverse("rapportering:overview")).content.decode()
    wrong_year = client.get(
        reverse("rapportering:overview"), {"plan": "tiltaksplan-2015", "ar": 2019}
    ).content.decode()

    assert "Oversikt: Handlingsplan Bolig for velferd 2018–2020, 2020" in default
    assert "Oversikt: Felles tiltaksplan Bolig for velferd 2015, 2015" in wrong_year
    # The selects show what the page shows, not an empty choice.
    assert f'<option value="{PLAN}" selected>' in default
    assert '<option value="2020" selected>' in default
    assert '<option value="tiltaksplan-2015" selected>' in wrong_year
    assert '<option value="2015" selected>' in wrong_year
    assert "---------" not in default


def test_the_page_takes_no_more_queries_with_a_larger_plan(
    client, reader, queries_for, larger_plan
):
    client.force_login(reader)
    small = queries_for(
        11, lambda: client.get(reverse("rapportering:overview"), {"plan": PLAN, "ar": 2019})
    )
    large = queries_for(
        11, lambda: client.get(reverse("rapportering:overview"), {"plan": "generert", "ar": 2022})
    )
    assert small == large


def test_a_directorates_overview_counts_only_its_share(reported):
    kdi = Actor.objects.get(short_name="KDI")

    data = overview(plan=reported, year=2019, directorate=kdi, today=TODAY)

    assert data.total == 8  # measures 1, 3, 4, 15, 16 and 17 in 2019
    assert [o.milestone.measure.number for o in data.deviations] == ["4"]  # 6 is not KDI's
    assert data.directorates == []


def test_the_directorate_page(client, reported, reader):
    client.force_login(reader)

    content = client.get(
        reverse("rapportering:overview"), {"plan": PLAN, "ar": 2019, "direktorat": "KDI"}
    ).content.decode()

    assert "Oversikt for KDI: Handlingsplan Bolig for velferd 2018–2020, 2019" in content
    assert "8 milepælsforekomster dette året" in content
    assert "Mangler midler" not in content


def test_counts_by_goal_include_priority_areas_under_their_main_goal(reported):
    Measure.objects.get(plan=reported, number="4").goals.add(Goal.objects.get(code="3a"))
    Measure.objects.get(plan=reported, number="6").goals.add(Goal.objects.get(code="3"))

    rows = {
        getattr(r.group, "code", str(r.group)): (r.total, r.completed, r.deviations, r.overdue)
        for r in per_goal(plan=reported, year=2019, today=TODAY)
    }

    assert rows["3a"] == (2, 0, 1, 1)  # measure 4: its two 2019 occurrences, one overdue
    assert rows["3"] == (3, 0, 2, 1)  # measure 6 directly, measure 4 through 3a
    assert rows["1"] == (0, 0, 0, 0)
    assert rows["Ikke knyttet til et mål"] == (12, 1, 0, 0)  # 15 less the three above


def test_the_goal_page(client, reported, reader):
    client.force_login(reader)

    content = client.get(
        reverse("rapportering:goal-overview"), {"plan": PLAN, "ar": 2019}
    ).content.decode()

    assert "Oversikt etter mål: Handlingsplan Bolig for velferd 2018–2020, 2019" in content
    assert "1a Hjelp fra midlertidig til varig bolig" in content
    assert "S Særlig innsats overfor barnefamilier og unge" in content


def at(day, hour=12):
    from datetime import datetime

    from django.utils import timezone

    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


@pytest.fixture
def timeline(seeded_plans, coordinator):
    """Imported on 1 January 2018; measure 3's first 2019 milestone completed on 1 May 2019,
    then reopened as postponed on 1 August 2019. (History rows are dated by hand.)"""
    plan = seeded_plans[PLAN]
    history = Occurrence.history.model
    history.objects.filter(milestone__measure__plan=plan).update(history_date=at(date(2018, 1, 1)))
    target = occurrence("3", date(2019, 6, 30))
    for when, values in [
        (date(2019, 5, 1), {"status": "completed", "assessment": "green"}),
        (
            date(2019, 8, 1),
            {
                "status": "postponed",
                "new_date": date(2019, 11, 30),
                "deviation_cause": "Ny vurdering",
            },
        ),
    ]:
        for name, value in values.items():
            setattr(target, name, value)
        target.save()
        history.objects.filter(pk=target.history.latest().pk).update(history_date=at(when))
    return plan


def test_as_of_a_date_the_overview_shows_the_state_of_that_day(timeline):
    june = overview(plan=timeline, year=2019, as_of=date(2019, 6, 15))
    september = overview(plan=timeline, year=2019, as_of=date(2019, 9, 1))
    now = overview(plan=timeline, year=2019)

    counts = {t.key: t.count for t in june.by_status}
    assert (counts["completed"], counts["postponed"]) == (1, 0)
    assert june.deviations == []  # nothing was late yet on 15 June
    assert [o.milestone.measure.number for o in june.due_soon] == ["4"]  # 3 was done already

    counts = {t.key: t.count for t in september.by_status}
    assert (counts["completed"], counts["postponed"]) == (0, 1)
    assert [o.milestone.measure.number for o in september.deviations] == ["3", "4"]
    assert september.deviations[0].deviation_cause == "Ny vurdering"
    assert {t.key: t.count for t in now.by_status}["postponed"] == 1


def test_as_of_a_day_before_anything_was_imported_there_is_nothing(timeline):
    assert overview(plan=timeline, year=2019, as_of=date(2017, 12, 31)).total == 0


def test_the_goal_overview_as_of_a_date(timeline):
    rows = {str(r.group): r for r in per_goal(plan=timeline, year=2019, as_of=date(2019, 6, 15))}
    assert rows["Ikke knyttet til et mål"].completed == 1
    rows = {str(r.group): r for r in per_goal(plan=timeline, year=2019, as_of=date(2019, 9, 1))}
    assert rows["Ikke knyttet til et mål"].completed == 0


def test_the_page_as_of_a_date_is_for_reading(client, timeline, coordinator):
    client.force_login(coordinator)

    past = client.get(
        reverse("rapportering:overview"), {"plan": PLAN, "ar": 2019, "per": "2019-06-15"}
    ).content.decode()
    present = client.get(
        reverse("rapportering:overview"), {"plan": PLAN, "ar": 2019}
    ).content.decode()

    assert "slik de var ved utgangen av 15.06.2019" in past
    assert "Oppdater status" not in past
    assert "Oppdater status" in present


def test_a_date_in_the_future_is_refused(client, seeded_plans, reader):
    client.force_login(reader)

    content = client.get(reverse("rapportering:overview"), {"per": "2999-01-01"}).content.decode()

    assert 'id="id_per_error"' in content


@pytest.mark.parametrize("page", ["overview", "goal-overview", "timeline"])
def test_a_day_before_the_history_begins_is_refused_with_the_day_it_begins(
    client, timeline, reader, page
):
    client.force_login(reader)

    content = client.get(
        reverse(f"rapportering:{page}"), {"plan": PLAN, "ar": 2019, "per": "2017-12-31"}
    ).content.decode()

    error = content.split('id="id_per_error">')[1].split("</p>")[0]
    assert error == (
        f"Historikken for {timeline.title} begynner 01.01.2018. Velg den dagen eller en senere."
    )
    assert "ved utgangen av 31.12.2017" not in content
    # The plan chosen stays chosen.
    assert f'<option value="{PLAN}" selected>' in content


def test_the_first_day_of_the_history_is_accepted(client, timeline, reader):
    client.force_login(reader)

    content = client.get(
        reverse("rapportering:overview"), {"plan": PLAN, "ar": 2019, "per": "2018-01-01"}
    ).content.decode()

    assert 'id="id_per_error"' not in content
    assert "slik de var ved utgangen av 01.01.2018" in content


def read_csv(response):
    import csv
    import io

    raw = response.content
    assert raw.startswith("\ufeff".encode())  # so that Excel reads UTF-8
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


def test_every_table_downloads_as_csv_with_the_same_filters(client, reported, reader):
    client.force_login(reader)
    page = {"plan": PLAN, "ar": 2019}

    for name in (
        "status",
        "vurdering",
        "direktorater",
        "avvik",
        "forsinket",
        "frist-snart",
        "ikke-vurdert",
    ):
        response = client.get(reverse("rapportering:overview"), {**page, "tabell": name})
        assert response.status_code == 200, name
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"] == f'attachment; filename="{PLAN}-2019-{name}.csv"'

    status = read_csv(client.get(reverse("rapportering:overview"), {**page, "tabell": "status"}))
    assert status[0] == ["Status", "Antall"]
    assert ["Fullført", "1"] in status
    deviations = read_csv(client.get(reverse("rapportering:overview"), {**page, "tabell": "avvik"}))
    assert deviations[0][-3:] == ["Årsak", "Konsekvens for måloppnåelsen", "Korrigerende tiltak"]
    expected = overview(
        plan=reported, year=2019
    ).deviations  # today: every open 2019 milestone is late
    assert [row[0] for row in deviations[1:]] == [o.milestone.measure.number for o in expected]
    row_of_6 = deviations[[row[0] for row in deviations].index("6")]
    assert row_of_6[:2] == ["6", "Læringsprosjekter"]
    assert "Mangler midler" in row_of_6


def test_the_download_follows_the_directorate_and_date_and_refuses_unknown_tables(
    client, reported, reader
):
    client.force_login(reader)

    kdi = client.get(
        reverse("rapportering:overview"),
        {"plan": PLAN, "ar": 2019, "direktorat": "KDI", "tabell": "status"},
    )
    unknown = client.get(
        reverse("rapportering:overview"), {"plan": PLAN, "ar": 2019, "tabell": "hemmelig"}
    )
    goals = client.get(
        reverse("rapportering:goal-overview"),
        {"plan": PLAN, "ar": 2019, "per": clock.today().isoformat(), "tabell": "mal"},
    )

    assert sum(int(row[1]) for row in read_csv(kdi)[1:]) == 8
    assert kdi["Content-Disposition"].endswith('2019-kdi-status.csv"')
    assert unknown.status_code == 404
    assert goals["Content-Disposition"].endswith(f'2019-{clock.today().isoformat()}-mal.csv"')
    assert read_csv(goals)[-1][0] == "Ikke knyttet til et mål"


def test_the_page_links_to_its_downloads(client, reported, reader):
    client.force_login(reader)

    content = client.get(
        reverse("rapportering:overview"), {"plan": PLAN, "ar": 2019}
    ).content.decode()

    assert f'href="?plan={PLAN}&amp;ar=2019&amp;tabell=avvik"' in content


def test_charts_are_svg_with_a_title_and_the_numbers_as_text(client, reported, reader):
    client.force_login(reader)

    content = client.get(
        reverse("rapportering:overview"), {"plan": PLAN, "ar": 2019}
    ).content.decode()

    assert (
        '<svg class="chart" role="img" aria-labelledby="chart-status-title chart-status-desc"'
        in content
    )
    assert '<title id="chart-status-title">Milepæler etter status</title>' in content
    assert (
        '<desc id="chart-status-desc">Ikke startet: 11; Pågår: 2; Fullført: 1; Utsatt: 1; Avlyst: 0</desc>'
        in content
    )
    assert (
        '<desc id="chart-assessment-desc">Grønn: i rute: 2; Gul: risiko for avvik: 0; Rød: avvik: 1; Ikke vurdert: 12</desc>'
        in content
    )
    assert "<script" not in content.split("<main")[1]  # no chart JavaScript


def test_a_bar_is_as_long_as_its_share_of_the_largest():
    from rapportering.charts import BAR_AREA, bar_chart
    from rapportering.states import Tally

    chart = bar_chart("x", "X", [Tally("a", "A", 10), Tally("b", "B", 5), Tally("c", "C", 0)])

    assert [bar.width for bar in chart.bars] == [BAR_AREA, BAR_AREA // 2, 0]
    assert chart.description == "A: 10; B: 5; C: 0"


@pytest.fixture
def moved(seeded_plans):
    """Measure 8's first milestone, due 31 March 2018, postponed to 30 September 2018."""
    moved = occurrence("8", date(2018, 3, 31), year=2018)
    moved.status, moved.new_date = "postponed", date(2018, 9, 30)
    moved.save()
    return moved


def test_the_timeline_places_each_occurrence_in_its_quarter(seeded_plans, moved):
    from rapportering.dashboards import timeline

    data = timeline(plan=seeded_plans[PLAN])

    labels = [(q.year, q.number) for q in data.quarters]
    assert labels[0] == (2018, 1)
    assert labels[-1] == (2020, 4)
    assert len(labels) == 12
    rows = {row.measure.number: row for row in data.rows}
    filled = [(labels[i], len(cell)) for i, cell in enumerate(rows["3"].cells) if cell]
    assert filled == [
        ((2018, 2), 1),
        ((2018, 4), 1),
        ((2019, 2), 1),
        ((2019, 4), 1),
        ((2020, 2), 1),
        ((2020, 4), 1),
    ]
    assert [labels[i] for i, cell in enumerate(rows["8"].cells) if cell] == [
        (2018, 3)
    ]  # moved from Q1
    assert [state.year for state in rows["9"].continuous] == [2018, 2019, 2020]


def test_the_timeline_reaches_beyond_the_period_where_a_milestone_does(seeded_plans):
    from rapportering.dashboards import timeline

    data = timeline(plan=seeded_plans["tiltaksplan-2015"])

    assert [(q.year, q.number) for q in data.quarters][-1] == (2016, 4)  # "2. kvartal 2016"


def test_the_timeline_page(client, seeded_plans, reader, moved):
    client.force_login(reader)

    content = client.get(reverse("rapportering:timeline"), {"plan": PLAN}).content.decode()

    assert "Tidslinje: Handlingsplan Bolig for velferd 2018–2020" in content
    assert "3. kv. 2018" in content
    assert "30.09.2018 (opprinnelig 31.03.2018)" in content


def test_the_timeline_names_each_milestone_and_marks_an_overdue_one(
    client, seeded_plans, reader, moved
):
    client.force_login(reader)

    content = client.get(reverse("rapportering:timeline"), {"plan": PLAN}).content.decode()

    # Every dated milestone by name, beside its state; today the seeded plan is long over.
    overdue = occurrence("3", date(2018, 6, 30))
    item = content.split(f"<strong>30.06.2018</strong> {overdue.milestone.text}<br>")[1]
    assert item.split("</div>")[0].endswith("Forsinket siden 30.06.2018</span>")
    # Moved: noted in the quarter first planned.
    assert f"{moved.milestone.text}: opprinnelig 31.03.2018, flyttet til 30.09.2018" in content
    # A continuous milestone as a band over the years, one cell a year.
    band = content.split('<tr class="timeline-band">')[1].split("</tr>")[0]
    assert band.count('<td colspan="4">') == 3
    # The grid scrolls in its own named, focusable region.
    assert '<div class="table-wrap timeline-wrap" role="region" tabindex="0"' in content
    # The seeded plan ended years ago: no quarter holds today.
    assert 'class="is-today"' not in content


def test_the_timeline_marks_the_quarter_of_the_day_it_shows(timeline):
    from rapportering.dashboards import timeline as build

    june = build(plan=timeline, as_of=date(2019, 6, 15))

    assert [(q.year, q.number) for q in june.quarters if q.is_current] == [(2019, 2)]


def test_the_timeline_filters_by_directorate_and_health(client, seeded_plans, reader):
    from rapportering.dashboards import timeline as build

    plan = seeded_plans[PLAN]
    kdi = Actor.objects.get(short_name="KDI")
    client.force_login(reader)

    everything = build(plan=plan)
    of_kdi = build(plan=plan, directorate=kdi)
    deviating = build(plan=plan, health="deviation")
    page = client.get(
        reverse("rapportering:timeline"), {"plan": PLAN, "direktorat": "KDI", "helse": "deviation"}
    ).content.decode()

    assert [r.measure.number for r in of_kdi.rows] == [
        m.number for m in Measure.objects.filter(plan=plan).involving(kdi).order_by("position")
    ]
    assert 0 < len(of_kdi.rows) < len(everything.rows)
    assert deviating.rows
    assert all(r.measure.health == "deviation" for r in deviating.rows)
    shown = {r.measure.number for r in of_kdi.rows} & {r.measure.number for r in deviating.rows}
    assert (
        set(re.findall(r'<th scope="row" class="timeline-measure"><a [^>]*>(\w+) ', page)) == shown
    )


def test_the_timeline_as_of_a_date(timeline):
    from rapportering.dashboards import timeline as build

    june = build(plan=timeline, as_of=date(2019, 6, 15))
    row = next(r for r in june.rows if r.measure.number == "3")
    states = [s for cell in row.cells for s in cell if s.planned_date == date(2019, 6, 30)]
    assert [s.status for s in states] == ["completed"]


def test_the_timeline_takes_no_more_queries_with_a_larger_plan(
    client, reader, queries_for, larger_plan
):
    client.force_login(reader)
    small = queries_for(12, lambda: client.get(reverse("rapportering:timeline"), {"plan": PLAN}))
    large = queries_for(
        12, lambda: client.get(reverse("rapportering:timeline"), {"plan": "generert"})
    )
    assert small == large


def test_the_timeline_downloads_as_csv(client, seeded_plans, reader):
    client.force_login(reader)

    rows = read_csv(
        client.get(reverse("rapportering:timeline"), {"plan": PLAN, "tabell": "tidslinje"})
    )

    assert rows[0][:3] == ["Tiltak", "1. kv. 2018", "2. kv. 2018"]
    assert rows[0][-1] == "Fortløpende"
    row_3 = next(row for row in rows if row[0].startswith("3 "))
    assert row_3[2] == "30.06.2018: Ikke startet"
    row_9 = next(row for row in rows if row[0].startswith("9 "))
    assert row_9[-1] == "2018: Ikke startet\n2019: Ikke startet\n2020: Ikke startet"


def test_the_goal_page_takes_no_more_queries_with_a_larger_plan(
    client, reader, queries_for, larger_plan
):
    client.force_login(reader)
    small = queries_for(
        25, lambda: client.get(reverse("rapportering:goal-overview"), {"plan": PLAN, "ar": 2019})
    )
    large = queries_for(
        25,
        lambda: client.get(reverse("rapportering:goal-overview"), {"plan": "generert", "ar": 2022}),
    )
    assert small == large


def test_each_directorate_sees_the_health_of_its_measures_by_the_database_rule(seeded_plans):
    plan = seeded_plans[PLAN]

    rows = overview(plan=plan, year=2019).directorates

    for row in rows:
        expected = Counter(
            Measure.objects.filter(plan=plan)
            .involving(row.group)
            .with_health(year=2019)
            .values_list("health", flat=True)
        )
        assert {health.value: count for health, count in row.health} == expected
    assert any(row.health for row in rows)


def test_the_continuous_list_tells_none_assessed_from_none_at_all(client, seeded_plans, reader):
    client.force_login(reader)
    address = {"plan": PLAN, "ar": 2019}
    continuous = Occurrence.objects.filter(
        milestone__measure__plan__slug=PLAN, year=2019, planned_date__isnull=True
    )
    continuous.update(assessment="green")

    assessed = client.get(reverse("rapportering:overview"), address).content.decode()
    continuous.delete()
    none = client.get(reverse("rapportering:overview"), address).content.decode()

    assert "fortløpende milepæler i året er vurdert" in assessed
    assert "Ingen fortløpende milepæler hører til dette året." in none
    assert "milepæler i året er vurdert" not in none
