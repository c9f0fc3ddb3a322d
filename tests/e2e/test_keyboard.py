"""The status journey by keyboard alone: every control is reached with Tab, with visible focus."""

import pytest

from tests.factories import PASSWORD
from tiltak.models import Measure, Occurrence

pytestmark = pytest.mark.django_db(transaction=True)

FOCUS_IS_VISIBLE = """() => {
  const style = getComputedStyle(document.activeElement);
  return style.outlineStyle !== "none" || style.boxShadow !== "none";
}"""


def tab_to(page, selector, presses=80):
    """Press Tab until the element matching `selector` has focus; fail if it never does."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            assert page.evaluate(FOCUS_IS_VISIBLE), f"no visible focus on {selector}"
            return
    pytest.fail(f"{selector} is not reachable with Tab")


def test_a_coordinator_updates_a_status_by_keyboard_alone(page, seeded_plans, coordinator):
    measure = Measure.objects.get(plan__slug="handlingsplan-2018-2020", number="9")
    page.goto("/")
    tab_to(page, "#id_username")
    page.keyboard.type("koordinator")
    tab_to(page, "#id_password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Dette må følges opp nå").wait_for()

    page.goto(measure.get_absolute_url())
    tab_to(page, "a[hx-get*='/status/']")
    page.keyboard.press("Enter")
    page.wait_for_selector("#id_status")
    # Focus moves into the form after htmx has settled the swap.
    page.wait_for_function("document.activeElement.id === 'id_status'")

    page.keyboard.press("ArrowDown")  # Ikke startet → Pågår
    tab_to(page, "#id_assessment")
    page.keyboard.press("ArrowDown")  # Ikke vurdert → Grønn
    tab_to(page, "button[type=submit].ds-button[data-variant=primary]")
    page.keyboard.press("Enter")

    page.wait_for_url("**?lagret=*")
    occurrence = Occurrence.objects.filter(milestone__measure=measure).get(year=2018)
    assert (occurrence.status, occurrence.assessment) == ("in_progress", "green")
