"""A reader signs in, opens a plan and reads it; every page passes axe-core."""

import pytest

from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_reader_signs_in_and_reads_a_plan(page, seeded_plans, reader):
    page.goto("/")
    assert page.get_by_role("heading", level=1).inner_text() == "Logg inn"
    assert_accessible(page)

    sign_in(page, "leser", PASSWORD)
    assert (
        page.get_by_role("heading", level=1).inner_text()
        == "Bolig for velferd: rapportene og planene"
    )
    assert_accessible(page)

    page.get_by_role("link", name="Handlingsplan Bolig for velferd 2018–2020").click()
    assert (
        page.get_by_role("heading", level=1).inner_text()
        == "Handlingsplan Bolig for velferd 2018–2020"
    )
    assert page.get_by_role(
        "heading",
        name="Tiltak 8: Informasjon i Veiviseren om refusjonsordninger for forvaringsdømte",
    ).is_visible()
    # Each measure's milestones are folded, their number and how many are late in view.
    milestones = page.get_by_role("table", name="Milepæler for tiltak 8")
    assert not milestones.is_visible()
    caption = page.locator("caption", has_text="Milepæler for tiltak 8")
    article = page.locator("article.measure", has=caption)
    summary = article.locator("summary", has_text="milepæl")
    assert "forsinket" in summary.inner_text()  # the plan ended years ago
    summary.click()
    milestones.wait_for()  # shown once unfolded
    assert_accessible(page)

    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Planer").click()
    page.get_by_role("link", name="Felles tiltaksplan Bolig for velferd 2015").click()
    assert page.get_by_role(
        "heading",
        name="Tiltak 1.1: Etablere en struktur for tverrdirektoral gjennomføring av strategien.",
    ).is_visible()
    assert_accessible(page)

    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Oversikt").click()
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading == "Oversikt: Handlingsplan Bolig for velferd 2018–2020, 2020"
    assert page.get_by_role("table", name="Per direktorat").is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Integrerings- og mangfoldsdirektoratet (IMDi)").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Oversikt for IMDi")
    assert_accessible(page)

    page.get_by_role("link", name="Det samme etter strategiens mål").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Oversikt etter mål")
    assert_accessible(page)

    page.goto("/oversikt/tidslinje/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Tidslinje")
    assert_accessible(page)


def test_a_wrong_password_is_told_and_the_page_stays_accessible(page, reader):
    sign_in(page, "leser", "feil-passord")

    assert page.get_by_role("alert").is_visible()
    assert page.get_by_label("Brukernavn").get_attribute("aria-invalid") == "true"
    assert_accessible(page)


def test_the_language_can_be_switched_to_english(page, reader):
    sign_in(page, "leser", PASSWORD)

    page.get_by_role("combobox", name="Språk").select_option("en")
    page.get_by_role("button", name="Bytt språk").click()

    assert (
        page.get_by_role("heading", level=1).inner_text()
        == "Bolig for velferd: the reports and the plans"
    )
    assert page.locator("html").get_attribute("lang") == "en"
    assert_accessible(page)


def test_the_accessibility_statement_is_linked_from_every_page_and_open_to_all(page):
    page.goto("/")
    page.get_by_role("link", name="Tilgjengelighetserklæring").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Tilgjengelighetserklæring"
    assert "WCAG" in page.locator("main").inner_text()
    assert_accessible(page)


def test_a_user_changes_the_password_from_the_page_header(page, reader):
    sign_in(page, "leser", PASSWORD)
    page.get_by_role("navigation", name="Din bruker").get_by_role(
        "link", name="Bytt passord"
    ).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Bytt passord"
    assert_accessible(page)

    page.get_by_label("Gammelt passord").fill("feil-passord")
    page.get_by_label("Nytt passord Må fylles ut", exact=True).fill("Nytt-og-langt-passord-2026")
    page.get_by_label("Bekreft nytt passord").fill("Nytt-og-langt-passord-2026")
    page.get_by_role("button", name="Bytt passord").click()
    assert page.get_by_role("alert").is_visible()
    assert page.get_by_label("Gammelt passord").get_attribute("aria-invalid") == "true"
    assert_accessible(page)

    page.get_by_label("Gammelt passord").fill(PASSWORD)
    page.get_by_label("Nytt passord Må fylles ut", exact=True).fill("Nytt-og-langt-passord-2026")
    page.get_by_label("Bekreft nytt passord").fill("Nytt-og-langt-passord-2026")
    page.get_by_role("button", name="Bytt passord").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Passordet er endret"
    assert_accessible(page)
