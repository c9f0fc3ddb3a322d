"""Plan files cannot exhaust the machine, and a broken one always ends in `file:line: reason`
lines (PlanFileError), never a traceback: anchors and aliases, files over the size limit and
deep nesting are refused, and generated mutations of the seeded files are read or refused."""

import random
import re

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import PLAN_FILES
from tiltak.models import Plan
from tiltak.plan_files import MAX_FILE_BYTES, PlanFileError, PlanSpec, parse_plan

pytestmark = pytest.mark.django_db  # actors are checked against those in the database

NAME = "plan.yaml"
ERROR_LINE = re.compile(rf"^{re.escape(NAME)}(:\d+)?: .+")
SEEDS = [path.read_bytes() for path in PLAN_FILES]
BILLION_LAUGHS = b"""\
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
"""


def read_or_refuse(raw):
    """A PlanSpec, or the PlanFileError with every line `plan.yaml[:line]: reason`; anything
    else (a traceback) fails the test."""
    try:
        return parse_plan(raw, NAME)
    except PlanFileError as error:
        refused = error
    assert refused.errors
    assert all(ERROR_LINE.match(line) for line in refused.errors), refused.errors
    return refused


def refusal(raw):
    result = read_or_refuse(raw)
    assert isinstance(result, PlanFileError)
    return "\n".join(result.errors)


def test_billion_laughs_is_refused_at_the_first_anchor():
    assert refusal(BILLION_LAUGHS).startswith(f"{NAME}:1: ")
    assert re.search(r"anchors and aliases|ankere og aliaser", refusal(BILLION_LAUGHS))


def test_an_anchor_in_an_otherwise_valid_plan_is_refused_with_its_line():
    seed = SEEDS[0].decode("utf-8")
    line = seed.splitlines().index("  title: Handlingsplan Bolig for velferd 2018–2020") + 1
    raw = seed.replace("  title: Handlingsplan", "  title: &t Handlingsplan", 1)

    assert refusal(raw.encode()).startswith(f"{NAME}:{line}: ")


@pytest.mark.parametrize("nesting", ["[" * 10_000, "{a: " * 10_000, "\n  " + "- " * 10_000 + "x"])
def test_deep_nesting_is_refused_not_a_recursion_error(nesting):
    assert re.search(r"nested deeper|nøstet dypere", refusal(f"plan: {nesting}\n".encode()))


def test_a_file_over_the_size_limit_is_refused_before_it_is_parsed(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_bytes(SEEDS[0] + b"#" * MAX_FILE_BYTES)

    with pytest.raises(CommandError, match=r"2 MB"):
        call_command("import_plan", str(path))
    assert not Plan.objects.filter(slug="handlingsplan-2018-2020", title="x").exists()


@pytest.mark.parametrize(
    "raw",
    [
        BILLION_LAUGHS,
        b"plan: " + b"[" * 10_000,
        SEEDS[0][: len(SEEDS[0]) // 2],
        b"plan:\n  start: 2020-13-45\n",
        b"plan:\n  start: !!timestamp x\n",
        b"? [a, b]\n: c\n",
        b"plan: !!python/object/apply:os.system ['true']\n",
        b"\xff\xfe",
    ],
    ids=[
        "aliases",
        "nesting",
        "truncated",
        "no such date",
        "no timestamp",
        "unhashable key",
        "python tag",
        "bom",
    ],
)
def test_the_import_command_ends_a_broken_file_in_file_line_reason(tmp_path, raw):
    path = tmp_path / "plan.yaml"
    path.write_bytes(raw)

    with pytest.raises(CommandError) as refused:
        call_command("import_plan", str(path))

    reasons = str(refused.value).splitlines()[1:]
    assert reasons
    assert all(re.match(rf"^{re.escape(str(path))}(:\d+)?: .+", line) for line in reasons)


# Mutations of the seeded files ---------------------------------------------------------------

YAML_VALUES = st.sampled_from(
    [
        "~", "null", "true", "0", "-1", "99999999999999999999999", "1e400", ".inf", ".nan",
        "2020-13-45", "2020-02-30", "0000-01-01", "[]", "{}", "[1, [2, [3]]]", "{a: {b: c}}",
        '""', "'", '"', "&a x", "*a", "!!binary aGVp", "!!timestamp x", "!!str", "!!set {a}",
        "!!omap [a: 1]", "!!python/name:os.system", "? [a]", "|", ">-", "- - -", "<<: {a: 1}",
        "\t", "\x00", "\ufeff", "x" * 5000,
    ]
)  # fmt: skip


def _truncate(lines, rng):
    return lines[: rng.randrange(len(lines))]


def _flip_bytes(lines, rng):
    raw = bytearray(b"".join(lines))
    for _ in range(rng.randint(1, 8)):
        raw[rng.randrange(len(raw))] = rng.randrange(256)
    return bytes(raw).splitlines(keepends=True)


def _shuffle(lines, rng):
    start = rng.randrange(len(lines))
    window = lines[start : start + rng.randint(2, 20)]
    rng.shuffle(window)
    return lines[:start] + window + lines[start + len(window) :]


def _duplicate(lines, rng):
    index = rng.randrange(len(lines))
    return lines[: index + 1] + lines[index : index + rng.randint(1, 10)] + lines[index + 1 :]


def _deep(lines, rng):
    index = rng.randrange(len(lines))
    depth = rng.choice([10, 60, 5000])
    return [*lines[:index], f"x: {'[' * depth}{']' * depth}\n".encode(), *lines[index:]]


MUTATIONS = [_truncate, _flip_bytes, _shuffle, _duplicate, _deep]


@st.composite
def mutated_plans(draw):
    """A seeded plan file with one to three mutations: truncated, bytes flipped, lines
    shuffled or duplicated, deep nesting added, or a field's value replaced by some YAML."""
    lines = draw(st.sampled_from(SEEDS)).splitlines(keepends=True)
    rng = random.Random(draw(st.integers(0, 2**32)))
    for _ in range(draw(st.integers(1, 3))):
        if draw(st.booleans()):
            lines = draw(st.sampled_from(MUTATIONS))(lines, rng) or [b"\n"]
        else:
            fields = [i for i, line in enumerate(lines) if re.match(rb"^\s*-?\s*\w+:", line)]
            index = draw(st.sampled_from(fields)) if fields else 0
            key = lines[index].split(b":", 1)[0] if fields else b"plan"
            lines[index] = key + b": " + draw(YAML_VALUES).encode() + b"\n"
    return b"".join(lines)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=mutated_plans())
def test_a_mutated_plan_file_is_a_plan_or_file_line_reason(raw):
    assert isinstance(read_or_refuse(raw), PlanSpec | PlanFileError)
