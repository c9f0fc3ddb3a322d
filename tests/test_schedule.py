"""The due-text interpreter, table-driven over every due text in both plans."""

from datetime import date

import pytest
import yaml

from tests.factories import PLAN_FILES
from tiltak.schedule import DueTextError, ScheduleKind, interpret_due_text

Y2015 = [2015]
Y2018 = [2018, 2019, 2020]
D = date

# (due text as written, plan years, kind, dates, tentative)
DUE_TEXTS = [
    # Felles tiltaksplan 2015
    ("31.1.14", Y2015, ScheduleKind.DATE, [D(2014, 1, 31)], False),
    ("Innen 15.2.2015", Y2015, ScheduleKind.DATE, [D(2015, 2, 15)], False),
    ("Innen 1.4.2015", Y2015, ScheduleKind.DATE, [D(2015, 4, 1)], False),
    ("Innen 31.1.2015", Y2015, ScheduleKind.DATE, [D(2015, 1, 31)], False),
    ("Innen 1.5.2015", Y2015, ScheduleKind.DATE, [D(2015, 5, 1)], False),
    ("Innen 31.3.2015", Y2015, ScheduleKind.DATE, [D(2015, 3, 31)], False),
    ("Innen 1.6.2015", Y2015, ScheduleKind.DATE, [D(2015, 6, 1)], False),
    ("Innen 15.3.2015", Y2015, ScheduleKind.DATE, [D(2015, 3, 15)], False),
    (
        "Det avholdes ytterligere to møter i 2015",
        Y2015,
        ScheduleKind.YEAR,
        [D(2015, 12, 31)],
        False,
    ),
    ("Innen 27.2.2015", Y2015, ScheduleKind.DATE, [D(2015, 2, 27)], False),
    ("Innen 28.2.2015", Y2015, ScheduleKind.DATE, [D(2015, 2, 28)], False),
    ("2.3.2015", Y2015, ScheduleKind.DATE, [D(2015, 3, 2)], False),
    ("Innen 15.8.2015", Y2015, ScheduleKind.DATE, [D(2015, 8, 15)], False),
    (
        "Forventet tidspunkt for leveranse av en boligsosial veileder vil være 2. kvartal 2016",
        Y2015,
        ScheduleKind.QUARTER,
        [D(2016, 6, 30)],
        True,
    ),
    ("Innen 1.3.15", Y2015, ScheduleKind.DATE, [D(2015, 3, 1)], False),
    ("Innen 1.4.15", Y2015, ScheduleKind.DATE, [D(2015, 4, 1)], False),
    ("Innen 1.4.2016", Y2015, ScheduleKind.DATE, [D(2016, 4, 1)], False),
    ("Innen: 26.3.2015", Y2015, ScheduleKind.DATE, [D(2015, 3, 26)], False),
    ("Innen: 15.5.2015", Y2015, ScheduleKind.DATE, [D(2015, 5, 15)], False),
    ("Innen 15.6.2015", Y2015, ScheduleKind.DATE, [D(2015, 6, 15)], False),
    ("Innen 17.4.2015", Y2015, ScheduleKind.DATE, [D(2015, 4, 17)], False),
    ("Innen 1.4 2015", Y2015, ScheduleKind.DATE, [D(2015, 4, 1)], False),
    ("1.5.2015", Y2015, ScheduleKind.DATE, [D(2015, 5, 1)], False),
    ("Innen 1.4. 2015", Y2015, ScheduleKind.DATE, [D(2015, 4, 1)], False),
    ("1.5.15.", Y2015, ScheduleKind.DATE, [D(2015, 5, 1)], False),
    ("Innen 1.3. 2015", Y2015, ScheduleKind.DATE, [D(2015, 3, 1)], False),
    ("Innen 1.7. 2015", Y2015, ScheduleKind.DATE, [D(2015, 7, 1)], False),
    ("Innen utgangen av 2015", Y2015, ScheduleKind.YEAR, [D(2015, 12, 31)], False),
    ("Innen 1.9.2015", Y2015, ScheduleKind.DATE, [D(2015, 9, 1)], False),
    ("Innen 1.12.2015", Y2015, ScheduleKind.DATE, [D(2015, 12, 1)], False),
    ("Innen 15.12.2015", Y2015, ScheduleKind.DATE, [D(2015, 12, 15)], False),
    # Handlingsplan 2018–2020
    ("2. kvartal 2018", Y2018, ScheduleKind.QUARTER, [D(2018, 6, 30)], False),
    ("fortløpende", Y2018, ScheduleKind.CONTINUOUS, [], False),
    ("fortløpende.", Y2018, ScheduleKind.CONTINUOUS, [], False),
    (
        "2. og 4. kvartal hvert år",
        Y2018,
        ScheduleKind.RECURRING,
        [
            D(2018, 6, 30),
            D(2018, 12, 31),
            D(2019, 6, 30),
            D(2019, 12, 31),
            D(2020, 6, 30),
            D(2020, 12, 31),
        ],
        False,
    ),
    ("Pågående satsing.", Y2018, ScheduleKind.CONTINUOUS, [], False),
    ("1. kvartal 2018", Y2018, ScheduleKind.QUARTER, [D(2018, 3, 31)], False),
    ("1. kvartal 2018.", Y2018, ScheduleKind.QUARTER, [D(2018, 3, 31)], False),
    ("4. kvartal 2018", Y2018, ScheduleKind.QUARTER, [D(2018, 12, 31)], False),
    (
        "4. kvartal årlig",
        Y2018,
        ScheduleKind.RECURRING,
        [D(2018, 12, 31), D(2019, 12, 31), D(2020, 12, 31)],
        False,
    ),
    ("innen 1. mars 2018", Y2018, ScheduleKind.DATE, [D(2018, 3, 1)], False),
    (
        "årlig før resultatrapport 1. oktober",
        Y2018,
        ScheduleKind.RECURRING,
        [D(2018, 10, 1), D(2019, 10, 1), D(2020, 10, 1)],
        False,
    ),
    (
        "1. oktober",
        Y2018,
        ScheduleKind.RECURRING,
        [D(2018, 10, 1), D(2019, 10, 1), D(2020, 10, 1)],
        False,
    ),
]


@pytest.mark.parametrize(("text", "years", "kind", "dates", "tentative"), DUE_TEXTS)
def test_due_text_is_interpreted(text, years, kind, dates, tentative):
    schedule = interpret_due_text(text, years=years)
    assert schedule.kind == kind
    assert list(schedule.dates) == dates
    assert schedule.tentative is tentative


def _due_texts_in(path):
    def walk(measures):
        for measure in measures:
            for milestone in measure.get("milestones") or []:
                yield milestone["due"]
            yield from walk(measure.get("measures") or [])

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for part in data["parts"]:
        yield from walk(part["measures"])


@pytest.mark.parametrize("path", PLAN_FILES, ids=lambda p: p.name)
def test_the_table_covers_every_due_text_of_the_plan(path):
    covered = {row[0] for row in DUE_TEXTS}
    missing = sorted(set(_due_texts_in(path)) - covered)
    assert missing == []


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("snart", "ikke en frist"),
        ("", "ikke en frist"),
        ("5. kvartal 2018", "fire kvartaler"),
        ("31.2.2015", "finnes ikke"),
        ("30. februar", "finnes ikke"),
        ("når det passer", "ikke en frist"),
    ],
)
def test_unknown_due_text_is_an_error_that_names_it(text, reason):
    with pytest.raises(DueTextError) as raised:
        interpret_due_text(text, years=Y2018)
    assert f"«{text}»" in str(raised.value)
    assert reason in str(raised.value)


def test_a_quarter_ends_on_its_last_day():
    assert interpret_due_text("1. kvartal 2016", years=[2016]).dates == (D(2016, 3, 31),)
    assert interpret_due_text("3. kvartal 2016", years=[2016]).dates == (D(2016, 9, 30),)
