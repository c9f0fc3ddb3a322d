"""The demonstration: one clock the whole application asks, a banner while it is set, and a
history of the 2018–2020 plan as of the demo's date."""

import os
import subprocess
import sys
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from rapportering.models import ReportRound
from tests.factories import ROOT
from tests.test_security import PRODUCTION_ENV
from tiltak import clock
from tiltak.management.commands.seed_demo import demo_users
from tiltak.models import Occurrence, Plan
from tiltak.services import user_provision

pytestmark = pytest.mark.django_db

DEMO_DAY = date(2019, 9, 15)
BANNER = "Demo: datoen er satt til 15.9.2019, og statusene er demonstrasjonsdata."


@pytest.fixture
def demo(settings, seeded_plans):
    """The demo's date set and its users made, as `make run` does."""
    settings.DEMO_TODAY = DEMO_DAY
    for username, role, directorate in demo_users():
        user_provision(
            username=username, role=role, directorate_name=directorate, password="x" * 12
        )
    return seeded_plans["handlingsplan-2018-2020"]


def test_the_clock_is_the_local_date_unless_the_demo_sets_it(settings):
    settings.DEMO_TODAY = None
    assert clock.today() == timezone.localdate()
    assert not clock.is_demo()
    settings.DEMO_TODAY = DEMO_DAY
    assert clock.today() == DEMO_DAY
    assert clock.is_demo()


def test_every_page_says_so_while_the_demo_date_is_set(client, settings, coordinator):
    settings.DEMO_TODAY = DEMO_DAY
    assert BANNER in client.get(reverse("login")).content.decode()
    client.force_login(coordinator)
    assert BANNER in client.get(reverse("tiltak:measure-list")).content.decode()

    settings.DEMO_TODAY = None
    assert "Demo:" not in client.get(reverse("tiltak:measure-list")).content.decode()


def test_the_rules_follow_the_demo_date(client, demo, coordinator):
    """The overview chooses its year, and judges overdue, by the demo's date."""
    call_command("load_demo_history", verbosity=0)
    client.force_login(coordinator)

    page = client.get(reverse("rapportering:overview"), {"plan": demo.slug})

    assert page.context["data"].year == 2019
    overdue = Occurrence.objects.filter(milestone__measure__plan=demo).overdue()
    assert overdue.exists()
    assert all(o.due_date < DEMO_DAY for o in overdue)


def test_the_history_of_the_2018_2020_plan_as_of_the_demo_date(demo, capsys):
    call_command("load_demo_history")
    assert "Loaded the demonstration's history as of 2019-09-15" in capsys.readouterr().out

    occurrences = Occurrence.objects.filter(milestone__measure__plan=demo)
    # Status updates by the demo users, each in the history, none after the demo's date.
    reported = occurrences.filter(version__gt=0)
    assert reported.count() > occurrences.count() / 2
    history = Occurrence.history.filter(milestone__measure__plan=demo, history_type="~")
    assert history.count() == sum(o.version for o in reported)
    assert history.filter(history_user__directorate__isnull=False).exists()
    assert max(h.history_date for h in history).date() <= DEMO_DAY
    # Not due yet: nothing reported for 2020; deviations with their cause and action.
    assert not occurrences.filter(year=2020, version__gt=0).exists()
    deviations = occurrences.filter(status=Occurrence.Status.POSTPONED)
    assert deviations.exists()
    assert all(d.deviation_cause and d.corrective_action for d in deviations)
    assert occurrences.overdue(DEMO_DAY).exists()
    # A finalised 2018 report, finalised in September 2018; the 2019 round open, part delivered.
    round_2018 = ReportRound.objects.get(plan=demo, year=2018)
    assert round_2018.state == ReportRound.State.FINALISED
    assert round_2018.latest_version().finalised_at.date() == date(2018, 9, 25)
    round_2019 = ReportRound.objects.get(plan=demo, year=2019)
    assert round_2019.state == ReportRound.State.OPEN
    delivered = round_2019.contributions.filter(delivered_at__isnull=False).count()
    assert 0 < delivered < len(list(round_2019.participants.pairs()))
    # The 2015 plan closed by the coordinator in 2017, nothing of it left open.
    closed = Plan.objects.get(slug="tiltaksplan-2015")
    assert closed.state == Plan.State.CLOSED
    assert closed.history.get(state=Plan.State.CLOSED).history_date.date() == date(2017, 2, 1)
    assert not Occurrence.objects.filter(milestone__measure__plan=closed).open().exists()
    # The plan's own text is as imported.
    assert Plan.objects.get(pk=demo.pk).title == demo.title

    call_command("load_demo_history")
    assert "loaded already" in capsys.readouterr().out
    assert ReportRound.objects.filter(plan=demo).count() == 2


def test_the_history_needs_the_demo_date(settings, seeded_plans):
    settings.DEMO_TODAY = None
    with pytest.raises(CommandError, match="DEMO_TODAY"):
        call_command("load_demo_history")
    assert not ReportRound.objects.exists()


def test_production_refuses_a_demo_date():
    env = {**os.environ, **PRODUCTION_ENV, "DEMO_TODAY": "2019-09-15"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "DEMO_TODAY" in result.stderr
