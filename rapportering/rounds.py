"""What a report round still lacks, and how far each directorate has come with it."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from tiltak import clock
from tiltak.formatting import short_date
from tiltak.models import Measure, Occurrence, incomplete_deviation_condition


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
    delivered = delivered_pairs(round)
    progress = {}
    for measure_id, directorate in round.participants.pairs():
        entry = progress.setdefault(directorate.pk, Progress(directorate, 0, 0))
        entry.expected += 1
        entry.delivered += (measure_id, directorate.pk) in delivered
    return sorted(progress.values(), key=lambda entry: entry.directorate.name)


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
