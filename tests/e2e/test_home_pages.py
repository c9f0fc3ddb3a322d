"""Each role lands on its work (issue 15): the directorate on its undelivered contributions,
the coordinator on round progress and deviations lacking a cause, the reader on the latest
finalised report; every page passes axe-core at 1280 and 320 px and fits."""

import re

import pytest

from rapportering.services import report_finalise
from tests.e2e.conftest import assert_accessible_and_fitting, sign_in
from tests.factories import PASSWORD, deliver_one, occurrence, open_round
from tiltak.models import Occurrence
from tiltak.selectors import unexplained_deviations

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("width", [1280, 320])
def test_a_directorate_user_reaches_the_next_undelivered_contribution_in_one_click(
    page, reported, coordinator, directorate_user, width
):
    page.set_viewport_size({"width": width, "height": 900})
    round = open_round(reported, coordinator)
    avdir = directorate_user.directorate
    first, second = round.participants.measures_of(avdir)[:2]
    deliver_one(round, first, directorate_user)
    sign_in(page, "avdir", PASSWORD)

    undelivered = len(round.participants.measures_of(avdir)) - 1
    figure = page.locator(".figures li", has_text="bidrag ikke levert")
    assert figure.locator(".figure").inner_text() == str(undelivered)
    assert round.plan.title in page.locator(".task").first.inner_text()
    assert_accessible_and_fitting(page)

    page.get_by_role("link", name="Skriv neste bidrag").click()

    page.wait_for_url(re.compile(rf"/rapport/{round.pk}/bidrag/{second}/{avdir.pk}/"))
    assert_accessible_and_fitting(page)


@pytest.mark.parametrize("width", [1280, 320])
def test_a_coordinator_sees_round_progress_and_deviations_lacking_a_cause(
    page, reported, coordinator, width
):
    page.set_viewport_size({"width": width, "height": 900})
    open_round(reported, coordinator)
    lacking = occurrence("5", year=2019)
    lacking.status, lacking.new_date = "postponed", "2020-06-30"
    lacking.save()
    sign_in(page, "koordinator", PASSWORD)

    rounds = page.get_by_role("region", name=re.compile("Bidrag til"))
    assert rounds.first.locator("progress").count() > 0
    count = unexplained_deviations()[1]
    assert lacking in Occurrence.objects.of_active_plans().with_deviation()
    heading = page.locator("#deviations-heading").inner_text()
    assert heading == f"Avvik uten årsak eller korrigerende tiltak ({count})"
    rows = page.locator("section:has(#deviations-heading) tbody tr")
    assert rows.count() == min(count, 10)
    assert_accessible_and_fitting(page)


@pytest.mark.parametrize("width", [1280, 320])
def test_a_reader_sees_the_latest_finalised_report(
    page, ready_round, coordinator, reader, width, final_reports_removed_after
):
    page.set_viewport_size({"width": width, "height": 900})
    final = report_finalise(round_id=ready_round.pk, user=coordinator)
    sign_in(page, "leser", PASSWORD)

    page.locator(f'a[href="{final.get_absolute_url()}"]').first.click()

    page.wait_for_url(re.compile(re.escape(final.get_absolute_url())))
    assert_accessible_and_fitting(page)
