"""The rule "takes part" is one rule in two forms: the database's (`Measure.objects.involving`,
`Occurrence.objects.concerning` and the history's `concerning_condition`) and Python's
(`plan_participation`). They agree on every directorate, measure and occurrence of the seeded
plans."""

import pytest

from tiltak.models import Actor, Measure, Milestone, Occurrence, concerning_condition
from tiltak.selectors import plan_participation

pytestmark = pytest.mark.django_db

DIRECTORATES = ["HB", "AVdir", "Bufdir", "Hdir", "KDI", "IMDi"]


@pytest.fixture(params=["as seeded", "with milestones of their own"])
def plans(request, seeded_plans):
    """The seeded plans; and the same where each directorate has, in each plan, a milestone
    of its own in a measure it has no responsibility in (the seeded plans assign milestones
    only to directorates responsible for their measures), so both ways of taking part count."""
    if request.param == "with milestones of their own":
        assigned = []
        for plan in seeded_plans.values():
            for directorate in Actor.objects.directorates():
                milestone = (
                    Milestone.objects.filter(measure__plan=plan, occurrences__isnull=False)
                    .exclude(measure__responsibilities__actor=directorate)
                    .exclude(pk__in=assigned)
                    .first()
                )
                if milestone is not None:  # none where it is responsible for every measure
                    milestone.responsible = directorate
                    milestone.save()
                    assigned.append(milestone.pk)
        assert len(assigned) >= len(DIRECTORATES)
    return list(seeded_plans.values())


@pytest.mark.parametrize("short_name", DIRECTORATES)
def test_the_database_and_python_agree_on_measures(plans, short_name):
    directorate = Actor.objects.get(short_name=short_name)
    for plan in plans:
        participation = plan_participation(plan)
        in_database = list(
            Measure.objects.involving(directorate)
            .filter(plan=plan)
            .order_by("position", "pk")
            .values_list("pk", flat=True)
        )
        assert in_database, f"{short_name} takes part in no measure of {plan}"
        assert participation.measures_of(directorate) == in_database
        for measure_id in plan.measures.values_list("pk", flat=True):
            assert (directorate in participation.directorates_of(measure_id)) == (
                measure_id in in_database
            )


@pytest.mark.parametrize("short_name", DIRECTORATES)
def test_the_database_and_python_agree_on_occurrences(plans, short_name):
    """Now, and in the history (the states an "as of" overview counts)."""
    directorate = Actor.objects.get(short_name=short_name)
    for plan in plans:
        participation = plan_participation(plan)
        of_plan = Occurrence.objects.filter(milestone__measure__plan=plan)
        in_python = {
            pk
            for pk, measure_id, responsible_id in of_plan.values_list(
                "pk", "milestone__measure_id", "milestone__responsible_id"
            )
            if directorate.pk in participation.concerned_by(measure_id, responsible_id)
        }
        assert in_python, f"nothing of {plan} concerns {short_name}"
        for in_database in (
            of_plan.concerning(directorate),
            Occurrence.history.filter(milestone__measure__plan=plan).filter(
                concerning_condition(directorate)
            ),
        ):
            assert set(in_database.values_list("id", flat=True)) == in_python


def test_a_plan_is_read_in_one_query(plans, django_assert_num_queries):
    with django_assert_num_queries(1):
        participation = plan_participation(plans[0])
        assert [d.short_name for d in participation.all_directorates] == [
            "HB",
            "AVdir",
            "Bufdir",
            "Hdir",
            "IMDi",
            "KDI",
        ]
