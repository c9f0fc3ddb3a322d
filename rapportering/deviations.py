"""Which deviations the yearly report shows: the one definition behind the report's three
deviation sections, the gate that refuses to finalise an incomplete report, the missing list
and the reminders.

The report for a year looks at the plan's milestone occurrences of that year and earlier,
from the end of the previous year (the *start*) to the end of the report year, or today while
the year is not over (the *end*). Whether an occurrence has a deviation is the one rule of
`Occurrence.has_deviation` (postponed, cancelled, moved, assessed red or overdue), applied to
its state through the year as its history records it; before its first history row (data
imported or entered later than the period), as planned: not started, with no new date. A
deviation is *open* while the milestone itself is open (not completed or cancelled).

- **New in the year**: not an open deviation at the start, and in deviation at some moment in
  the year, newly (it had none at the start) or open again. It may have closed again since.
- **Still open**: an open deviation at the start and at the end.
- **Closed in the year**: an open deviation at some moment from the start to the end, and
  not at the end (completed, cancelled or back on its plan).

A deviation that opened and closed within the year is both new and closed, and shown in both.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from django.utils import timezone

from rapportering.states import end_of, occurrence_states
from tiltak import clock
from tiltak.models import Occurrence


@dataclass
class DeviationSections:
    """The occurrences (now, as `Occurrence` rows) in each section, in the plan's order."""

    new: list = field(default_factory=list)
    still_open: list = field(default_factory=list)
    closed: list = field(default_factory=list)

    def shown(self):
        """Every occurrence the report shows as a deviation, each once, in the plan's order."""
        seen = {}
        for occurrence in [*self.new, *self.still_open, *self.closed]:
            seen.setdefault(occurrence.pk, occurrence)
        return sorted(seen.values(), key=_plan_order)


def report_period(year, today=None):
    """(start, end) of the report for `year`: the end of the previous year and the end of
    `year`, each no later than `today`."""
    today = today or clock.today()
    return min(date(year - 1, 12, 31), today), min(date(year, 12, 31), today)


def _plan_order(occurrence):
    milestone = occurrence.milestone
    return (
        milestone.measure.position,
        milestone.position,
        occurrence.planned_date or date(occurrence.year, 12, 31),
        occurrence.pk,
    )


def _as_planned(occurrence):
    """The occurrence as its plan has it, before anyone reported on it."""
    return Occurrence(
        milestone_id=occurrence.milestone_id,
        year=occurrence.year,
        planned_date=occurrence.planned_date,
    )


def _open_deviation(state, day):
    return state.is_open and state.has_deviation(day)


def deviation_sections(plan, year, today=None):
    """The `DeviationSections` of `plan`'s report for `year`, judged from the history.

    Three queries: the states at the start, the history rows written in the period, and the
    occurrences as they are now (which the report shows)."""
    today = today or clock.today()
    start, end = report_period(year, today)
    relevant = Q(milestone__measure__plan=plan, year__lte=year)
    at_start = {state.id: state for state in occurrence_states(start).filter(relevant)}
    changes = {}
    for row in Occurrence.history.filter(
        relevant, history_date__gte=end_of(start), history_date__lt=end_of(end)
    ).order_by("history_date", "history_id"):
        changes.setdefault(row.id, []).append(row)
    now = (
        Occurrence.objects.filter(relevant)
        .select_related("milestone__measure")
        .order_by("milestone__measure__position", "milestone__position", "planned_date", "year")
    )
    sections = DeviationSections()
    for occurrence in now:
        first = at_start.get(occurrence.pk) or _as_planned(occurrence)
        rows = changes.get(occurrence.pk, [])
        if end == today:
            # What is shown now is the end state, also when a write left no history row.
            rows = [*rows, occurrence]
        # Each state holds from its day until the next state's day: an open milestone there
        # may fall overdue on any day of it, so each is judged on its last day.
        states = [(first, start), *((row, _day_of(row, end)) for row in rows)]
        judged = [
            (state, days_end)
            for (state, _begins), (_next, days_end) in zip(
                states, [*states[1:], (None, end)], strict=True
            )
        ]
        open_at_start = _open_deviation(first, start)
        had_at_start = first.has_deviation(start)
        last_state = judged[-1][0]
        open_at_end = _open_deviation(last_state, end)
        opened = any(
            _open_deviation(state, day) or (state.has_deviation(day) and not had_at_start)
            for state, day in judged
        )
        ever_open = open_at_start or any(_open_deviation(state, day) for state, day in judged)
        if not open_at_start and opened:
            sections.new.append(occurrence)
        if open_at_start and open_at_end:
            sections.still_open.append(occurrence)
        if ever_open and not open_at_end:
            sections.closed.append(occurrence)
    return sections


def _day_of(row, end):
    """The day a state begins: a history row's day, or `end` for the occurrence as it is."""
    if isinstance(row, Occurrence):
        return end
    return min(timezone.localdate(row.history_date), end)
