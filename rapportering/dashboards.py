"""The status and deviation overview of a plan and year, as plain data.

Counts are aggregated in the database by the rules of tiltak.models (overdue_condition,
deviation_condition); lists come with what their rows show, so a page takes the same number
of queries however large the plan is.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tiltak.models import (
    DUE_SOON_DAYS,
    Actor,
    Goal,
    Occurrence,
    deviation_condition,
    overdue_condition,
)


@dataclass
class Tally:
    key: str
    label: str
    count: int


@dataclass
class GroupRow:
    """The counts of one group of occurrences: a directorate's, or a goal's."""

    group: object
    total: int
    completed: int
    deviations: int
    overdue: int


@dataclass
class Overview:
    plan: object
    year: int
    today: date
    directorate: Actor | None
    total: int
    by_status: list
    by_assessment: list
    directorates: list
    deviations: list
    overdue: list
    due_soon: list
    not_assessed: list
    due_soon_days: int = DUE_SOON_DAYS


def default_year(plan, today=None):
    """This year while the plan runs; its last year once it has ended (its first before)."""
    today = today or timezone.localdate()
    return min(max(today.year, plan.years[0]), plan.years[-1])


def occurrences_of(plan, year, directorate=None):
    """The occurrences an overview counts: the plan's in `year`, or a directorate's share."""
    scope = Occurrence.objects.filter(milestone__measure__plan=plan, year=year)
    if directorate is not None:
        scope = scope.filter(pk__in=Occurrence.objects.involving(directorate).values("pk"))
    return scope


def overview(*, plan, year, directorate=None, today=None):
    """The overview of a plan and year, or of one directorate's part of it."""
    today = today or timezone.localdate()
    scope = occurrences_of(plan, year, directorate)

    statuses = dict(scope.order_by().values_list("status").annotate(n=Count("pk")))
    assessments = dict(scope.order_by().values_list("assessment").annotate(n=Count("pk")))
    by_status = [
        Tally(key, label, statuses.get(key, 0)) for key, label in Occurrence.Status.choices
    ]
    by_assessment = [
        *(
            Tally(key, label, assessments.get(key, 0))
            for key, label in Occurrence.Assessment.choices
        ),
        Tally("", _("Not assessed"), assessments.get("", 0)),
    ]

    listed = scope.select_related("milestone__measure__plan", "milestone__responsible").order_by(
        "milestone__measure__position", "milestone__position", "planned_date"
    )
    return Overview(
        plan=plan,
        year=year,
        today=today,
        directorate=directorate,
        total=sum(statuses.values()),
        by_status=by_status,
        by_assessment=by_assessment,
        directorates=[] if directorate else _per_directorate(scope, today),
        deviations=list(listed.with_deviation(today)),
        overdue=list(listed.overdue(today)),
        due_soon=list(listed.due_within(today=today)),
        not_assessed=list(listed.not_assessed(year)),
    )


def _per_directorate(scope, today):
    """The counts for each of the six directorates: one aggregate query each."""
    return [
        _counted(
            directorate,
            scope.filter(pk__in=Occurrence.objects.involving(directorate).values("pk")),
            today,
        )
        for directorate in Actor.objects.directorates()
    ]


def per_goal(*, plan, year, today=None):
    """The counts for each main goal, priority area and result goal, and for measures
    linked to none. A measure linked to a priority area counts under its main goal too."""
    today = today or timezone.localdate()
    scope = occurrences_of(plan, year)
    rows = [
        _counted(
            goal,
            scope.filter(
                Q(milestone__measure__goals=goal) | Q(milestone__measure__goals__parent=goal)
            ).distinct(),
            today,
        )
        for goal in Goal.objects.select_related("parent")
    ]
    unlinked = scope.filter(milestone__measure__goals__isnull=True)
    return [*rows, _counted(_("Not linked to a goal"), unlinked, today)]


def _counted(group, occurrences, today):
    counts = (
        Occurrence.objects.filter(pk__in=occurrences.values("pk"))
        .with_due_date()
        .aggregate(
            total=Count("pk"),
            completed=Count("pk", filter=Q(status=Occurrence.Status.COMPLETED)),
            deviations=Count("pk", filter=deviation_condition(today)),
            overdue=Count("pk", filter=overdue_condition(today)),
        )
    )
    return GroupRow(group=group, **counts)
