"""What a report round still lacks, and how far each directorate has come with it."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from rapportering.models import Contribution, ReportRound
from tiltak import clock
from tiltak.formatting import short_date
from tiltak.models import Measure, Occurrence, Plan, incomplete_deviation_condition
from tiltak.selectors import plans_participation


@dataclass(frozen=True)
class Missing:
    """One thing that must be in place before the report can be finalised, and where to
    put it in place."""

    text: str
    url: str


@dataclass
class Progress:
    """A directorate's contributions to a round: how many of its measures are delivered."""

    directorate: object
    delivered: int
    expected: int

    @property
    def done(self):
        return self.delivered == self.expected


def delivered_pairs(round):
    return set(
        round.contributions.filter(delivered_at__isnull=False).values_list(
            "measure_id", "directorate_id"
        )
    )


def contribution_progress(round):
    """A `Progress` per directorate taking part in the plan, in the order of their names."""
    return _progress(round.participants, delivered_pairs(round))


def _progress(participation, delivered):
    progress = {}
    for measure_id, directorate in participation.pairs():
        entry = progress.setdefault(directorate.pk, Progress(directorate, 0, 0))
        entry.expected += 1
        entry.delivered += (measure_id, directorate.pk) in delivered
    return sorted(progress.values(), key=lambda entry: entry.directorate.name)


def next_undelivered(round, directorate):
    """The first measure of `round`, in the plan's order, on which `directorate` has not
    delivered its contribution, or None when it has delivered them all."""
    delivered = delivered_pairs(round)
    return next(
        (
            measure_id
            for measure_id in round.participants.measures_of(directorate)
            if (measure_id, directorate.pk) not in delivered
        ),
        None,
    )


# The home pages show this many open rounds, the most urgent first, and link to the rest.
ROUNDS_SHOWN = 3


def open_rounds():
    """The rounds not finalised of active plans, the earliest internal deadline first."""
    return (
        ReportRound.objects.exclude(state=ReportRound.State.FINALISED)
        .filter(plan__state=Plan.State.ACTIVE)
        .select_related("plan")
        .order_by("internal_deadline", "pk")
    )


def most_urgent_rounds():
    """(the `ROUNDS_SHOWN` most urgent open rounds; how many rounds are open)."""
    rounds = open_rounds()
    return list(rounds[:ROUNDS_SHOWN]), rounds.count()


@dataclass
class RoundProgress:
    """An open round on the coordinator's home: each directorate's `Progress`, and whether
    the round's internal deadline has passed."""

    round: object
    progress: list
    deadline_passed: bool


def rounds_progress(today=None):
    """(the `ROUNDS_SHOWN` most urgent open rounds, each a `RoundProgress`; how many are open),
    in a fixed number of queries."""
    today = today or clock.today()
    shown, open_count = most_urgent_rounds()
    participation = plans_participation(Plan.objects.filter(pk__in={r.plan_id for r in shown}))
    delivered = {}
    for round_id, measure_id, directorate_id in (
        Contribution.objects.filter(round__in=shown, delivered_at__isnull=False)
        .order_by()
        .values_list("round_id", "measure_id", "directorate_id")
    ):
        delivered.setdefault(round_id, set()).add((measure_id, directorate_id))
    return [
        RoundProgress(
            round,
            _progress(participation[round.plan_id], delivered.get(round.pk, set())),
            round.internal_deadline < today,
        )
        for round in shown
    ], open_count


@dataclass
class RoundTask:
    """A directorate's contributions to an open round: delivered of due, and the first of its
    measures not delivered (None when all are)."""

    round: object
    directorate_id: int
    delivered: int
    expected: int
    next_measure_id: object
    days_left: int  # to the internal deadline; negative once it has passed

    @property
    def days_past(self):
        """Days since the internal deadline passed."""
        return -self.days_left

    @property
    def next_url(self):
        return reverse(
            "rapportering:contribution",
            args=[self.round.pk, self.next_measure_id, self.directorate_id],
        )


def directorate_round_tasks(directorate, today=None):
    """(a `RoundTask` for each of the `ROUNDS_SHOWN` most urgent open rounds, the earliest
    internal deadline first, that `directorate` takes part in; how many rounds are open), in
    a fixed number of queries."""
    today = today or clock.today()
    shown, open_count = most_urgent_rounds()
    taking_part = {}
    for plan_id, measure_id in (
        Measure.objects.involving(directorate)
        .filter(plan__in={r.plan_id for r in shown})
        .order_by("position")
        .values_list("plan_id", "pk")
        .distinct()
    ):
        taking_part.setdefault(plan_id, []).append(measure_id)
    delivered = set(
        Contribution.objects.filter(
            round__in=shown, directorate=directorate, delivered_at__isnull=False
        )
        .order_by()
        .values_list("round_id", "measure_id")
    )
    tasks = []
    for round in shown:
        measures = taking_part.get(round.plan_id)
        if not measures:  # a plan the directorate has no part in
            continue
        waiting = [m for m in measures if (round.pk, m) not in delivered]
        tasks.append(
            RoundTask(
                round,
                directorate.pk,
                len(measures) - len(waiting),
                len(measures),
                waiting[0] if waiting else None,
                (round.internal_deadline - today).days,
            )
        )
    return tasks, open_count


def missing_content(round, today=None):
    """Everything that blocks finalising `round`: the summary and the challenges, every
    contribution not delivered, and every deviation of the year without a cause or (while
    open) a new date. Empty when the report can be finalised."""
    today = today or clock.today()
    compile_url = reverse("rapportering:report-compile", args=[round.pk])
    missing = []
    if not round.summary.strip():
        missing.append(Missing(_("The summary is not written."), compile_url))
    if not round.challenges.strip():
        missing.append(Missing(_("The challenges are not described."), compile_url))
    delivered = delivered_pairs(round)
    participants = round.participants
    measures = Measure.objects.in_bulk(participants.keys())
    for measure_id, directorate in participants.pairs():
        if (measure_id, directorate.pk) not in delivered:
            missing.append(
                Missing(
                    _("%(directorate)s has not delivered its contribution on measure %(number)s.")
                    % {"directorate": directorate.name, "number": measures[measure_id].number},
                    reverse(
                        "rapportering:contribution", args=[round.pk, measure_id, directorate.pk]
                    ),
                )
            )
    deviations = (
        Occurrence.objects.filter(milestone__measure__plan=round.plan_id, year=round.year)
        .with_deviation(today)
        .filter(incomplete_deviation_condition())
        .select_related("milestone__measure")
        .order_by("milestone__measure__position", "milestone__position", "planned_date")
    )
    for occurrence in deviations:
        lacks = (
            _("a cause and a new date")
            if not occurrence.deviation_cause and occurrence.new_date is None and occurrence.is_open
            else _("a cause")
            if not occurrence.deviation_cause
            else _("a new date")
        )
        missing.append(
            Missing(
                _(
                    "The deviation on measure %(number)s, «%(milestone)s» (%(due)s), lacks "
                    "%(lacks)s."
                )
                % {
                    "number": occurrence.milestone.measure.number,
                    "milestone": Truncator(occurrence.milestone.text).words(12),
                    "due": short_date(occurrence.planned_date) or occurrence.year,
                    "lacks": lacks,
                },
                reverse("tiltak:occurrence-status", args=[occurrence.pk]),
            )
        )
    return missing
