"""generate_demo_data: synthetic copies of the seeded plans, with history, reproducibly."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from rapportering.demo_data import DEMO_PREFIX, generate
from rapportering.models import Contribution, ReportRound
from tiltak.models import Measure, Milestone, Occurrence, Plan

pytestmark = pytest.mark.django_db


def size(plans):
    return (
        plans.count(),
        Measure.objects.filter(plan__in=plans).count(),
        Milestone.objects.filter(measure__plan__in=plans).count(),
        Occurrence.objects.filter(milestone__measure__plan__in=plans).count(),
    )


def test_scale_n_makes_n_copies_of_the_seeded_plans_with_their_history(seeded_plans, capsys):
    seeded = size(Plan.objects.all())

    call_command("generate_demo_data", "--scale", "3")

    demo = Plan.objects.filter(slug__startswith=DEMO_PREFIX)
    assert size(demo) == tuple(3 * n for n in seeded)
    assert "Made 6 plans" in capsys.readouterr().out
    occurrences = Occurrence.objects.filter(milestone__measure__plan__in=demo)
    reported = occurrences.filter(version__gt=0)
    assert reported.count() > occurrences.count() / 2
    for occurrence in reported[:50]:
        history = list(occurrence.history.order_by("history_date"))
        assert [h.history_type for h in history] == ["+"] + ["~"] * occurrence.version
        assert history[0].status == Occurrence.Status.NOT_STARTED
        assert history[-1].status == occurrence.status
    rounds = ReportRound.objects.filter(plan__in=demo)
    past_years = sum(len(plan.years) for plan in seeded_plans.values())  # all before 2026
    assert rounds.count() == 3 * past_years
    assert Contribution.objects.filter(round__in=rounds, delivered_at__isnull=False).exists()


def fingerprint(seed):
    with transaction.atomic():
        generate(scale=1, seed=seed)
        states = list(
            Occurrence.objects.filter(milestone__measure__plan__slug__startswith=DEMO_PREFIX)
            .order_by("pk")  # made in the order of the seeded rows
            .values_list("status", "assessment", "new_date", "version")
        )
        transaction.set_rollback(True)
    return states


def test_the_same_seed_gives_the_same_data(seeded_plans):
    assert fingerprint(7) == fingerprint(7)
    assert fingerprint(7) != fingerprint(8)


def test_it_refuses_a_second_run_and_a_bad_scale(seeded_plans):
    call_command("generate_demo_data", "--scale", "1")

    with pytest.raises(CommandError, match="exist already"):
        call_command("generate_demo_data", "--scale", "1")
    with pytest.raises(CommandError, match="between 1 and 1000"):
        call_command("generate_demo_data", "--scale", "0")


def test_the_copies_spread_over_the_years_to_today_and_those_ended_are_closed(seeded_plans):
    generate(scale=12, today=date(2026, 11, 29))

    demo = Plan.objects.filter(slug__startswith=DEMO_PREFIX)
    copies_2015 = demo.filter(slug__endswith="tiltaksplan-2015").order_by("start")
    assert [plan.start.year for plan in copies_2015] == list(range(2015, 2027))
    ended = demo.filter(end__year__lt=2026)
    assert set(ended.values_list("state", flat=True)) == {Plan.State.CLOSED}
    assert set(demo.exclude(end__year__lt=2026).values_list("state", flat=True)) == {
        Plan.State.ACTIVE
    }
    assert not Occurrence.objects.filter(milestone__measure__plan__in=ended).open().exists()

    def years(plan):
        return set(
            Occurrence.objects.filter(milestone__measure__plan=plan).values_list("year", flat=True)
        )

    running = copies_2015.get(start__year=2026)
    assert years(running) == {year + 11 for year in years(seeded_plans["tiltaksplan-2015"])}
    closed = ended.first()
    assert [h.state for h in closed.history.order_by("history_date")] == ["active", "closed"]
