"""The home page (`/`) per role: what needs the user now, in a fixed number of queries."""

import re

import pytest
from django.urls import reverse

from rapportering.services import report_finalise
from tests.factories import REPORTED_PLAN, deliver_one, occurrence, open_round
from tiltak import clock
from tiltak.models import Actor, Measure, Occurrence, Plan

pytestmark = pytest.mark.django_db


def test_a_directorate_user_is_told_what_it_has_not_delivered_and_reaches_the_next(
    client, seeded_plans, coordinator, directorate_user
):
    round = open_round(seeded_plans[REPORTED_PLAN], coordinator)
    avdir = directorate_user.directorate
    taking_part = round.participants.measures_of(avdir)
    first, second = taking_part[:2]
    deliver_one(round, first, directorate_user)
    client.force_login(directorate_user)

    content = client.get(reverse("home")).content.decode()

    undelivered = len(taking_part) - 1
    assert re.search(rf'<span class="figure">{undelivered}</span> bidrag ikke levert', content)
    assert f"1 av {len(taking_part)} bidrag levert." in content
    # The deadline (1.9.2019) passed years ago.
    assert "Fristen 1.9.2019 gikk ut for" in content
    next_url = reverse("rapportering:contribution", args=[round.pk, second, avdir.pk])
    assert f'href="{next_url}">Skriv neste bidrag</a>' in content
    assert client.get(next_url).status_code == 200


def test_without_an_open_round_the_directorate_home_says_so(client, seeded_plans, directorate_user):
    client.force_login(directorate_user)

    content = client.get(reverse("home")).content.decode()

    assert "Ingen rapportrunde er åpen for bidrag fra direktoratet ditt." in content
    assert re.search(r'<span class="figure">0</span> bidrag ikke levert', content)


def test_a_coordinator_sees_round_progress_and_deviations_lacking_a_cause(
    client, reported, coordinator
):
    round = open_round(reported, coordinator)
    lacking = occurrence("5", year=2019)
    lacking.status = "postponed"
    lacking.new_date = "2020-06-30"
    lacking.save()
    client.force_login(coordinator)

    content = client.get(reverse("home")).content.decode()

    assert "Åpne rapportrunder (1)" in content
    assert f'href="{round.get_absolute_url()}"' in content
    progress = re.findall(
        r"<td>(\w+)</td>\s*<td><progress[^>]*></progress> (\d+) av (\d+)", content
    )
    expected = {
        d.short_name: len(round.participants.measures_of(d))
        for d in Actor.objects.directorates()
        if round.participants.measures_of(d)
    }
    assert {name: int(total) for name, delivered, total in progress} == expected
    assert all(delivered == "0" for _name, delivered, _total in progress)
    assert "Forsinket</span>" in content  # the internal deadline of 2019 has passed
    assert "Avvik uten årsak eller korrigerende tiltak" in content
    assert lacking.milestone.text in content
    # The two deviations of `reported` have their cause and action: not listed.
    assert (
        occurrence("6", year=2019).milestone.text
        not in content.split("deviations-heading")[1].split("overdue-heading")[0]
    )


def test_the_coordinator_sees_each_directorates_overdue_by_the_database_rule(
    client, seeded_plans, coordinator
):
    client.force_login(coordinator)

    content = client.get(reverse("home")).content.decode()

    shown = content.split('id="overdue-heading"')[1].split("</section>")[0]
    figures = {
        name: count
        for count, name in re.findall(r'<span class="figure">(\d+)</span> (\w+)</li>', shown)
    }
    overdue = Occurrence.objects.of_active_plans().overdue(clock.today())
    expected = {
        d.short_name: str(overdue.concerning(d).count()) for d in Actor.objects.directorates()
    }
    assert figures == expected
    assert any(count != "0" for count in figures.values())  # the seeded plans ended long ago


def test_a_reader_sees_the_latest_finalised_report_with_its_files(
    client, ready_round, coordinator, reader
):
    final = report_finalise(round_id=ready_round.pk, user=coordinator)
    client.force_login(reader)

    content = client.get(reverse("home")).content.decode()

    assert f'href="{final.get_absolute_url()}"' in content
    for fmt in ("pdf", "docx", "xlsx", "csv"):
        assert reverse("rapportering:final-report-file", args=[final.pk, fmt]) in content
    # Each active plan's health in one line.
    for plan in Plan.objects.filter(state=Plan.State.ACTIVE):
        assert plan.title in content
    assert re.search(
        r'<span class="ds-tag health-tag" data-color="danger" data-size="sm">\d+ avvik</span>',
        content,
    )


@pytest.mark.parametrize("user", ["coordinator", "directorate_user", "reader", "admin_user"])
def test_each_home_takes_no_more_queries_with_more_data(
    client, seeded_plans, coordinator, queries_for, request, user
):
    client.force_login(request.getfixturevalue(user))
    open_round(seeded_plans[REPORTED_PLAN], coordinator)
    counts = [queries_for(20, lambda: client.get(reverse("home")))]
    larger = request.getfixturevalue("larger_plan")
    open_round(larger, coordinator, year=2022)
    counts.append(queries_for(20, lambda: client.get(reverse("home"))))
    assert counts[0] == counts[1]


def test_the_coordinator_is_offered_to_close_the_plans_whose_period_has_ended(
    client, seeded_plans, coordinator
):
    client.force_login(coordinator)

    content = client.get(reverse("home")).content.decode()

    for slug in ("tiltaksplan-2015", REPORTED_PLAN):  # both ended long before 2026
        assert f'href="{reverse("tiltak:plan-close", args=[slug])}"' in content
    seeded_plans["tiltaksplan-2015"].state = Plan.State.CLOSED
    seeded_plans["tiltaksplan-2015"].save()
    content = client.get(reverse("home")).content.decode()
    assert reverse("tiltak:plan-close", args=["tiltaksplan-2015"]) not in content


@pytest.mark.parametrize(
    ("address", "narrow"),
    [
        ({}, lambda listed, avdir: listed),
        (
            {"plan": "tiltaksplan-2015"},
            lambda listed, avdir: listed.filter(milestone__measure__plan__slug="tiltaksplan-2015"),
        ),
        ({"rolle": "lead"}, lambda listed, avdir: listed.in_role(avdir, "lead")),
        ({"rolle": "contributor"}, lambda listed, avdir: listed.in_role(avdir, "contributor")),
    ],
)
def test_the_work_lists_narrow_to_a_plan_and_to_our_role(
    client, seeded_plans, directorate_user, address, narrow
):
    avdir = directorate_user.directorate
    client.force_login(directorate_user)

    content = client.get(reverse("home"), address).content.decode()

    listed = narrow(Occurrence.objects.of_active_plans().concerning(avdir), avdir)
    expected = listed.overdue(clock.today()).count()
    assert re.search(rf'id="overdue-heading">Forsinket \({expected}\)</h2>', content)
    assert expected > 0
    if address:  # each narrows the lists
        assert expected < Occurrence.objects.of_active_plans().concerning(avdir).overdue().count()
    for value in address.values():
        assert f'<option value="{value}" selected>' in content


def test_the_directorate_home_shows_each_listed_measures_health(
    client, seeded_plans, directorate_user
):
    client.force_login(directorate_user)

    content = client.get(reverse("home")).content.decode()

    listed = content.split('id="overdue-heading"')[1].split("</section>")[0]
    rows = re.findall(
        r'href="/tiltak/(\d+)/">[^<]*</a> <span class="ds-tag health-tag" data-color="\w+"'
        r' data-size="sm">([^<]+)</span>',
        listed,
    )
    assert rows
    for pk, label in rows:
        assert label == Measure.objects.get(pk=pk).health_in().label
