"""The administrators' page of directorates' organisation numbers (for Ansattporten sign-ins)
in the browser: reached from the user list, the edit form with its error, both rule engines,
and no sideways scroll at 320 px."""

import pytest

from tests.e2e.conftest import assert_accessible, assert_no_sideways_scroll, sign_in
from tests.factories import PASSWORD
from tiltak.models import Actor

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_admin_sets_a_directorate_s_organisation_number(
    page, live_server, seeded_plans, admin_user
):
    sign_in(page, "administrator", PASSWORD)
    # Then in English: the texts are asserted by their msgids, whatever the catalogue says.
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto("/brukere/")
    page.get_by_role("link", name="Directorates' organisation numbers").click()
    assert_accessible(page)
    page.get_by_role("link", name="Edit AVdir").click()
    field = page.get_by_label("Organisation number")
    field.fill("12345")
    page.get_by_role("button", name="Save").click()
    assert page.locator(".ds-error-summary").is_visible()
    assert_accessible(page)

    field.fill("910000004")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_role("row", name="AVdir").get_by_text("910000004").is_visible()
    assert Actor.objects.get(short_name="AVdir").org_number == "910000004"

    page.set_viewport_size({"width": 320, "height": 700})
    for url in ["/direktorater/", page.url]:
        page.goto(url)
        assert_no_sideways_scroll(page)
