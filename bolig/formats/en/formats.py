"""Dates and times in the English pages: day, month, year as in Europe ("29 Nov 2026",
"29.11.2026 14:05"), never the American 11/29/2026 or "Nov. 29, 2026", which Django's
English defaults would give. Unset values fall back to Django's English formats."""

DATE_FORMAT = "j M Y"  # 29 Nov 2026
DATETIME_FORMAT = "j M Y H:i"  # 29 Nov 2026 14:05
SHORT_DATE_FORMAT = "d.m.Y"  # 29.11.2026, as in the Norwegian pages and the reports
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"  # 29 November
YEAR_MONTH_FORMAT = "F Y"
FIRST_DAY_OF_WEEK = 1  # Monday
# Read as the Norwegian pages read them; never month first.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y", "%d %b %Y", "%d %B %Y"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
]
