"""Reads that more than one page or export needs."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from tiltak.formatting import short_date
from tiltak.models import Measure, Milestone, Occurrence, Plan


def plans_with_counts():
    return Plan.objects.annotate(
        measure_count=Count("measures", distinct=True),
        milestone_count=Count("measures__milestones", distinct=True),
    ).order_by("-start", "slug")


def plan_outline(plan):
    """The plan's parts in order, each with `top_measures`, each measure with `sub_measures`.

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
    for measure in measures:
        measure.sub_measures = [m for m in measures if m.parent_id == measure.pk]
    parts = list(plan.parts.all())
    for part in parts:
        part.top_measures = [m for m in measures if m.part_id == part.pk and m.parent_id is None]
    return parts


def measure_for_page(pk):
    """A measure with everything its page shows, in a fixed number of queries."""
    milestones = Milestone.objects.select_related("responsible").prefetch_related(
        Prefetch("occurrences", queryset=Occurrence.objects.select_related("updated_by"))
    )
    return get_object_or_404(
        Measure.objects.select_related("plan", "part", "parent").prefetch_related(
            "responsibilities__actor",
            "goals",
            "children",
            Prefetch("milestones", queryset=milestones),
        ),
        pk=pk,
    )


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
