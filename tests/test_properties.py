"""Property-based tests (hypothesis): the due-text interpreter and the plan importer answer
every input with a result or their own error, never with a crash."""

import copy
from datetime import date

import pytest
import yaml
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import FIXTURES
from tiltak.models import Measure, Milestone, Occurrence, Plan
from tiltak.plan_files import PlanFileError, parse_plan, plan_import
from tiltak.schedule import DueTextError, ScheduleKind, interpret_due_text, quarter_end

YEARS = st.lists(st.integers(1990, 2100), min_size=1, max_size=6, unique=True).map(sorted)
MONTH_NAMES = [
    "januar", "februar", "mars", "april", "mai", "juni",
    "juli", "august", "september", "oktober", "november", "desember",
]  # fmt: skip


def outcome(call):
    """What `call` returns, or the error of ours it raises; any other exception propagates."""
    try:
        return call()
    except (DueTextError, PlanFileError) as error:
        return error


@given(text=st.text(max_size=80), years=YEARS)
def test_any_text_is_read_or_refused_with_a_due_text_error(text, years):
    result = outcome(lambda: interpret_due_text(text, years=years))

    if isinstance(result, DueTextError):
        assert result.text == text
    else:
        assert list(result.dates) == sorted(result.dates)
        assert (result.kind == ScheduleKind.CONTINUOUS) == (result.dates == ())


@given(
    quarter=st.integers(1, 9),
    year=st.integers(1990, 2100),
    prefix=st.sampled_from(["", "Innen ", "Forventet "]),
)
def test_a_quarter_is_its_last_day_and_there_are_four(quarter, year, prefix):
    text = f"{prefix}{quarter}. kvartal {year}"
    if quarter > 4:
        with pytest.raises(DueTextError):
            interpret_due_text(text, years=[year])
        return
    schedule = interpret_due_text(text, years=[year])
    assert schedule.dates == (quarter_end(year, quarter),)
    assert schedule.tentative == (prefix == "Forventet ")


@given(
    day=st.integers(1, 31),
    month=st.integers(1, 12),
    year=st.integers(2000, 2099),
    named=st.booleans(),
)
def test_a_date_is_read_exactly_or_refused_when_it_does_not_exist(day, month, year, named):
    text = (
        f"Innen {day}. {MONTH_NAMES[month - 1]} {year}" if named else f"Innen {day}.{month}.{year}"
    )
    try:
        expected = date(year, month, day)
    except ValueError:
        with pytest.raises(DueTextError, match=r"no such date|finnes ikke"):
            interpret_due_text(text, years=[year])
    else:
        assert interpret_due_text(text, years=[year]).dates == (expected,)


@given(quarters=st.sets(st.integers(1, 4), min_size=2, max_size=2), years=YEARS)
def test_a_recurring_milestone_falls_due_in_every_year_of_the_plan(quarters, years):
    first, second = sorted(quarters)
    schedule = interpret_due_text(f"{first}. og {second}. kvartal hvert år", years=years)

    assert schedule.kind == ScheduleKind.RECURRING
    assert schedule.dates == tuple(quarter_end(y, q) for y in years for q in (first, second))


PLAN_DATA = yaml.safe_load((FIXTURES / "handlingsplan-2018-2020.yaml").read_text(encoding="utf-8"))
ANY_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30) | st.dates(),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3)
    ),
    max_leaves=6,
)


def _places(data, path=()):
    """Every (path) in the nested data, to pick one to break."""
    yield path
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _places(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _places(value, (*path, index))


PLACES = list(_places(PLAN_DATA))[1:]


@st.composite
def broken_plans(draw):
    """The 2018–2020 plan file with one value replaced by something else, or removed."""
    data = copy.deepcopy(PLAN_DATA)
    path = draw(st.sampled_from(PLACES))
    parent = data
    for step in path[:-1]:
        parent = parent[step]
    if draw(st.booleans()) and isinstance(parent, dict):
        del parent[path[-1]]
    else:
        parent[path[-1]] = draw(ANY_VALUE)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@pytest.mark.django_db  # actors are checked against those in the database
@settings(max_examples=60, deadline=None)
@given(text=broken_plans())
def test_a_broken_plan_file_is_read_or_refused_with_the_problems_named(text):
    result = outcome(lambda: parse_plan(text.encode("utf-8"), "plan.yaml"))

    if isinstance(result, PlanFileError):
        assert result.errors
        assert all(error.startswith("plan.yaml") for error in result.errors)


@pytest.mark.django_db
@settings(max_examples=60)
@given(raw=st.binary(max_size=200))
def test_any_bytes_are_read_or_refused_with_the_problems_named(raw):
    result = outcome(lambda: parse_plan(raw, "plan.yaml"))

    assert not isinstance(result, PlanFileError) or result.errors


def counts():
    return [model.objects.count() for model in (Plan, Measure, Milestone, Occurrence)]


@pytest.mark.django_db
@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=broken_plans())
def test_importing_a_broken_plan_writes_all_of_it_or_nothing(seeded_plans, text):
    before = counts()
    with transaction.atomic():
        spec = outcome(lambda: parse_plan(text.encode("utf-8"), "plan.yaml"))
        # A valid file imports; one that would lose reported status is refused (PlanImportError).
        result = (
            spec if isinstance(spec, PlanFileError) else outcome(lambda: plan_import(spec=spec))
        )
        if isinstance(result, PlanFileError):
            assert counts() == before
        transaction.set_rollback(True)
