"""A coordinator closes the ended 2015 plan in the browser: the plan page offers it, the close
page shows what is missing and keeps what was typed, passes axe-core, and fits 320 px."""

import pytest

from tests.e2e.conftest import assert_accessible, assert_no_sideways_scroll, sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_coordinator_closes_an_ended_plan(page, seeded_plans, coordinator):
    sign_in(page, "koordinator", PASSWORD)
    page.goto("/planer/tiltaksplan-2015/")
    assert page.get_by_text("Aktiv", exact=True).is_visible()
    page.get_by_role("link", name="Avslutt planen").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Avslutt planen")
    assert_accessible(page)

    finals = page.get_by_label("endelig status")
    reasons = page.get_by_label("begrunnelse")
    finals.first.select_option("completed")
    reasons.first.fill("Levert i 2016")
    page.get_by_role("button", name="Avslutt planen").click()
    assert "Rett opp dette" in page.locator(".ds-error-summary").inner_text()
    assert reasons.first.input_value() == "Levert i 2016"
    assert_accessible(page)

    for i in range(finals.count()):
        finals.nth(i).select_option("completed")
        reasons.nth(i).fill("Levert i 2016")
    page.set_viewport_size({"width": 320, "height": 700})
    assert_no_sideways_scroll(page)
    page.get_by_role("button", name="Avslutt planen").click()
    assert page.get_by_role("status").inner_text() == "Planen er avsluttet."
    assert page.get_by_text("Planen er avsluttet og kan bare leses.").is_visible()
    assert_no_sideways_scroll(page)
    page.goto("/planer/")
    assert page.get_by_role("heading", name="Avsluttede planer").is_visible()
    assert_no_sideways_scroll(page)
