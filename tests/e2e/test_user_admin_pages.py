"""An administrator manages users in the browser: the list, the form with its errors, and the
deactivation page pass axe-core, and nothing scrolls sideways at 320 px."""

import pytest

from tests.e2e.conftest import assert_accessible, assert_no_sideways_scroll, sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_admin_creates_and_deactivates_a_user(page, seeded_plans, admin_user, directorate_user):
    sign_in(page, "administrator", PASSWORD)
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Brukere").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Brukere"
    assert_accessible(page)

    page.get_by_label("Rolle").select_option("directorate")
    page.get_by_role("button", name="Vis brukere").click()
    assert "rolle=directorate" in page.url
    page.get_by_role("link", name="Ny bruker").click()
    page.get_by_label("Brukernavn").fill("kari")
    page.get_by_label("Rolle").select_option("directorate")
    page.get_by_role("button", name="Lagre").click()
    summary = page.locator(".ds-error-summary")
    assert "må ha et direktorat" in summary.inner_text()
    summary.get_by_role("link").click()  # the error summary leads to the field
    assert page.evaluate("document.activeElement.id") == "id_directorate"
    assert_accessible(page)

    page.get_by_label("Direktorat").select_option(label="KDI")
    page.get_by_role("button", name="Lagre").click()
    assert "rolle=directorate" in page.url  # back to the list as it was filtered
    assert page.get_by_role("status").inner_text() == "Lagret: kari"

    page.get_by_role("link", name="Deaktiver avdir").click()
    assert "logget ut overalt" in page.get_by_role("main").inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Deaktiver").click()
    assert page.locator(f"#user-{directorate_user.pk}").get_by_text("Deaktivert").is_visible()
    assert_accessible(page)


def test_the_user_pages_fit_a_narrow_screen(page, seeded_plans, admin_user, directorate_user):
    sign_in(page, "administrator", PASSWORD)
    page.set_viewport_size({"width": 320, "height": 700})
    for url in [
        "/brukere/",
        "/brukere/ny/",
        f"/brukere/{directorate_user.pk}/endre/",
        f"/brukere/{directorate_user.pk}/deaktiver/",
    ]:
        page.goto(url)
        assert_no_sideways_scroll(page)
    page.goto("/brukere/")
    region = page.get_by_role("region", name="Brukere", exact=True)
    region.focus()
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Brukere"
