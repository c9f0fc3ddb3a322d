"""The states of occurrences, now or as of a past day, read, marked and counted: the layer
the dashboards and the yearly report both stand on.

A state is an occurrence as it is now, or, for a past date, the last version of the
occurrence in its history at the end of that day (`occurrence_states`). Both have the same
fields and are judged by the same rules of tiltak.models (the conditions, and
OccurrenceState), so a past picture is built exactly as today's is; `tiltak.models.marked`
reads whether a state meets a condition with the state's row, and `tallies` counts states
read already.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tiltak.models import Occurrence, concerning_condition, effective_due_date


@dataclass
class Tally:
    key: str
    label: str
    count: int


def end_of(day):
    """The first moment after `day`, in the application's time zone."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def occurrence_states(as_of=None):
    """The occurrences as they are, or as they stood at the end of the day `as_of`.

    A past state is the newest history row of each occurrence from before that moment,
    unless that row records its deletion. Its `id` is the occurrence's id.
    """
    if as_of is None:
        return Occurrence.objects.all()
    moment = end_of(as_of)
    newest = (
        Occurrence.history.filter(id=OuterRef("id"), history_date__lt=moment)
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    return Occurrence.history.filter(history_date__lt=moment, history_id=Subquery(newest)).exclude(
        history_type="-"
    )


def occurrences_of(plan, year, directorate=None, as_of=None):
    """The occurrence states an overview counts: the plan's in `year`, or one directorate's."""
    states = occurrence_states(as_of).filter(milestone__measure__plan=plan, year=year)
    if directorate is not None:
        states = states.filter(concerning_condition(directorate))
    return with_due_date(states)


def with_due_date(states):
    """The states with `effective_due_date` annotated, as `OccurrenceQuerySet.with_due_date`
    does; history rows have no such method."""
    return states.annotate(effective_due_date=effective_due_date())


def tallies(states):
    """The occurrence states (read already) counted by status and by assessment."""
    statuses = Counter(state.status for state in states)
    assessments = Counter(state.assessment for state in states)
    by_status = [Tally(key, label, statuses[key]) for key, label in Occurrence.Status.choices]
    by_assessment = [
        *(Tally(key, label, assessments[key]) for key, label in Occurrence.Assessment.choices),
        Tally("", _("Not assessed"), assessments[""]),
    ]
    return by_status, by_assessment
