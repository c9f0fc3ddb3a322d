"""Reading the plans' own wording of when a milestone is due.

`interpret_due_text("2. kvartal 2018", years=[2018, 2019, 2020])` gives a `Schedule`
with the dates the milestone falls due. The forms are those of DOMAIN.md:

- an exact date: "Innen 15.2.2015", "31.1.14", "Innen 1.4 2015", "innen 1. mars 2018"
- a quarter: "2. kvartal 2018" (its last day)
- a year: "Innen utgangen av 2015", "… to møter i 2015" (31 December)
- recurring: "2. og 4. kvartal hvert år", "4. kvartal årlig", "årlig før resultatrapport
  1. oktober", "1. oktober" (a day with no year: every year of the plan)
- no date: "fortløpende", "Pågående satsing"

"Forventet …" marks the target as uncertain. Anything else is a `DueTextError`.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

MONTHS = {
    name: number
    for number, name in enumerate(
        [
            "januar",
            "februar",
            "mars",
            "april",
            "mai",
            "juni",
            "juli",
            "august",
            "september",
            "oktober",
            "november",
            "desember",
        ],
        start=1,
    )
}
_MONTH = "(" + "|".join(MONTHS) + ")"


class ScheduleKind(StrEnum):
    DATE = "date"
    QUARTER = "quarter"
    YEAR = "year"
    RECURRING = "recurring"
    CONTINUOUS = "continuous"


@dataclass(frozen=True)
class Schedule:
    kind: ScheduleKind
    dates: tuple[date, ...]
    tentative: bool = False


class DueTextError(ValueError):
    def __init__(self, text, reason=None):
        self.text = text
        self.reason = reason or _("not a due date the application can read")
        super().__init__(f"«{text}»: {self.reason}")


def quarter_end(year, quarter):
    month = quarter * 3
    return date(year, month, calendar.monthrange(year, month)[1])


def _year(digits):
    """Four digits as written; two digits are this century's ("31.1.14" is 2014)."""
    value = int(digits)
    return value + 2000 if len(digits) == 2 else value


def _quarter(digit, text):
    quarter = int(digit)
    if not 1 <= quarter <= 4:
        raise DueTextError(text, _("a year has four quarters"))
    return quarter


def _date(text, year, month, day):
    try:
        return date(year, month, day)
    except ValueError:
        raise DueTextError(text, _("no such date")) from None


def _continuous(match, text, years):
    return ScheduleKind.CONTINUOUS, ()


def _recurring_quarters(match, text, years):
    quarters = sorted({_quarter(digit, text) for digit in match.group(1, 2)})
    return ScheduleKind.RECURRING, tuple(quarter_end(y, q) for y in years for q in quarters)


def _recurring_quarter(match, text, years):
    quarter = _quarter(match.group(1), text)
    return ScheduleKind.RECURRING, tuple(quarter_end(y, quarter) for y in years)


def _quarter_of_year(match, text, years):
    quarter = _quarter(match.group(1), text)
    return ScheduleKind.QUARTER, (quarter_end(_year(match.group(2)), quarter),)


def _numeric_date(match, text, years):
    day, month, year = match.group(1, 2, 3)
    return ScheduleKind.DATE, (_date(text, _year(year), int(month), int(day)),)


def _named_date(match, text, years):
    day, month, year = match.group(1, 2, 3)
    return ScheduleKind.DATE, (_date(text, _year(year), MONTHS[month], int(day)),)


def _yearly_named_date(match, text, years):
    day, month = int(match.group(1)), MONTHS[match.group(2)]
    return ScheduleKind.RECURRING, tuple(_date(text, y, month, day) for y in years)


def _end_of_year(match, text, years):
    return ScheduleKind.YEAR, (date(_year(match.group(1)), 12, 31),)


# Tried in order on the lower-cased text; the first that matches decides.
RULES = [
    (re.compile(r"^(fortløpende|pågående satsing)$"), _continuous),
    (
        re.compile(r"\b([1-9])\.\s*og\s*([1-9])\.\s*kvartal\s+(hvert\s+år|årlig)\b"),
        _recurring_quarters,
    ),
    (re.compile(r"\b([1-9])\.\s*kvartal\s+(hvert\s+år|årlig)\b"), _recurring_quarter),
    (re.compile(r"\b([1-9])\.\s*kvartal\s+(\d{4})\b"), _quarter_of_year),
    (re.compile(r"\b(\d{1,2})\.(\d{1,2})(?:\.\s*|\s+)(\d{4}|\d{2})\b"), _numeric_date),
    (re.compile(rf"\b(\d{{1,2}})\.\s*{_MONTH}\s+(\d{{4}})\b"), _named_date),
    (re.compile(rf"\b(\d{{1,2}})\.\s*{_MONTH}$"), _yearly_named_date),
    (re.compile(r"\b(?:utgangen\s+av|i)\s+(\d{4})$"), _end_of_year),
]


def normalise(text):
    return re.sub(r"\s+", " ", text).strip().rstrip(".").strip().lower()


def interpret_due_text(text, *, years):
    """The schedule a due text describes; `years` are the plan's reporting years."""
    normalised = normalise(text)
    for pattern, build in RULES:
        match = pattern.search(normalised)
        if match:
            kind, dates = build(match, text, years)
            return Schedule(kind, dates, tentative=normalised.startswith("forventet"))
    raise DueTextError(text)
