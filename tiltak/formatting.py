"""How values are written for people, in pages, history and exports alike."""

from django.utils.formats import date_format


def short_date(value):
    """A date as 31.12.2019 (in the active language's short format), or "" for none."""
    return date_format(value, "SHORT_DATE_FORMAT") if value else ""
