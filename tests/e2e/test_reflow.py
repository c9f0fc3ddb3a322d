"""Reflow (WCAG 1.4.10): at 320 CSS px no page of the main journeys scrolls sideways, for any
role; long Norwegian words wrap, and wide tables scroll inside their own region. The main
menu marks the page the user is on."""

import pytest

from tests.e2e.conftest import assert_no_sideways_scroll, sign_in
from tests.factories import PASSWORD, REPORTED_PLAN, measure, open_round

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = [
    "/",
    "/planer/",
    "/planer/tiltaksplan-2015/",
    f"/planer/{REPORTED_PLAN}/",
    "/tiltak/",
    "/oversikt/",
    "/oversikt/mal/",
    "/oversikt/tidslinje/",
    "/kalender/",
    "/rapport/",
    "/tilgjengelighet/",
    "/passord/",
]


@pytest.mark.parametrize("user", ["coordinator", "directorate_user", "reader"])
def test_no_page_scrolls_sideways_at_320_px(page, seeded_plans, coordinator, request, user):
    signed_in = request.getfixturevalue(user)
    round = open_round(seeded_plans[REPORTED_PLAN], coordinator)
    page.set_viewport_size({"width": 320, "height": 800})
    sign_in(page, signed_in.username, PASSWORD)

    extra = [measure("6").get_absolute_url(), round.get_absolute_url()]
    if signed_in.directorate_id:
        extra.append("/mitt-direktorat/")
    for path in PAGES + extra:
        response = page.goto(path)
        assert response.status == 200, path
        assert_no_sideways_scroll(page)


def test_the_menu_marks_the_current_page(page, seeded_plans, reader):
    sign_in(page, "leser", PASSWORD)

    page.goto(measure("6").get_absolute_url())

    menu = page.get_by_role("navigation", name="Hovedmeny")
    current = menu.locator('[aria-current="page"]')
    assert current.count() == 1
    assert current.inner_text() == "Tiltak"


@pytest.mark.parametrize("width", [1280, 390, 320])
def test_the_header_is_as_high_for_every_role(
    browser, live_server, seeded_plans, reader, directorate_user, coordinator, admin_user, width
):
    """On a narrow screen the menus fold behind *Meny*, so no role's header grows with its
    number of menu items."""
    heights = {}
    for user in (reader, directorate_user, coordinator, admin_user):
        context = browser.new_context(base_url=live_server.url, locale="nb-NO")
        page = context.new_page()
        page.set_viewport_size({"width": width, "height": 900})
        sign_in(page, user.username, PASSWORD)
        heights[user.username] = page.locator("header").bounding_box()["height"]
        if width < 600:
            page.get_by_text("Meny", exact=True).click()
            menu = page.get_by_role("navigation", name="Hovedmeny")
            assert menu.get_by_role("link", name="Planer").is_visible()
        context.close()
    assert len(set(heights.values())) == 1, heights
