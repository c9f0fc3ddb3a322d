"""No browser or proxy keeps a private page, a download or a calendar feed."""

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.handlers.wsgi import WSGIHandler
from django.test import RequestFactory
from django.urls import reverse

from rapportering.exports import FORMATS
from tests.factories import final_report, report_round
from tests.test_permissions import MATRIX, ROLES

pytestmark = pytest.mark.django_db

FIXTURES = {
    "coordinator": "coordinator",
    "own_directorate": "directorate_user",
    "other_directorate": "other_directorate_user",
    "reader": "reader",
    "admin": "admin_user",
}
SIGNED_IN = ROLES[1:]


def assert_not_stored(response, url):
    assert response.status_code == 200, url
    assert "no-store" in response.get("Cache-Control", ""), url


def readers_of(name):
    """The signed-in roles to whom the URL pattern `name` answers a GET with 200."""
    return [role for role in SIGNED_IN if MATRIX[name][2][role][0] == 200]


@pytest.mark.parametrize("name", [name for name in sorted(MATRIX) if readers_of(name)])
def test_every_page_a_signed_in_user_reads_is_sent_with_no_store(
    client, seeded_plans, coordinator, request, name
):
    """Every URL pattern of the permission matrix, as every role that may read it."""
    url = MATRIX[name][0]()
    for role in readers_of(name):
        client.force_login(request.getfixturevalue(FIXTURES[role]))
        assert_not_stored(client.get(url), f"{url} as {role}")


def test_the_calendar_feed_is_sent_with_no_store(client, seeded_plans, coordinator):
    feed_url = MATRIX["calendar-feed"][0]()

    assert_not_stored(client.get(feed_url), feed_url)  # read without signing in


def test_every_table_download_is_sent_with_no_store(client, seeded_plans, reader):
    client.force_login(reader)
    plan = "plan=handlingsplan-2018-2020&ar=2019"
    urls = [
        *(
            f"{reverse('rapportering:overview')}?{plan}&tabell={table}"
            for table in ("status", "vurdering", "avvik", "forsinket", "frist-snart")
        ),
        f"{reverse('rapportering:goal-overview')}?{plan}&tabell=mal",
        f"{reverse('rapportering:timeline')}?{plan}&tabell=tidslinje",
    ]
    for url in urls:
        response = client.get(url)
        assert response["Content-Type"] == "text/csv; charset=utf-8", url
        assert_not_stored(response, url)


@pytest.mark.parametrize("format", sorted(FORMATS))
def test_every_report_file_is_sent_with_no_store(client, seeded_plans, coordinator, format):
    client.force_login(coordinator)
    draft = reverse("rapportering:report-download", args=[report_round().pk, format])
    assert_not_stored(client.get(draft), draft)

    stored = reverse("rapportering:final-report-file", args=[final_report().pk, "csv"])
    assert_not_stored(client.get(stored), stored)


def test_static_files_are_served_past_the_application_and_stay_cacheable():
    handler = StaticFilesHandler(WSGIHandler())

    response = handler.get_response(RequestFactory().get("/static/vendor/htmx/htmx.min.js"))

    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
