"""Reads of the dashboards' and the report's pages: each page's rows in a fixed number of
queries, so that the views only choose and render."""

from collections import Counter

from django.db.models import Case, Min, Prefetch, Value, When
from django.db.models.functions import Length
from django.shortcuts import get_object_or_404
from django.utils import timezone

from rapportering.exports import FORMATS
from rapportering.models import (
    CalendarFeed,
    Contribution,
    FinalReport,
    FinalReportFile,
    ReportRound,
)
from tiltak.models import Actor, Health, Measure, Occurrence, Plan


def newest_plan():
    """The plan the overviews show when none is chosen: the one that started last."""
    return Plan.objects.order_by("-start").first()


def history_begins(plan):
    """The day `plan`'s history begins (its import), or None without any: a picture "as of"
    an earlier day would show nothing."""
    first = Occurrence.history.filter(milestone__measure__plan=plan).aggregate(
        first=Min("history_date")
    )["first"]
    return timezone.localtime(first).date() if first else None


def user_feeds(user):
    """`user`'s calendar addresses not revoked, with their directorates."""
    return CalendarFeed.objects.active().filter(user=user).select_related("directorate")


def feed_by_token(token):
    """The calendar feed not revoked behind the secret `token`, with its owner, or 404."""
    return get_object_or_404(
        CalendarFeed.objects.active().select_related("directorate", "user"), token=token
    )


def round_for_page(pk):
    return get_object_or_404(ReportRound.objects.select_related("plan"), pk=pk)


def rounds_with_versions():
    """Every report round with its plan and its finalised versions, newest first."""
    return ReportRound.objects.select_related("plan").prefetch_related(
        Prefetch("versions", FinalReport.objects.order_by("-version"))
    )


def round_versions(round):
    return round.versions.select_related("finalised_by").order_by("-version")


def contribution_rows(round, directorate):
    """(measure, its contribution from `directorate` or None) for each measure of the round
    `directorate` takes part in, in the plan's order."""
    contributions = {
        c.measure_id: c
        for c in round.contributions.filter(directorate=directorate).select_related(
            "updated_by", "returned_by"
        )
    }
    measures = Measure.objects.filter(pk__in=round.participants.measures_of(directorate))
    return [(m, contributions.get(m.pk)) for m in measures.order_by("position")]


def contribution_of(round, measure, directorate):
    """`directorate`'s contribution on `measure` to `round`, or None when it has none yet."""
    return (
        Contribution.objects.filter(round=round, measure=measure, directorate=directorate)
        .select_related("delivered_by", "returned_by")
        .first()
    )


def last_years_contribution(round, measure, directorate):
    """`directorate`'s contribution on `measure` to the plan's round of the year before
    `round`, when it has one with an assessment written; else None."""
    previous = (
        Contribution.objects.filter(
            round__plan=round.plan_id,
            round__year=round.year - 1,
            measure=measure,
            directorate=directorate,
        )
        .select_related("round")
        .first()
    )
    return previous if previous is not None and previous.is_written else None


def others_delivered_contributions(round, measure, directorate):
    """The delivered contributions to `round` on `measure` of the directorates other than
    `directorate`, by directorate name."""
    return list(
        round.contributions.filter(measure=measure, delivered_at__isnull=False)
        .exclude(directorate=directorate)
        .select_related("directorate", "delivered_by")
        .order_by("directorate__name")
    )


def measure_year_occurrences(measure, year):
    """The occurrences of `measure`'s milestones in `year`, as the report orders them."""
    return list(
        Occurrence.objects.filter(milestone__measure=measure, year=year)
        .with_due_date()
        .select_related("milestone")
        .order_by("milestone__position", "planned_date")
    )


def final_report_for_page(pk):
    """A finalised version with its round, its neighbours, its dispatch and recipients, and
    its files in the order of FORMATS (PDF first), each with its `size` in bytes counted by
    the database: the page lists the files without loading them."""
    in_order = Case(
        *[When(format=key, then=Value(position)) for position, key in enumerate(FORMATS)],
        default=Value(len(FORMATS)),
    )
    files = (
        FinalReportFile.objects.defer("data")
        .annotate(size=Length("data"))
        .order_by(in_order, "format")
    )
    return get_object_or_404(
        FinalReport.objects.select_related(
            "round__plan",
            "finalised_by",
            "replaces",
            "replaced_by",
            "dispatch__recorded_by",
        ).prefetch_related(Prefetch("files", files), "dispatch__recipients"),
        pk=pk,
    )


def ministries():
    """The ministries a finalised report can be sent to, by name."""
    return Actor.objects.filter(kind=Actor.Kind.MINISTRY).order_by("name")


def stored_file(report_pk, format):
    """A finalised report's stored file in `format`, or 404."""
    return get_object_or_404(
        FinalReportFile.objects.select_related("report__round__plan"),
        report=report_pk,
        format=format,
    )


# The reader's home shows this many of the newest finalised reports.
REPORTS_SHOWN = 5


def latest_final_reports():
    """The newest finalised versions, each with its round, plan and files."""
    return list(
        FinalReport.objects.select_related("round__plan")
        .prefetch_related(Prefetch("files", FinalReportFile.objects.defer("data")))
        .order_by("-finalised_at")[:REPORTS_SHOWN]
    )


def plans_health():
    """Each active plan, newest first, with `health_counts`: [(Health, how many of its
    measures are in it)] this plan year, worst first, leaving out those with none."""
    plans = list(Plan.objects.filter(state=Plan.State.ACTIVE).order_by("-start", "slug"))
    counted = Counter(
        Measure.objects.filter(plan__state=Plan.State.ACTIVE)
        .with_health()
        .values_list("plan_id", "health")
    )
    for plan in plans:
        plan.health_counts = [
            (health, counted[(plan.pk, health.value)])
            for health in Health
            if counted[(plan.pk, health.value)]
        ]
    return plans
