"""A directorate's milestones as an iCalendar feed, for Outlook and other calendar programs."""

from datetime import timedelta

import icalendar
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tiltak.models import Occurrence


def feed_occurrences(feed):
    """The dated occurrences of the feed's directorate in active plans (continuous ones have
    no day)."""
    return (
        Occurrence.objects.of_active_plans()
        .concerning(feed.directorate)
        .filter(planned_date__isnull=False)
        .select_related("milestone__measure__plan")
        .order_by("planned_date", "pk")
    )


def calendar_bytes(feed, site_url):
    """The feed as iCalendar: an all-day event on each occurrence's due date."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Bolig for velferd//Tiltaksoppfolging//NB")
    calendar.add("version", "2.0")
    calendar.add(
        "x-wr-calname", _("Bolig for velferd – %(name)s") % {"name": feed.directorate.short_name}
    )
    for occurrence in feed_occurrences(feed):
        measure = occurrence.milestone.measure
        event = icalendar.Event()
        event.add("uid", f"forekomst-{occurrence.pk}@bolig-for-velferd")
        event.add("dtstamp", occurrence.updated_at or feed.created_at)
        event.add("dtstart", occurrence.due_date)
        event.add("dtend", occurrence.due_date + timedelta(days=1))
        event.add("summary", f"{measure.number} {occurrence.milestone.text}")
        event.add("description", _description(occurrence))
        event.add("url", site_url + measure.get_absolute_url())
        calendar.add_component(event)
    return calendar.to_ical()


def _description(occurrence):
    lines = [
        _("Plan: %(plan)s") % {"plan": occurrence.milestone.measure.plan.title},
        _("Measure %(number)s: %(title)s")
        % {
            "number": occurrence.milestone.measure.number,
            "title": occurrence.milestone.measure.title,
        },
        _("Due (as written): %(due)s") % {"due": occurrence.milestone.due_text},
        _("Status: %(status)s") % {"status": occurrence.get_status_display()},
    ]
    if occurrence.assessment:
        lines.append(
            _("Assessment: %(assessment)s") % {"assessment": occurrence.get_assessment_display()}
        )
    if occurrence.is_rescheduled:
        first = date_format(occurrence.planned_date, "SHORT_DATE_FORMAT")
        lines.append(_("First planned: %(date)s") % {"date": first})
    return "\n".join(lines)
