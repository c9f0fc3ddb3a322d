"""The warning before the session ends (WCAG 2.2.1), with timeouts of seconds: the live server
runs in this process, so the `settings` fixture sets them."""

import pytest

from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import PASSWORD, measure

pytestmark = pytest.mark.django_db(transaction=True)

STATUS = "fetch('/okt/').then(r => r.json())"


@pytest.fixture
def short_session(settings):
    """Idle out after 12 s, warned 10 s before: the warning comes about 2 s after a request."""
    settings.SESSION_IDLE_TIMEOUT = 12
    settings.SESSION_WARNING_BEFORE = 10
    settings.SESSION_ABSOLUTE_TIMEOUT = 3600


def test_the_warning_is_announced_and_stay_signed_in_extends_the_session(
    page, seeded_plans, coordinator, short_session
):
    sign_in(page, "koordinator", PASSWORD)
    page.goto("/planer/")

    dialog = page.get_by_role("alertdialog")
    dialog.wait_for(state="visible", timeout=10_000)

    # Named and described for a screen reader, modal, with focus on its one action.
    assert dialog.get_attribute("aria-labelledby") == "session-warning-title"
    described = page.locator("#session-warning-text").inner_text()
    assert described
    assert "{time}" not in described
    assert page.evaluate("document.getElementById('session-warning').matches(':modal')")
    stay = dialog.locator("form[data-session-extend] button")
    assert stay.evaluate("button => button === document.activeElement")
    assert_accessible(page)
    before = page.evaluate(STATUS)["idle"]

    page.keyboard.press("Enter")  # "Stay signed in", where focus is

    dialog.wait_for(state="hidden")
    after = page.evaluate(STATUS)
    assert after["idle"] > before
    assert after["idle"] >= 10
    # Still signed in once the first request's 12 seconds have passed.
    page.wait_for_timeout(3_000)
    assert page.evaluate(STATUS)["idle"] > 0


def test_typing_counts_as_being_there_and_is_not_interrupted(
    page, seeded_plans, coordinator, short_session
):
    sign_in(page, "koordinator", PASSWORD)
    page.goto(f"/tiltak/{measure().pk}/endre/")
    field = page.locator("#id_purpose")
    field.click()

    for _second in range(6):  # past the moment of the warning, typing all along
        field.press_sequentially("abc ")
        page.wait_for_timeout(1_000)

    assert not page.get_by_role("alertdialog").is_visible()
    assert page.evaluate("document.activeElement.id") == "id_purpose"
    assert page.evaluate(STATUS)["idle"] >= 5  # extended while typing: 12 s would have passed


def test_the_end_is_said_and_a_form_sent_then_comes_back_after_signing_in(
    page, seeded_plans, coordinator, short_session
):
    sign_in(page, "koordinator", PASSWORD)
    page.goto(f"/tiltak/{measure().pk}/endre/")
    page.locator("#id_purpose").fill("Skrevet før utlogging")
    dialog = page.get_by_role("alertdialog")
    # Extended quietly while the typing is recent (10 s here), then warned.
    dialog.wait_for(state="visible", timeout=20_000)
    page.keyboard.press("Escape")  # closed, not extended

    # After the end, the page says so (the check signs the session out on the server).
    page.locator("#session-warning[open]").wait_for(timeout=20_000)
    assert page.locator("form[data-session-extend]").is_hidden()
    page.keyboard.press("Escape")

    page.locator("form.edit-form button[type=submit]").click()
    page.get_by_label("Brukernavn").fill("koordinator")
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()

    assert page.locator("#id_purpose").input_value() == "Skrevet før utlogging"
    assert page.locator("#form-refilled").is_visible()
