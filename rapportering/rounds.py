"""What a report round still lacks, and how far each directorate has come with it."""

from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlencode

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.text import Truncator, capfirst, get_text_list, slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rapportering.deviations import deviation_sections
from rapportering.models import Contribution, ReportRound
from tiltak import clock
from tiltak.models import Measure, Occurrence, Plan
from tiltak.selectors import plans_participation


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


@dataclass
class Deadline:
    """One of a round's deadlines, and how many days are left to it (negative once past)."""

    label: str
    date: object
    days_left: int

    @property
    def days_past(self):
        return -self.days_left


def round_deadlines(round, today=None):
    """The round's two deadlines: the directorates' and the ministries'."""
    today = today or clock.today()
    return [
        Deadline(
            _("Deadline for the directorates"),
            round.internal_deadline,
            (round.internal_deadline - today).days,
        ),
        Deadline(
            _("Deadline for the ministries"),
            round.ministry_deadline,
            (round.ministry_deadline - today).days,
        ),
    ]


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


class MissingKind(models.TextChoices):
    """The kinds of what a report lacks, in the order the missing list shows them."""

    COMPILATION = "compilation", gettext_lazy("The coordinator's compilation")
    CONTRIBUTION = "contribution", gettext_lazy("Contributions not delivered")
    DEVIATION = "deviation", gettext_lazy("Deviations not explained")
    MILESTONE = "milestone", gettext_lazy("Milestones of the year without status or assessment")


@dataclass(frozen=True)
class Missing:
    """One thing that must be in place before the report can be finalised, where it is put
    in place (`path`), and who can do it: the ids of the directorates it concerns (none for
    the coordinator's compilation)."""

    kind: str
    text: str
    path: str
    directorates: frozenset = frozenset()
    occurrence: object = None  # the milestone occurrence it is about, if any


@dataclass
class MissingGroup:
    """What one directorate (None: the coordinator) must put in place in a round, by kind."""

    directorate: object
    items: list
    round_url: str

    @property
    def anchor(self):
        """The id of the group on the round page, where fixing an item of it returns to."""
        if self.directorate is None:
            return "mangler-koordinator"
        return f"mangler-{slugify(self.directorate.short_name or self.directorate.pk)}"

    @property
    def by_kind(self):
        """[(kind label, [(item, the address where it is put right)])], in the order of
        `MissingKind`; each address leads back to this group of the round page."""
        back = urlencode({"neste": f"{self.round_url}#{self.anchor}"})
        return [
            (
                kind.label,
                [(item, f"{item.path}?{back}") for item in self.items if item.kind == kind],
            )
            for kind in MissingKind
            if any(item.kind == kind for item in self.items)
        ]


class MissingList:
    """Everything that blocks finalising a round (`missing_content`), each thing once, and
    grouped by who must put it in place: the coordinator first, then each directorate by
    name. Its length is the number of things; it is false when nothing is missing."""

    def __init__(self, items, directorates, round_url):
        self.items = items
        self._directorates = directorates
        self._round_url = round_url

    def __len__(self):
        return len(self.items)

    def __iter__(self):
        return iter(self.items)

    @cached_property
    def groups(self):
        groups = [
            MissingGroup(None, [i for i in self.items if not i.directorates], self._round_url)
        ]
        groups += [
            MissingGroup(d, [i for i in self.items if d.pk in i.directorates], self._round_url)
            for d in self._directorates
        ]
        return [group for group in groups if group.items]

    def groups_for(self, directorates, coordinator=False):
        """A `MissingGroup` for the coordinator (when `coordinator`) and for each of
        `directorates`, empty for those that lack nothing."""
        owners = [None] if coordinator else []
        return [
            next((g for g in self.groups if g.directorate == owner), None)
            or MissingGroup(owner, [], self._round_url)
            for owner in [*owners, *directorates]
        ]

    def of(self, directorate):
        """The `MissingGroup` of `directorate`, or None when it lacks nothing."""
        return next((g for g in self.groups if g.directorate == directorate), None)


def _occurrence_text(occurrence):
    return _("measure %(number)s, «%(milestone)s» (%(due)s)") % {
        "number": occurrence.milestone.measure.number,
        "milestone": Truncator(occurrence.milestone.text).words(12),
        "due": occurrence.planned_label,
    }


def _field_names(names):
    return get_text_list(
        [str(Occurrence._meta.get_field(name).verbose_name) for name in names], _("and")
    )


def missing_content(round, today=None):
    """A `MissingList` of everything that blocks finalising `round`: the summary and the
    challenges; every contribution not delivered; every deviation the report shows
    (`rapportering.deviations`) without cause, consequence and corrective action, and a new
    date while open; every milestone of the year without a status or an assessment. The gate,
    the round's missing list and the reminders all read it."""
    today = today or clock.today()
    compile_path = reverse("rapportering:report-compile", args=[round.pk])
    participants = round.participants
    items = []
    if not round.summary.strip():
        items.append(
            Missing(MissingKind.COMPILATION, _("The summary is not written."), compile_path)
        )
    if not round.challenges.strip():
        items.append(
            Missing(MissingKind.COMPILATION, _("The challenges are not described."), compile_path)
        )
    delivered = delivered_pairs(round)
    numbers = dict(Measure.objects.filter(plan=round.plan_id).values_list("pk", "number"))
    for measure_id, directorate in participants.pairs():
        if (measure_id, directorate.pk) not in delivered:
            items.append(
                Missing(
                    MissingKind.CONTRIBUTION,
                    _("The contribution on measure %(number)s is not delivered.")
                    % {"number": numbers[measure_id]},
                    reverse(
                        "rapportering:contribution", args=[round.pk, measure_id, directorate.pk]
                    ),
                    frozenset({directorate.pk}),
                )
            )

    def concerned(occurrence):
        milestone = occurrence.milestone
        return frozenset(participants.concerned_by(milestone.measure_id, milestone.responsible_id))

    for occurrence in deviation_sections(round.plan, round.year, today).shown():
        lacking = occurrence.unexplained()
        if lacking:
            items.append(
                Missing(
                    MissingKind.DEVIATION,
                    _("The deviation on %(occurrence)s lacks %(fields)s.")
                    % {"occurrence": _occurrence_text(occurrence), "fields": _field_names(lacking)},
                    reverse("tiltak:occurrence-status", args=[occurrence.pk]),
                    concerned(occurrence),
                    occurrence,
                )
            )
    of_the_year = (
        Occurrence.objects.filter(milestone__measure__plan=round.plan_id, year=round.year)
        .filter(Q(status=Occurrence.Status.NOT_STARTED, updated_at__isnull=True) | Q(assessment=""))
        .select_related("milestone__measure")
        .order_by("milestone__measure__position", "milestone__position", "planned_date")
    )
    for occurrence in of_the_year:
        if occurrence.has_no_status and not occurrence.assessment:
            text = _("%(occurrence)s has neither a status nor an assessment.")
        elif occurrence.has_no_status:
            text = _("%(occurrence)s has no status.")
        else:
            text = _("%(occurrence)s is not assessed.")
        items.append(
            Missing(
                MissingKind.MILESTONE,
                capfirst(text % {"occurrence": _occurrence_text(occurrence)}),
                reverse("tiltak:occurrence-status", args=[occurrence.pk]),
                concerned(occurrence),
                occurrence,
            )
        )
    return MissingList(items, participants.all_directorates, round.get_absolute_url())
