"""A coordinator edits a plan in the browser; every form and confirmation passes axe-core."""

import pytest

from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import PASSWORD
from tiltak.models import Measure, Milestone

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_coordinator_adds_a_milestone_and_deletes_it_again(page, seeded_plans, coordinator):
    measure = Measure.objects.get(plan__slug="handlingsplan-2018-2020", number="14")
    sign_in(page, "koordinator", PASSWORD)
    page.goto(measure.get_absolute_url())

    page.get_by_role("link", name="Endre tiltaket").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Endre tiltak")
    assert_accessible(page)
    page.get_by_role("link", name="Avbryt").click()

    page.get_by_role("link", name="Ny milepæl").click()
    page.get_by_role("button", name="Lagre").click()  # empty: errors by the fields
    assert page.locator(".ds-error-summary").is_visible()
    assert_accessible(page)
    page.get_by_label("Tekst").fill("Evaluering av konferansen")
    page.get_by_label("Frist (slik planen skriver den)").fill("1. kvartal 2019")
    page.get_by_role("button", name="Lagre").click()

    assert "Lagret." in page.get_by_role("status").first.inner_text()
    assert page.get_by_role("table", name="Evaluering av konferansen").is_visible()
    assert "31.03.2019" in page.get_by_role("table", name="Evaluering av konferansen").inner_text()

    milestone = Milestone.objects.get(text="Evaluering av konferansen")
    page.goto(f"/milepaeler/{milestone.pk}/slett/")
    assert_accessible(page)
    page.get_by_role("button", name="Slett").click()
    assert "Slettet: Evaluering av konferansen" in page.get_by_role("status").first.inner_text()
    assert not Milestone.objects.filter(pk=milestone.pk).exists()
