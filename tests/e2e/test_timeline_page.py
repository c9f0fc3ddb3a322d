"""A reader follows the plan on the timeline: every milestone by name, an overdue one marked
as such, the grid scrolling in its own focusable region, at 1280 and 320 px, with axe-core."""

import pytest

from tests.e2e.conftest import assert_accessible_and_fitting, sign_in
from tests.factories import PASSWORD, occurrence
from tests.test_overview import PLAN

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("width", [1280, 320])
def test_the_timeline_shows_each_milestone_by_name_and_an_overdue_one(
    page, seeded_plans, reader, width
):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, "leser", PASSWORD)
    overdue = occurrence("1", year=2018)

    page.goto(f"/oversikt/tidslinje/?plan={PLAN}")

    item = page.locator(".timeline-item", has_text=overdue.milestone.text).first
    item.scroll_into_view_if_needed()
    assert item.is_visible()
    assert "Forsinket siden 30.06.2018" in item.inner_text()
    region = page.get_by_role("region", name=f"Tidslinje: {seeded_plans[PLAN].title}")
    region.focus()
    assert page.evaluate("document.activeElement.classList.contains('timeline-wrap')")
    assert_accessible_and_fitting(page)

    page.get_by_label("Samlet status").select_option(label="Avvik")
    page.get_by_role("button", name="Vis").click()
    assert set(page.locator(".timeline .health-tag").all_inner_texts()) == {"Avvik"}
