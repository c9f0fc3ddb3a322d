"""Reads that more than one page or export needs."""

from django.db.models import Count

from tiltak.models import Plan


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
