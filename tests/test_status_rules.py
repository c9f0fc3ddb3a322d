"""Overdue and deviation: the queryset and the model method give the same answer."""

from datetime import date

import pytest

from tiltak.history import acting_as
from tiltak.models import Occurrence

pytestmark = pytest.mark.django_db

TODAY = date(2019, 7, 1)


@pytest.fixture
def occurrences(seeded_plans, coordinator):
    """Occurrences of measure 3 (30 June and 31 December 2018–2020), set to known states."""
    by_date = {
        o.planned_date: o
        for o in Occurrence.objects.filter(
            milestone__measure__plan__slug="handlingsplan-2018-2020", milestone__measure__number="3"
        )
    }
    states = {
        date(2018, 6, 30): {"status": Occurrence.Status.COMPLETED},
        date(2018, 12, 31): {"status": Occurrence.Status.IN_PROGRESS},
        date(2019, 6, 30): {"status": Occurrence.Status.IN_PROGRESS, "new_date": date(2019, 9, 30)},
        date(2019, 12, 31): {"status": Occurrence.Status.POSTPONED, "new_date": date(2020, 3, 31)},
        date(2020, 6, 30): {
            "status": Occurrence.Status.IN_PROGRESS,
            "assessment": Occurrence.Assessment.RED,
        },
        date(2020, 12, 31): {"status": Occurrence.Status.CANCELLED},
    }
    with acting_as(coordinator):
        for day, values in states.items():
            occurrence = by_date[day]
            for name, value in values.items():
                setattr(occurrence, name, value)
            occurrence.save()
    return by_date


def planned(queryset):
    return sorted(o.planned_date for o in queryset)


def test_overdue_is_open_and_past_its_due_date(occurrences):
    scope = Occurrence.objects.filter(pk__in=[o.pk for o in occurrences.values()])

    overdue = scope.overdue(TODAY)

    # 2018-06-30 is completed; 2019-06-30 has a new date after today; 2019-12-31 is not yet due.
    assert planned(overdue) == [date(2018, 12, 31)]
    assert planned(o for o in occurrences.values() if o.is_overdue(TODAY)) == planned(overdue)


def test_deviation_is_overdue_postponed_cancelled_rescheduled_or_red(occurrences):
    scope = Occurrence.objects.filter(pk__in=[o.pk for o in occurrences.values()])

    deviating = scope.with_deviation(TODAY)

    # Only 2018-06-30, completed on time, went as planned; 2019-06-30 was moved.
    assert planned(deviating) == [
        date(2018, 12, 31),
        date(2019, 6, 30),
        date(2019, 12, 31),
        date(2020, 6, 30),
        date(2020, 12, 31),
    ]
    assert planned(o for o in occurrences.values() if o.has_deviation(TODAY)) == planned(deviating)


def test_the_due_date_is_the_new_date_where_there_is_one(occurrences):
    slipped = Occurrence.objects.with_due_date().get(pk=occurrences[date(2019, 6, 30)].pk)

    assert slipped.planned_date == date(2019, 6, 30)
    assert slipped.effective_due_date == date(2019, 9, 30)
    assert occurrences[date(2019, 6, 30)].due_date == date(2019, 9, 30)


def test_a_continuous_occurrence_is_never_overdue(seeded_plans):
    continuous = Occurrence.objects.filter(planned_date__isnull=True)

    assert continuous.exists()
    assert not continuous.overdue(date(2030, 1, 1)).exists()
    assert not any(o.is_overdue(date(2030, 1, 1)) for o in continuous)
