"""A measure's health in a plan year: one rule, in SQL and in Python, agreeing everywhere."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from rapportering.states import occurrence_states
from tests.factories import occurrence
from tiltak.history import acting_as
from tiltak.models import Health, Measure, Milestone, Occurrence, Plan, health_of

pytestmark = pytest.mark.django_db

TODAY = date(2019, 7, 1)
PLAN = "handlingsplan-2018-2020"


def set_state(occ, **values):
    for name, value in values.items():
        setattr(occ, name, value)
    occ.save()


@pytest.fixture
def varied(seeded_plans, coordinator):
    """Measures of the 2018–2020 plan in each health for 2019 (as of TODAY)."""
    with acting_as(coordinator):
        for occ in Occurrence.objects.filter(
            milestone__measure__plan__slug=PLAN, milestone__measure__number="1", year=2019
        ):
            set_state(occ, status=Occurrence.Status.COMPLETED)
        set_state(occurrence("2", year=2019), assessment=Occurrence.Assessment.YELLOW)
        set_state(occurrence("3", year=2019), status=Occurrence.Status.POSTPONED)
        set_state(occurrence("4", year=2019), status=Occurrence.Status.IN_PROGRESS)
        set_state(occurrence("5", year=2019), assessment=Occurrence.Assessment.RED)


def python_healths(plan, year, today, as_of=None):
    """Every measure's health by the Python rule, from the states as of `as_of`."""
    measure_of = dict(Milestone.objects.filter(measure__plan=plan).values_list("pk", "measure"))
    states = {}
    for state in occurrence_states(as_of).filter(milestone__measure__plan=plan, year=year):
        states.setdefault(measure_of[state.milestone_id], []).append(state)
    return {
        measure.pk: health_of(states.get(measure.pk, []), today)
        for measure in Measure.objects.filter(plan=plan)
    }


def sql_healths(plan, year, today, as_of=None):
    return dict(
        Measure.objects.filter(plan=plan)
        .with_health(year, today, states=occurrence_states(as_of) if as_of else None)
        .values_list("pk", "health")
    )


def test_sql_and_python_agree_on_every_plan_and_year(varied):
    seen = set()
    for plan in Plan.objects.all():
        for year in plan.years:
            for today in (date(2019, 1, 2), TODAY, date(2025, 1, 1)):
                python = python_healths(plan, year, today)
                assert sql_healths(plan, year, today) == python
                seen |= set(python.values())
    assert seen == set(Health.values)


def test_sql_and_python_agree_as_of_a_past_day(varied):
    plan = Plan.objects.get(slug=PLAN)
    # The plan was imported ten days ago, its statuses set today.
    Occurrence.history.filter(history_type="+").update(
        history_date=timezone.now() - timedelta(days=10)
    )
    last_week = timezone.localdate() - timedelta(days=7)
    for as_of in (last_week, timezone.localdate()):
        python = python_healths(plan, 2019, TODAY, as_of)
        assert sql_healths(plan, 2019, TODAY, as_of) == python
    then = python_healths(plan, 2019, TODAY, last_week)
    assert set(then.values()) == {Health.DEVIATION, Health.NOT_STARTED, Health.NOTHING_DUE}
    assert then != python_healths(plan, 2019, TODAY)


def test_the_rule_and_its_precedence(varied):
    plan = Plan.objects.get(slug=PLAN)
    healths = {
        m.number: m.health for m in Measure.objects.filter(plan=plan).with_health(2019, TODAY)
    }
    assert healths["1"] == Health.COMPLETED
    assert healths["2"] == Health.AT_RISK
    assert healths["3"] == Health.DEVIATION
    assert healths["5"] == Health.DEVIATION
    # A plan year with no occurrence of the measure: nothing due.
    assert Measure.objects.filter(plan=plan).with_health(2031, TODAY).first().health == (
        Health.NOTHING_DUE
    )


# Through HTTP: the tag on each page, the filter and the sort. Today the 2018–2020 plan has
# ended, so its health year is 2020, and every occurrence left open is overdue.


@pytest.fixture
def signed_in(client, reader, seeded_plans):
    client.force_login(reader)
    return client


def complete_measure_in_2020(number):
    for occ in Occurrence.objects.filter(
        milestone__measure__plan__slug=PLAN, milestone__measure__number=number, year=2020
    ):
        occ.status = Occurrence.Status.COMPLETED
        occ.save()


def listed(client, **params):
    """The (number, health tag text) pairs of the measures list's first page."""
    response = client.get(reverse("tiltak:measure-list"), params)
    assert response.status_code == 200
    return re.findall(
        r'href="/tiltak/\d+/">(\S+) .*?<span class="ds-tag health-tag" data-color="(\w+)"'
        r' data-size="sm">([^<]+)</span>',
        response.content.decode(),
        re.S,
    )


def test_the_measures_list_shows_each_measures_health_as_a_tag(signed_in):
    complete_measure_in_2020("6")

    rows = {number: (color, text) for number, color, text in listed(signed_in)}

    assert rows["6"] == ("success", "Fullført")
    assert rows["3"] == ("danger", "Avvik")


def test_the_measures_list_filters_and_sorts_by_health(signed_in):
    complete_measure_in_2020("6")
    complete_measure_in_2020("3")

    completed = listed(signed_in, health="completed", plan=PLAN)
    assert [number for number, _color, _text in completed] == ["3", "6"]
    assert {text for _n, _c, text in completed} == {"Fullført"}

    by_health = [text for _n, _c, text in listed(signed_in, plan=PLAN, sort="health")]
    order = ["Avvik", "Risiko", "Ikke påbegynt", "I rute", "Fullført", "Ingenting forfalt"]
    assert by_health == sorted(by_health, key=order.index)
    assert by_health[0] == "Avvik"
    assert by_health.count("Fullført") == 2


def test_the_measure_page_shows_its_health_in_the_header(signed_in):
    complete_measure_in_2020("6")
    page = signed_in.get(Measure.objects.get(plan__slug=PLAN, number="6").get_absolute_url())
    html = page.content.decode()
    header = html[html.index("<h1") : html.index('class="facts"')]

    assert "Samlet status i 2020:" in header
    assert 'data-color="success" data-size="sm">Fullført</span>' in header


def test_the_plan_page_shows_each_measures_health(signed_in):
    complete_measure_in_2020("6")
    plan = Plan.objects.get(slug=PLAN)

    html = signed_in.get(plan.get_absolute_url()).content.decode()
    tags = dict(
        re.findall(
            r'id="measure-\d+"><a[^>]*>Tiltak ([\d.]+):.*?Samlet status i 2020:</span> '
            r'<span class="ds-tag health-tag" data-color="\w+" data-size="sm">([^<]+)</span>',
            html,
            re.S,
        )
    )

    assert len(tags) == Measure.objects.filter(plan=plan).count()
    assert tags["6"] == "Fullført"
    assert tags["3"] == "Avvik"


# An occurrence's state: one tag, the same on the measure page, the plan page and My
# directorate. Measure 6 (AVdir leads it) falls due 30 June 2018 among others; today it is long
# overdue.

OVERDUE_TAG = (
    '<span class="ds-tag occurrence-state" data-color="danger" data-size="sm">'
    "Forsinket siden {}</span>"
)


def first_of_measure_6():
    return occurrence("6")


@pytest.mark.parametrize("page", ["measure", "plan", "my directorate"])
def test_an_overdue_occurrence_is_shown_as_overdue_since_its_due_date(
    client, directorate_user, seeded_plans, page
):
    overdue = first_of_measure_6()
    client.force_login(directorate_user)
    url = {
        "measure": overdue.milestone.measure.get_absolute_url(),
        "plan": overdue.milestone.measure.plan.get_absolute_url(),
        "my directorate": reverse("tiltak:my-directorate"),
    }[page]

    html = client.get(url).content.decode()

    # My directorate lists the most overdue first (31 January 2015); a measure's pages, all.
    since = overdue.due_date.strftime("%d.%m.%Y") if page != "my directorate" else "31.01.2015"
    assert re.search(OVERDUE_TAG.format(since), html)


def test_postponed_and_assessed_red_are_not_shown_as_overdue(
    client, directorate_user, seeded_plans
):
    postponed = first_of_measure_6()
    postponed.status = Occurrence.Status.POSTPONED
    postponed.new_date = date(2099, 1, 1)
    postponed.assessment = Occurrence.Assessment.RED
    postponed.save()
    client.force_login(directorate_user)

    html = client.get(postponed.milestone.measure.get_absolute_url()).content.decode()
    row = html[html.index(f'id="occurrence-{postponed.pk}"') :]
    row = row[: row.index("</tr>")]

    assert 'data-color="warning" data-size="sm">Utsatt</span>' in row
    assert "Forsinket" not in row
    assert ">Rød: avvik</span>" in row


def test_my_directorate_shows_the_health_of_each_of_our_measures(
    client, seeded_plans, directorate_user
):
    client.force_login(directorate_user)

    content = client.get(reverse("tiltak:my-directorate")).content.decode()

    ours = content.split('id="measures-heading"')[1]
    rows = re.findall(
        r'href="/tiltak/(\d+)/">.*?<span class="ds-tag health-tag" data-color="\w+"'
        r' data-size="sm">([^<]+)</span>',
        ours,
        re.S,
    )
    assert rows
    for pk, label in rows:
        assert label == Measure.objects.get(pk=pk).health_in().label


def test_finalising_a_report_records_each_measures_health_of_its_year(ready_round, coordinator):
    from rapportering.services import report_finalise
    from tiltak.models import HealthRecord

    final = report_finalise(round_id=ready_round.pk, user=coordinator)

    recorded = {
        r.measure_id: r.health for r in HealthRecord.objects.filter(measure__plan=ready_round.plan)
    }
    expected = dict(
        Measure.objects.filter(plan=ready_round.plan)
        .with_health(year=ready_round.year)
        .values_list("pk", "health")
    )
    assert recorded == expected
    record = HealthRecord.objects.filter(measure__plan=ready_round.plan).first()
    assert (record.year, record.recorded_at) == (ready_round.year, final.finalised_at)
    assert record.occasion == f"rapporten for {ready_round.year}"


@pytest.mark.parametrize(
    ("then", "words"),
    [
        ("on_track", "verre enn i rapporten for 2019 (i rute)"),
        ("deviation", "som i rapporten for 2019"),
    ],
)
def test_the_pages_say_how_the_health_changed_since_the_last_report(
    client, seeded_plans, reader, then, words
):
    from tiltak.models import HealthRecord

    target = Measure.objects.get(plan__slug=PLAN, number="6")
    assert target.health_in() == Health.DEVIATION  # the plan ended years ago: overdue
    HealthRecord.objects.create(
        measure=target,
        year=2019,
        health=then,
        occasion="rapporten for 2019",
        recorded_at=timezone.now() - timedelta(days=400),
    )
    client.force_login(reader)

    for url in (
        target.get_absolute_url(),
        target.plan.get_absolute_url(),
        reverse("tiltak:measure-list") + f"?plan={PLAN}",
    ):
        content = client.get(url).content.decode()
        assert words in content, url
