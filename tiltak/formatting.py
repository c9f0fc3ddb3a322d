"""How values are written for people, in pages, history and exports alike."""

from django.utils.formats import date_format
from django.utils.translation import gettext as _


def short_date(value):
    """A date as 31.12.2019 (in the active language's short format), or "" for none."""
    return date_format(value, "SHORT_DATE_FORMAT") if value else ""


def planned_label(occurrence):
    """An occurrence's date first planned, "31.03.2018", or "2019 (continuous)" for a
    continuous one: the tables' and the report's column beside the new date. `occurrence`
    is an Occurrence or a past state of one (OccurrenceState)."""
    if occurrence.is_continuous:
        return _("%(year)s (continuous)") % {"year": occurrence.year}
    return short_date(occurrence.planned_date)


def due_label(occurrence):
    """When an occurrence is due, as the pages and reminders write it: its date first
    planned (see `planned_label`), or, once moved, the new date and then the first:
    "30.09.2018 (first planned 31.03.2018)"."""
    if not occurrence.is_rescheduled:
        return planned_label(occurrence)
    new = short_date(occurrence.new_date)
    if occurrence.is_continuous:
        return _("%(new)s (first planned as continuous in %(year)s)") % {
            "new": new,
            "year": occurrence.year,
        }
    return _("%(new)s (first planned %(planned)s)") % {
        "new": new,
        "planned": short_date(occurrence.planned_date),
    }
