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

from tiltak.models import DUE_SOON_DAYS, Actor, Occurrence, deviation_condition, overdue_condition


@dataclass
class Tally:
    key: str
    label: str
    count: int


@dataclass
class DirectorateRow:
    directorate: Actor
    total: int
    completed: int
    deviations: int
    overdue: int


@dataclass
class Overview:
    plan: object
    year: int
    today: date
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


def overview(*, plan, year, today=None):
    today = today or timezone.localdate()
    scope = Occurrence.objects.filter(milestone__measure__plan=plan, year=year)

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
        total=sum(statuses.values()),
        by_status=by_status,
        by_assessment=by_assessment,
        directorates=_per_directorate(scope, today),
        deviations=list(listed.with_deviation(today)),
        overdue=list(listed.overdue(today)),
        due_soon=list(listed.due_within(today=today)),
        not_assessed=list(listed.not_assessed(year)),
    )


def _per_directorate(scope, today):
    """The same counts for each of the six directorates: one aggregate query each."""
    rows = []
    for directorate in Actor.objects.directorates():
        involved = Occurrence.objects.involving(directorate).values("pk")
        counts = (
            scope.filter(pk__in=involved)
            .with_due_date()
            .aggregate(
                total=Count("pk"),
                completed=Count("pk", filter=Q(status=Occurrence.Status.COMPLETED)),
                deviations=Count("pk", filter=deviation_condition(today)),
                overdue=Count("pk", filter=overdue_condition(today)),
            )
        )
        rows.append(DirectorateRow(directorate=directorate, **counts))
    return rows
