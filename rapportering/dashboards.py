"""The status and deviation overview of a plan and year, per goal and as a timeline, as
plain data.

Everything is counted from the occurrence states of rapportering.states, now or as of a past
day, so a past overview is built exactly as today's is. The states of a plan's year are read
in one query, with what their rows show, so a page takes the same number of queries however
large the plan is.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext_lazy as _

from rapportering.states import occurrence_states, occurrences_of, tallies
from tiltak import clock
from tiltak.models import (
    DUE_SOON_DAYS,
    Actor,
    Goal,
    Health,
    Measure,
    Occurrence,
    deviation_condition,
    due_within_condition,
    health_of,
    marked,
    not_assessed_condition,
    overdue_condition,
)
from tiltak.selectors import plan_participation


@dataclass
class GroupRow:
    """The counts of one group of occurrences: a directorate's, or a goal's."""

    group: object
    total: int
    completed: int
    deviations: int
    overdue: int
    # A directorate's: [(Health, how many of its measures have it)], worst first, none left out
    health: list = field(default_factory=list)


@dataclass
class Overview:
    plan: object
    year: int
    today: date
    directorate: Actor | None
    as_of: date | None
    total: int
    by_status: list
    by_assessment: list
    directorates: list
    deviations: list
    overdue: list
    due_soon: list
    not_assessed: list
    continuous: int  # the continuous occurrences of the year, assessed or not
    due_soon_days: int = field(default=DUE_SOON_DAYS)


def overview(*, plan, year, directorate=None, as_of=None, today=None):
    """The overview of a plan and year, or of one directorate's part of it; as it is, or
    as it stood on `as_of` (judged as of that day).

    The states are read once, each marked in the database with the lists it belongs in;
    the counts and lists are made from them."""
    today = as_of or today or clock.today()
    states = list(
        occurrences_of(plan, year, directorate, as_of)
        .select_related("milestone__measure__plan", "milestone__responsible")
        .annotate(
            **{
                f"in_{name}": marked(condition)
                for name, condition in (
                    ("deviations", deviation_condition(today)),
                    ("overdue", overdue_condition(today)),
                    ("due_soon", due_within_condition(today)),
                    ("not_assessed", not_assessed_condition(year)),
                )
            }
        )
        .order_by("milestone__measure__position", "milestone__position", "planned_date")
    )
    by_status, by_assessment = tallies(states)
    return Overview(
        plan=plan,
        year=year,
        today=today,
        directorate=directorate,
        as_of=as_of,
        total=len(states),
        by_status=by_status,
        by_assessment=by_assessment,
        directorates=[] if directorate else _per_directorate(plan, states, today),
        deviations=[state for state in states if state.in_deviations],
        overdue=[state for state in states if state.in_overdue],
        due_soon=[state for state in states if state.in_due_soon],
        not_assessed=[state for state in states if state.in_not_assessed],
        continuous=sum(state.is_continuous for state in states),
    )


def _per_directorate(plan, states, today):
    """The counts for each of the six directorates: a directorate counts the occurrences that
    concern it (see `PlanParticipation.concerned_by`), and the health of the measures it takes
    part in, judged from the same states."""
    participation = plan_participation(plan)
    directorates = participation.all_directorates
    of_measure = defaultdict(list)
    for state in states:
        of_measure[state.milestone.measure_id].append(state)
    health = {measure_id: health_of(of_measure[measure_id], today) for measure_id in participation}
    counted = Counter((directorate.pk, health[m]) for m, directorate in participation.pairs())
    rows = _grouped(
        (
            (
                state.milestone.measure_id,
                state.milestone.responsible_id,
                state.status,
                state.in_deviations,
                state.in_overdue,
            )
            for state in states
        ),
        keys=[d.pk for d in directorates],
        groups_of=participation.concerned_by,
        rows=lambda counts: [GroupRow(d, *counts[d.pk]) for d in directorates],
    )
    for row in rows:
        row.health = [(h, counted[(row.group.pk, h)]) for h in Health if counted[(row.group.pk, h)]]
    return rows


def per_goal(*, plan, year, as_of=None, today=None):
    """The counts for each main goal, priority area and result goal, and for measures
    linked to none. A measure linked to a priority area counts under its main goal too."""
    today = as_of or today or clock.today()
    goals_of = {}
    for measure_id, goal_id, parent_id in Measure.goals.through.objects.filter(
        measure__plan=plan
    ).values_list("measure_id", "goal_id", "goal__parent_id"):
        goals_of.setdefault(measure_id, set()).update({goal_id, parent_id} - {None})
    goals = list(Goal.objects.select_related("parent"))
    return _grouped(
        occurrences_of(plan, year, as_of=as_of).values_list(
            "milestone__measure_id",
            "milestone__responsible_id",
            "status",
            marked(deviation_condition(today)),
            marked(overdue_condition(today)),
        ),
        keys=[*(goal.pk for goal in goals), None],
        groups_of=lambda measure_id, responsible_id: goals_of.get(measure_id) or {None},
        rows=lambda counts: (
            [GroupRow(goal, *counts[goal.pk]) for goal in goals]
            + [GroupRow(_("Not linked to a goal"), *counts[None])]
        ),
    )


def _grouped(facts, *, keys, groups_of, rows):
    """Count occurrence states by group, whatever the number of groups: `facts` holds
    (measure id, responsible id, status, deviation, overdue) for each state,
    `groups_of(measure id, responsible id)` names a state's groups among `keys`, and `rows`
    makes the GroupRows from {key: [total, completed, deviations, overdue]}."""
    counts = {key: [0, 0, 0, 0] for key in keys}
    for measure_id, responsible_id, status, deviation, overdue in facts:
        for key in groups_of(measure_id, responsible_id):
            if key in counts:
                counts[key][0] += 1
                counts[key][1] += status == Occurrence.Status.COMPLETED
                counts[key][2] += deviation
                counts[key][3] += overdue
    return rows(counts)


@dataclass
class Quarter:
    year: int
    number: int
    is_current: bool = False  # holds the timeline's day: today, or the day "as of"


@dataclass
class TimelineColumn:
    """A measure's milestones in one quarter: those that fall due in it (`states`), and those
    first planned in it and since moved to another quarter (`moved_away`)."""

    quarter: Quarter
    states: list
    moved_away: list


@dataclass
class ContinuousBand:
    """A continuous milestone across the timeline's years: (year, its state or None)."""

    milestone: object
    segments: list


@dataclass
class TimelineRow:
    measure: object  # with `health`, its health in its plan's year on the timeline's day
    columns: list  # a TimelineColumn per quarter, in the order of the quarters
    continuous: list  # the states of the measure's continuous milestones
    bands: list  # the same, a ContinuousBand for each continuous milestone

    @property
    def cells(self):
        """The states falling due in each quarter, in the order of the quarters."""
        return [column.states for column in self.columns]


@dataclass
class Timeline:
    plan: object
    as_of: date | None
    day: date  # the day shown: today, or the day "as of"
    quarters: list
    rows: list


def quarter_of(day):
    return Quarter(day.year, (day.month - 1) // 3 + 1)


def timeline(*, plan, as_of=None, directorate=None, health=None):
    """The plan's measures down and quarters across, each occurrence in the quarter it now
    falls due (a moved one in its new quarter, and noted in the quarter first planned), each
    continuous milestone as a band across the years. The quarters cover the plan's period and
    any occurrence that falls outside it. Only the measures `directorate` takes part in, and
    of the `Health` `health`, when given."""
    day = as_of or clock.today()
    states = (
        occurrence_states(as_of)
        .filter(milestone__measure__plan=plan)
        .select_related("milestone")
        .order_by("milestone__position", "planned_date", "year")
    )
    by_measure = {}
    for state in states:
        by_measure.setdefault(state.milestone.measure_id, []).append(state)
    dated = [
        d for group in by_measure.values() for s in group for d in (s.due_date, s.planned_date) if d
    ]
    first = min([plan.start.year, *(d.year for d in dated)])
    last = max([plan.end.year, *(d.year for d in dated)])
    current = quarter_of(day)
    years = range(first, last + 1)
    quarters = [
        Quarter(year, number, (year, number) == (current.year, current.number))
        for year in years
        for number in (1, 2, 3, 4)
    ]
    column = {(q.year, q.number): i for i, q in enumerate(quarters)}
    measures = Measure.objects.filter(plan=plan).order_by("position")
    if directorate is not None:
        measures = measures.involving(directorate)
    # Each measure's health in the plan's year on the day shown, by the Python rule, from
    # the states read already.
    plan_year = plan.default_year(day)
    rows = []
    for measure in measures:
        measure.health = health_of(
            (s for s in by_measure.get(measure.pk, []) if s.year == plan_year), day
        )
        if health and measure.health != health:
            continue
        columns = [TimelineColumn(q, [], []) for q in quarters]
        continuous, bands = [], {}
        for state in by_measure.get(measure.pk, []):
            if state.due_date is None:
                continuous.append(state)
                bands.setdefault(state.milestone, {})[state.year] = state
                continue
            q = quarter_of(state.due_date)
            state.overdue_on_day = state.is_overdue(day)
            columns[column[(q.year, q.number)]].states.append(state)
            if state.is_rescheduled and state.planned_date:
                planned = quarter_of(state.planned_date)
                if (planned.year, planned.number) != (q.year, q.number):
                    columns[column[(planned.year, planned.number)]].moved_away.append(state)
        rows.append(
            TimelineRow(
                measure=measure,
                columns=columns,
                continuous=continuous,
                bands=[
                    ContinuousBand(milestone, [(year, by_year.get(year)) for year in years])
                    for milestone, by_year in bands.items()
                ],
            )
        )
    return Timeline(plan=plan, as_of=as_of, day=day, quarters=quarters, rows=rows)
