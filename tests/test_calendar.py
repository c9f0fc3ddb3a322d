"""Calendar feeds: a directorate's milestones as iCalendar behind a secret, revocable address."""

from datetime import date, timedelta

import icalendar
import pytest
from django.core.management import call_command
from django.urls import reverse

from rapportering.models import CalendarFeed
from tiltak.models import Occurrence

pytestmark = pytest.mark.django_db


@pytest.fixture
def avdir_feed(client, seeded_plans, directorate_user):
    client.force_login(directorate_user)
    response = client.post(reverse("rapportering:calendar"), {"directorate": "AVdir"})
    assert response.status_code == 302
    return CalendarFeed.objects.get(user=directorate_user)


def parse(response):
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def test_the_feed_has_an_all_day_event_for_every_dated_milestone_of_the_directorate(
    client, avdir_feed
):
    client.logout()  # a calendar program does not sign in

    calendar = parse(client.get(avdir_feed.get_absolute_url()))

    events = calendar.walk("VEVENT")
    dated = Occurrence.objects.concerning(avdir_feed.directorate).filter(planned_date__isnull=False)
    assert len(events) == dated.count() > 0
    first = events[0]
    assert isinstance(first.decoded("dtstart"), date)
    assert first.decoded("dtend") - first.decoded("dtstart") == timedelta(days=1)
    assert "Status: Ikke startet" in str(first["description"])
    assert str(calendar["x-wr-calname"]) == "Bolig for velferd – AVdir"


def test_a_moved_milestone_falls_on_its_new_date_with_the_first_in_the_description(
    client, avdir_feed
):
    occurrence = (
        Occurrence.objects.concerning(avdir_feed.directorate)
        .filter(planned_date=date(2018, 3, 31))
        .first()
    )
    occurrence.status, occurrence.new_date = "postponed", date(2018, 9, 30)
    occurrence.save()

    calendar = parse(client.get(avdir_feed.get_absolute_url()))

    event = next(
        e
        for e in calendar.walk("VEVENT")
        if str(e["uid"]) == f"forekomst-{occurrence.pk}@bolig-for-velferd"
    )
    assert event.decoded("dtstart") == date(2018, 9, 30)
    assert "Status: Utsatt" in str(event["description"])
    assert "Opprinnelig dato: 31.03.2018" in str(event["description"])


def test_a_revoked_address_is_404(client, avdir_feed):
    url = avdir_feed.get_absolute_url()

    response = client.post(reverse("rapportering:calendar"), {"revoke": avdir_feed.pk})

    assert response.status_code == 302
    assert client.get(url).status_code == 404
    avdir_feed.refresh_from_db()
    assert avdir_feed.revoked_at is not None
    assert avdir_feed.history.count() == 2


def test_an_unknown_address_is_404(client):
    assert client.get(reverse("rapportering:calendar-feed", args=["gjettet"])).status_code == 404


def test_nobody_revokes_anothers_address(client, avdir_feed, coordinator):
    client.force_login(coordinator)

    response = client.post(reverse("rapportering:calendar"), {"revoke": avdir_feed.pk})

    assert response.status_code == 404
    assert client.get(avdir_feed.get_absolute_url()).status_code == 200


def test_a_directorate_user_follows_only_its_own_directorate(
    client, seeded_plans, directorate_user
):
    client.force_login(directorate_user)

    page = client.get(reverse("rapportering:calendar")).content.decode()
    refused = client.post(reverse("rapportering:calendar"), {"directorate": "KDI"})

    assert '<option value="AVdir">' in page
    assert '<option value="KDI">' not in page
    assert refused.status_code == 404
    assert not CalendarFeed.objects.exists()


def test_the_page_lists_the_users_own_addresses(client, avdir_feed, directorate_user):
    content = client.get(reverse("rapportering:calendar")).content.decode()

    assert f"http://testserver{avdir_feed.get_absolute_url()}" in content


def test_the_feed_takes_no_more_queries_with_a_larger_plan(
    client, avdir_feed, queries_for, request
):
    # One query more than the feed alone needs: its owner's role, asked at every request.
    before = queries_for(7, lambda: client.get(avdir_feed.get_absolute_url()))
    request.getfixturevalue("larger_plan")  # 40 more measures led by AVdir
    assert queries_for(7, lambda: client.get(avdir_feed.get_absolute_url())) == before


def test_the_feed_ends_when_its_owner_is_deactivated(client, avdir_feed, directorate_user):
    directorate_user.is_active = False
    directorate_user.save()

    assert client.get(avdir_feed.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    ("role", "directorate"),
    [("reader", None), ("coordinator", None), ("directorate", "KDI")],
    ids=["becomes-reader", "becomes-coordinator", "moves-to-KDI"],
)
def test_the_feed_ends_when_its_owner_loses_the_role_or_the_directorate_it_was_made_for(
    client, avdir_feed, role, directorate
):
    url = avdir_feed.get_absolute_url()
    assert client.get(url).status_code == 200

    options = ["--directorate", directorate] if directorate else []
    call_command("create_user", "avdir", "--role", role, *options, verbosity=0)

    assert client.get(url).status_code == 404


def test_a_coordinators_feed_lasts_while_the_coordinator_does(client, seeded_plans, coordinator):
    client.force_login(coordinator)
    client.post(reverse("rapportering:calendar"), {"directorate": "KDI"})
    url = CalendarFeed.objects.get(user=coordinator).get_absolute_url()
    client.logout()

    assert client.get(url).status_code == 200
    call_command("create_user", "koordinator", "--role", "reader", verbosity=0)
    assert client.get(url).status_code == 404


def test_the_admin_sees_addresses_but_makes_none(client, avdir_feed, admin_user):
    """An address is its owner's, made under the owner's role on the calendar page."""
    client.force_login(admin_user)

    assert client.get(reverse("admin:rapportering_calendarfeed_add")).status_code == 403
    change = reverse("admin:rapportering_calendarfeed_change", args=[avdir_feed.pk])
    assert client.get(change).status_code == 200
