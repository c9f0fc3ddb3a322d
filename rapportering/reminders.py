"""What each directorate user is reminded of: contributions to the yearly report and
milestones, due soon or overdue."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth import get_user_model

from rapportering.models import ReportRound
from rapportering.rounds import delivered_pairs
from tiltak import clock
from tiltak.models import Actor, Measure, Occurrence
from tiltak.roles import Role

# A reminder lists at most this many milestones of each kind; the rest are counted.
LISTED = 15


@dataclass
class DirectorateReminder:
    """What one directorate must follow up; every user of it gets the same reminder."""

    directorate: Actor
    contributions: list = field(default_factory=list)  # (round, [measures]) pairs
    overdue: list = field(default_factory=list)
    overdue_count: int = 0
    due_soon: list = field(default_factory=list)
    due_soon_count: int = 0

    @property
    def is_empty(self):
        return not (self.contributions or self.overdue_count or self.due_soon_count)


def _missing_contributions(directorate, rounds):
    """(round, [measures without a delivered contribution of `directorate`]) per round."""
    result = []
    for round, participants, delivered in rounds:
        measure_ids = [
            measure_id
            for measure_id in participants.measures_of(directorate)
            if (measure_id, directorate.pk) not in delivered
        ]
        if measure_ids:
            result.append((round, list(Measure.objects.filter(pk__in=measure_ids))))
    return result


def directorate_reminders(*, days, today=None):
    """A `DirectorateReminder` for every directorate with something to follow up: its
    contributions to report rounds whose internal deadline is within `days` days or past,
    and its milestones overdue or due within `days` days."""
    today = today or clock.today()
    rounds = [
        (round, round.participants, delivered_pairs(round))
        for round in ReportRound.objects.exclude(state=ReportRound.State.FINALISED)
        .filter(internal_deadline__lte=today + timedelta(days=days))
        .select_related("plan")
    ]
    reminders = []
    for directorate in Actor.objects.directorates():
        occurrences = (
            Occurrence.objects.of_active_plans()
            .concerning(directorate)
            .select_related("milestone__measure__plan")
        )
        overdue = occurrences.overdue(today).order_by("-effective_due_date", "pk")
        due_soon = occurrences.due_within(days, today).order_by("effective_due_date", "pk")
        reminder = DirectorateReminder(
            directorate=directorate,
            contributions=_missing_contributions(directorate, rounds),
            overdue=list(overdue[:LISTED]),
            overdue_count=overdue.count(),
            due_soon=list(due_soon[:LISTED]),
            due_soon_count=due_soon.count(),
        )
        if not reminder.is_empty:
            reminders.append(reminder)
    return reminders


def recipients(directorate):
    """The active directorate users of `directorate` who have an email address."""
    return (
        get_user_model()
        .objects.filter(directorate=directorate, is_active=True, groups__name=Role.DIRECTORATE)
        .exclude(email="")
        .order_by("username")
    )
