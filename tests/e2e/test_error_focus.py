"""After a failed submit of a full-page form the page comes back with "Feil:" first in its
title and focus on its error summary (WCAG 2.4.3, 3.3.1), as the status form swapped in by
htmx does; a page shown without errors leaves focus where it is."""

import pytest

from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD
from tiltak.models import Measure

pytestmark = pytest.mark.django_db(transaction=True)

FOCUSED_SUMMARY = "document.activeElement.classList.contains('ds-error-summary')"


def assert_focus_on_the_summary(page):
    page.wait_for_load_state()
    assert page.title().startswith("Feil: ")
    assert page.evaluate(FOCUSED_SUMMARY), page.evaluate("document.activeElement.outerHTML")


def test_a_refused_sign_in_brings_focus_to_its_error(page, coordinator):
    page.goto("/")
    assert not page.evaluate(FOCUSED_SUMMARY)
    assert not page.title().startswith("Feil")

    sign_in(page, "koordinator", "feil")

    assert_focus_on_the_summary(page)
    assert page.locator(".ds-error-summary li").count() == 1  # the refusal, not the fields
    page.keyboard.press("Tab")  # onwards from the summary: into the form
    assert page.evaluate("document.activeElement.id") == "id_username"


def test_an_empty_milestone_and_a_user_without_directorate(
    page, seeded_plans, coordinator, admin_user
):
    measure = Measure.objects.get(plan__slug="handlingsplan-2018-2020", number="14")
    sign_in(page, "koordinator", PASSWORD)
    page.goto(measure.get_absolute_url())
    page.get_by_role("link", name="Ny milepæl").click()
    assert not page.evaluate(FOCUSED_SUMMARY)
    page.get_by_role("button", name="Lagre").click()

    assert_focus_on_the_summary(page)
    page.locator(".ds-error-summary").get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "id_text"

    page.context.clear_cookies()
    sign_in(page, "administrator", PASSWORD)
    page.goto("/brukere/ny/")
    page.get_by_label("Brukernavn").fill("kari")
    page.get_by_label("Rolle").select_option("directorate")
    page.get_by_role("button", name="Lagre").click()

    assert_focus_on_the_summary(page)
    assert "må ha et direktorat" in page.locator(".ds-error-summary").inner_text()
