"""Reads that more than one page or export needs."""

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import reduce
from operator import or_

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Q, Subquery, Value
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from tiltak import clock
from tiltak.formatting import short_date
from tiltak.history import SYSTEM_USERNAME
from tiltak.models import (
    Actor,
    Measure,
    Milestone,
    Occurrence,
    Plan,
    Responsibility,
    add_health_and_counts,
    add_health_changes,
    due_within_condition,
    incomplete_deviation_condition,
    marked,
    not_assessed_condition,
    overdue_condition,
)
from tiltak.pagination import page_by_keys, read_rows
from tiltak.permissions import updatable_in_work_of
from tiltak.roles import Role


def plans_with_counts():
    return Plan.objects.annotate(
        measure_count=Count("measures", distinct=True),
        milestone_count=Count("measures__milestones", distinct=True),
    ).order_by("-start", "slug")


PLANS_OFFERED = 20


def offered_plans(chosen_slug=None):
    """The plans a plan select offers, newest first: the `PLANS_OFFERED` newest that are not
    closed, and the chosen one (by slug) wherever it is. A select of every plan would grow
    with the years; the plan list holds them all."""
    newest = (
        Plan.objects.exclude(state=Plan.State.CLOSED)
        .order_by("-start", "slug")
        .values("pk")[:PLANS_OFFERED]
    )
    return Plan.objects.filter(Q(pk__in=newest) | Q(slug=chosen_slug or "")).order_by(
        "-start", "slug"
    )


def plan_open_occurrences(plan):
    """The occurrences of `plan` neither completed nor cancelled, in the plan's order: what
    needs a final status before the plan is closed."""
    return (
        Occurrence.objects.filter(milestone__measure__plan=plan)
        .open()
        .select_related("milestone__measure")
        .order_by("milestone__measure__position", "milestone__position", "year", "planned_date")
    )


def plan_outline(plan):
    """The plan's parts in order, each with `top_measures`, each measure with `sub_measures`,
    its `health` and its change since the last report, and how many of its occurrences are
    overdue (`overdue_now`), for the folded list of its milestones.

    Responsibilities, milestones and occurrences are prefetched: the number of queries
    does not grow with the size of the plan.
    """
    measures = list(
        plan.measures.prefetch_related(
            "responsibilities__actor",
            "milestones__responsible",
            "milestones__occurrences",
        )
    )
    today = clock.today()
    for measure in measures:
        measure.sub_measures = [m for m in measures if m.parent_id == measure.pk]
        measure.health = measure.current_health
        measure.overdue_now = sum(
            occurrence.is_overdue(today)
            for milestone in measure.milestones.all()
            for occurrence in milestone.occurrences.all()
        )
    add_health_changes(measures)
    parts = list(plan.parts.all())
    for part in parts:
        part.top_measures = [m for m in measures if m.part_id == part.pk and m.parent_id is None]
    return parts


class PlanParticipation(Mapping):
    """Which directorates take part in which measures of one plan, in Python: {measure id:
    [directorates]}, measures in the plan's order, directorates by name.

    The same rules as the database's: a directorate takes part in a measure through a
    responsibility or a milestone assigned to it (`Measure.objects.involving`), and an
    occurrence concerns the directorates responsible for its measure and the one its milestone
    is assigned to (`Occurrence.objects.concerning`). Made by `plan_participation`."""

    def __init__(self, taking_part, responsible, directorates):
        self._taking_part = taking_part
        self._responsible = responsible  # {measure id: {ids of directorates responsible}}
        self.all_directorates = directorates  # every directorate, as Actor orders them
        self._directorate_ids = {d.pk for d in directorates}

    def __getitem__(self, measure_id):
        return self._taking_part[measure_id]

    def __iter__(self):
        return iter(self._taking_part)

    def __len__(self):
        return len(self._taking_part)

    @property
    def directorates(self):
        """The directorates taking part in any measure of the plan, by name."""
        taking_part = {d for directorates in self.values() for d in directorates}
        return sorted(taking_part, key=lambda directorate: directorate.name)

    def directorates_of(self, measure_id):
        return self.get(measure_id, [])

    def measures_of(self, directorate):
        """The ids of the measures `directorate` takes part in, in the plan's order."""
        return [measure_id for measure_id, ds in self.items() if directorate in ds]

    def pairs(self):
        """(measure id, directorate) for each directorate taking part in each measure."""
        return ((measure_id, d) for measure_id, ds in self.items() for d in ds)

    def concerned_by(self, measure_id, responsible_id):
        """The ids of the directorates an occurrence of a milestone of `measure_id`, assigned
        to `responsible_id` (or None), concerns."""
        return concerned_directorates(
            self._responsible.get(measure_id, set()), responsible_id, self._directorate_ids
        )


def concerned_directorates(responsible_ids, assigned_id, directorate_ids):
    """The ids of the directorates an occurrence concerns, among `directorate_ids`: those
    responsible for its measure (`responsible_ids`) and the one its milestone is assigned to
    (`assigned_id`, or None). The rule of `concerning_condition`, in Python."""
    return (set(responsible_ids) | {assigned_id}) & directorate_ids


def plan_participation(plan):
    """The `PlanParticipation` of `plan` (an instance or a key), read in one query."""
    plan_id = getattr(plan, "pk", plan)
    return plans_participation(Plan.objects.filter(pk=plan_id))[plan_id]


def plans_participation(plans):
    """{plan id: its `PlanParticipation`} for each of the Plan queryset `plans` (an empty one
    for a plan no directorate takes part in), read in one query: every directorate, each with
    the measures of the plans it has a responsibility in and those it has a milestone in."""
    directorates = Actor.objects.directorates().order_by()

    def through(relation):
        return directorates.filter(**{f"{relation}__measure__plan__in": plans}).annotate(
            plan_id=F(f"{relation}__measure__plan_id"),
            measure_id=F(f"{relation}__measure_id"),
            position=F(f"{relation}__measure__position"),
            through=Value(relation),
        )

    rows = through("responsibilities").union(
        through("milestones"),
        directorates.annotate(
            plan_id=Value(None, IntegerField()),
            measure_id=Value(None, IntegerField()),
            position=Value(None, IntegerField()),
            through=Value(""),
        ),
    )
    by_pk, pairs, responsible = {}, {}, {}
    for row in rows.order_by("-is_coordinator", "name"):
        by_pk.setdefault(row.pk, row)
        if row.measure_id is not None:
            pairs.setdefault(row.plan_id, set()).add((row.position, row.measure_id, row.pk))
        if row.through == "responsibilities":
            responsible.setdefault(row.plan_id, {}).setdefault(row.measure_id, set()).add(row.pk)
    everyone = list(by_pk.values())
    participation = defaultdict(lambda: PlanParticipation({}, {}, everyone))
    for plan_id, of_plan in pairs.items():
        taking_part = {}
        for _position, measure_id, actor_id in sorted(
            of_plan, key=lambda pair: (pair[0], pair[1], by_pk[pair[2]].name)
        ):
            taking_part.setdefault(measure_id, []).append(by_pk[actor_id])
        participation[plan_id] = PlanParticipation(
            taking_part, responsible.get(plan_id, {}), everyone
        )
    return participation


# Each list on "My directorate" shows this many rows a page, with its own page number.
SECTION_SIZE = 10


def directorate_work(
    directorate, user, page_numbers, today=None, plan=None, role="", with_measures=False
):
    """The work lists of a directorate, by name: `directorate`'s occurrences "overdue",
    "due_soon" and continuous ones "not_assessed" this year, each a page of occurrences, each
    one's measure with its health; "updatable", the ids of the listed occurrences `user` may
    update; "continuous_count", the directorate's continuous occurrences of this year; and,
    `with_measures`, "measures", a page of its measures (`directorate_measures`). `page_numbers`
    gives each list's page number as the address does ({name: text}); `plan` and `role` (a
    responsibility's) narrow the lists to one plan and to the measures where the directorate
    has that role. The number of queries is fixed."""
    today = today or clock.today()
    sections = {
        "overdue": overdue_condition(today),
        "due_soon": due_within_condition(today),
        "not_assessed": not_assessed_condition(today.year),
    }
    # Continuous this year, assessed or not: so that "none left" is told from "none at all".
    continuous = Q(planned_date__isnull=True, year=today.year)
    listed = Occurrence.objects.of_active_plans().concerning(directorate)
    if plan is not None:
        listed = listed.filter(milestone__measure__plan=plan)
    if role:
        listed = listed.in_role(directorate, role)
    # One query reads the keys of every row of the three lists, each marked in the database
    # with the lists it is in, in the order they are shown: a directorate's open work is a
    # few hundred rows, and one query costs less than counting and paging each list.
    # Sorted here (by due date; the continuous ones in the plan's order) rather than by the
    # database, which would walk the due-date index through every occurrence instead of
    # picking the few rows first.
    rows = {name: [] for name in sections}
    continuous_count = 0
    for pk, due, position, is_continuous, *marks in (
        listed.with_due_date()
        .filter(reduce(or_, sections.values()) | continuous)
        .order_by()
        .values_list(
            "pk",
            "effective_due_date",
            "milestone__measure__position",
            marked(continuous),
            *(marked(condition) for condition in sections.values()),
        )
    ):
        continuous_count += is_continuous
        for name, is_in in zip(sections, marks, strict=True):
            if is_in:
                rows[name].append((position if name == "not_assessed" else due, pk))
    keys = {name: [pk for _key, pk in sorted(found)] for name, found in rows.items()}
    work = {
        name: Paginator(keys[name], SECTION_SIZE).get_page(page_numbers.get(name))
        for name in sections
    }
    read_rows(
        work.values(),
        Occurrence.objects.select_related("milestone__measure__plan").defer(
            *(f"milestone__measure__{name}" for name in Measure.LONG_TEXTS)
        ),
    )
    shown = [occurrence for name in sections for occurrence in work[name]]
    judged = [occurrence.milestone.measure for occurrence in shown]
    if with_measures:
        work["measures"] = directorate_measures(directorate, page_numbers.get("measures"))
        judged += work["measures"].object_list
    # Each row's measure with its health, as the lists show it beside the measure's name; the
    # measures list's with it, in the same query.
    add_health_and_counts(judged, today)
    work["updatable"] = updatable_in_work_of(user, directorate, shown)
    work["continuous_count"] = continuous_count
    return work


def directorate_measures(directorate, page_number):
    """A page of the measures of active plans `directorate` takes part in, newest plan
    first, each with `our_role` (its responsibility's `Responsibility.Role`, "" where it only
    has a milestone of its own; an actor has one role in a measure at most): My directorate's
    last list, its health and counts added by `directorate_work`. Their keys are read at
    once, a short list: that counts them."""
    keys = list(
        Measure.objects.involving(directorate)
        .filter(plan__state=Plan.State.ACTIVE)
        .order_by("-plan__start", "position", "pk")
        .values_list("pk", flat=True)
    )
    page = Paginator(keys, SECTION_SIZE).get_page(page_number)
    our_role = Responsibility.objects.filter(measure=OuterRef("pk"), actor=directorate)
    read_rows(
        [page],
        Measure.objects.listed().annotate(our_role=Subquery(our_role.values("role")[:1])),
    )
    for measure in page.object_list:
        measure.our_role = Responsibility.Role(measure.our_role) if measure.our_role else ""
    return page


# The coordinator's home lists this many of each kind, and says how many there are.
HOME_ROWS = 10


def plans_to_close(today=None):
    """The active plans whose period has ended, the oldest first: the coordinator closes
    them, so that their open milestones leave the work lists."""
    today = today or clock.today()
    return list(Plan.objects.filter(state=Plan.State.ACTIVE, end__lt=today).order_by("end", "slug"))


def unexplained_deviations(today=None):
    """(the first `HOME_ROWS` occurrences of active plans in deviation that the yearly report
    could not explain yet (`incomplete_deviation_condition`), the earliest due first; how many
    there are)."""
    today = today or clock.today()
    found = (
        Occurrence.objects.of_active_plans()
        .with_deviation(today)
        .filter(incomplete_deviation_condition())
    )
    rows = found.select_related("milestone__measure__plan").order_by("effective_due_date", "pk")
    return list(rows[:HOME_ROWS]), found.count()


def overdue_by_directorate(today=None):
    """[(directorate, how many occurrences of active plans concerning it are overdue)], for
    every directorate, in one query beside the directorates': the overdue rows, each with its
    milestone's actor and the actors responsible for its measure, judged by
    `concerned_directorates`. Cheaper than one filtered count per directorate."""
    today = today or clock.today()
    directorates = list(Actor.objects.directorates())
    assigned, responsible = {}, defaultdict(set)
    for pk, assigned_id, responsible_id in (
        Occurrence.objects.of_active_plans()
        .overdue(today)
        .values_list(
            "pk", "milestone__responsible_id", "milestone__measure__responsibilities__actor_id"
        )
    ):
        assigned[pk] = assigned_id
        responsible[pk].add(responsible_id)
    ids = {d.pk for d in directorates}
    counts = Counter(
        directorate_id
        for pk, assigned_id in assigned.items()
        for directorate_id in concerned_directorates(responsible[pk], assigned_id, ids)
    )
    return [(d, counts[d.pk]) for d in directorates]


def recent_status_changes(days=14, today=None):
    """The last `HOME_ROWS` status updates of the last `days` days, newest first: history rows
    with who made them and the milestone's measure."""
    today = today or clock.today()
    return list(
        Occurrence.history.filter(
            history_type="~", history_date__date__gte=today - timedelta(days=days)
        )
        .select_related("history_user", "milestone__measure")
        .order_by("-history_date")[:HOME_ROWS]
    )


# The measures list shows this many a page.
MEASURES_PER_PAGE = 25


def measures_page(measures, number):
    """Page `number` (as the address gives it) of the Measure queryset `measures`, as the
    measures list shows them: with their plan, responsibilities, health and counts."""
    page = page_by_keys(
        measures,
        Measure.objects.listed().prefetch_related("responsibilities__actor"),
        number,
        MEASURES_PER_PAGE,
    )
    add_health_and_counts(page.object_list)
    add_health_changes(page.object_list)
    return page


def occurrence_for_form(pk):
    """An occurrence with what its status form shows, or 404."""
    return get_object_or_404(
        Occurrence.objects.select_related("milestone__measure__plan", "milestone__responsible"),
        pk=pk,
    )


def measure_for_page(pk):
    """A measure with everything its page shows, in a fixed number of queries."""
    milestones = Milestone.objects.select_related("responsible").prefetch_related(
        Prefetch("occurrences", queryset=Occurrence.objects.select_related("updated_by"))
    )
    measure = get_object_or_404(
        Measure.objects.select_related("plan", "part", "parent").prefetch_related(
            "responsibilities__actor",
            "goals",
            "children",
            Prefetch("milestones", queryset=milestones),
        ),
        pk=pk,
    )
    measure.health = measure.current_health
    add_health_changes([measure])
    return measure


@dataclass
class Change:
    label: str
    old: object
    new: object


@dataclass
class HistoryEntry:
    when: object
    who: object
    occurrence: object
    changes: list


def _shown(field, value):
    """A value as people read it: a choice's label, yes/no, or the value itself."""
    if field.choices and value:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, date):
        return short_date(value)
    return value if value not in (None, "") else "–"


def status_changes(before, after):
    """The status fields that differ between two states of an occurrence, readable."""
    fields = [Occurrence._meta.get_field(name) for name in Occurrence.STATUS_FIELDS]
    return [
        Change(
            label=str(field.verbose_name),
            old=_shown(field, getattr(before, field.name)),
            new=_shown(field, getattr(after, field.name)),
        )
        for field in fields
        if getattr(before, field.name) != getattr(after, field.name)
    ]


def status_history(measure):
    """Every status update of the measure's occurrences, newest first, as readable changes."""
    records = (
        Occurrence.history.filter(milestone__measure=measure)
        .select_related("history_user")
        .order_by("id", "history_id")
    )
    occurrences = {o.pk: o for m in measure.milestones.all() for o in m.occurrences.all()}
    entries, previous = [], {}
    for record in records:
        before, previous[record.id] = previous.get(record.id), record
        if before is not None and (changes := status_changes(before, record)):
            entries.append(
                HistoryEntry(
                    record.history_date, record.history_user, occurrences.get(record.id), changes
                )
            )
    return sorted(entries, key=lambda entry: entry.when, reverse=True)


def changes_since(occurrence, version):
    """What was changed on `occurrence` after the state with `version` was read."""
    seen = occurrence.history.filter(version=version).order_by("-history_id").first()
    return status_changes(seen, occurrence) if seen else []


def users_for_admin(*, role=None, directorate=None):
    """The people who sign in (not the system user), with their role and directorate read
    in the same few queries however many there are: active first, then by name. Filtered by
    role (`tiltak.roles.Role`) and directorate (an Actor) when given."""
    users = (
        get_user_model()
        .objects.exclude(username=SYSTEM_USERNAME)
        .select_related("directorate")
        .prefetch_related("groups")
        .order_by("-is_active", "last_name", "first_name", "username")
    )
    if role == Role.ADMIN:
        users = users.filter(Q(groups__name=role) | Q(is_superuser=True)).distinct()
    elif role:
        users = users.filter(groups__name=role, is_superuser=False)
    if directorate:
        users = users.filter(directorate=directorate)
    return users
