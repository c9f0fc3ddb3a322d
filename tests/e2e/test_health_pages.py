"""A reader finds the measures in deviation by their health tag: the measures list (filtered
and sorted by health) and the measure page pass axe-core at 1280 and 320 px, and fit."""

import pytest

from tests.e2e.conftest import assert_accessible_and_fitting, sign_in
from tests.factories import PASSWORD, measure

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("width", [1280, 320])
def test_a_reader_finds_measures_in_deviation_by_their_health(page, seeded_plans, reader, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, "leser", PASSWORD)

    page.goto("/tiltak/")
    page.get_by_label("Samlet status i planåret").select_option(label="Avvik")
    page.get_by_label("Sorter etter").select_option(label="Dårligst samlet status først")
    page.get_by_role("button", name="Vis tiltak").click()
    tags = page.locator("table .health-tag").all_inner_texts()
    assert tags
    assert set(tags) == {"Avvik"}
    assert_accessible_and_fitting(page)

    page.goto(measure("6").get_absolute_url())
    assert page.locator("h1 + p .health-tag").inner_text() == "Avvik"
    assert page.locator(".occurrence-state").first.inner_text().startswith("Forsinket siden ")
    assert_accessible_and_fitting(page)

    # The plan page: each measure's tag, by the same rule as the list's.
    page.goto(measure("6").plan.get_absolute_url())
    for number in ("6", "9"):
        article = page.locator(
            "article.measure", has=page.locator(f"#measure-{measure(number).pk}")
        )
        assert article.locator(".health-tag").inner_text() == measure(number).health_in().label
    assert_accessible_and_fitting(page)
