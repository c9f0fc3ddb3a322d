"""Journeys of issue 3 in a real browser, with axe-core on every page visited."""

import re

import pytest

from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import PASSWORD
from tiltak.models import Measure, Occurrence

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_coordinator_postpones_a_milestone_with_a_deviation_and_sees_it_in_the_history(
    page, seeded_plans, coordinator
):
    measure = Measure.objects.get(plan__slug="handlingsplan-2018-2020", number="8")
    sign_in(page, "koordinator", PASSWORD)

    page.goto(measure.get_absolute_url())
    assert_accessible(page)
    page.get_by_role("link", name="Oppdater status").click()  # htmx: the form opens in place
    occurrence = measure.milestones.get().occurrences.get()
    heading = page.get_by_role("heading", name=f"Oppdater status: {occurrence.milestone.text}")
    heading.wait_for()
    # The row it edits is marked.
    assert page.locator(f"#occurrence-{occurrence.pk}").evaluate(
        "row => row.classList.contains('is-editing')"
    )
    page.get_by_label("Status Må fylles ut", exact=True).select_option("postponed")
    page.get_by_role("button", name="Lagre status").click()

    summary = page.locator(".ds-error-summary")
    summary.wait_for()
    assert "Årsak til avviket: Må fylles ut når milepælen har avvik." in summary.inner_text()
    # Focus moves after htmx has settled the swap, a moment after the summary appears.
    page.wait_for_function("document.activeElement.classList.contains('ds-error-summary')")
    assert_accessible(page)

    page.get_by_label("Årsak til avviket").fill("Venter på avklaring med departementet")
    page.get_by_label("Konsekvens for måloppnåelsen").fill("Kommunene får informasjonen senere")
    page.get_by_label("Korrigerende tiltak").fill("Utkast sendes på høring i mai")
    page.get_by_label("Ny dato").fill("2018-09-30")
    page.get_by_role("button", name="Lagre status").click()

    page.wait_for_url(re.compile(r"/tiltak/\d+/\?lagret=\d+#occurrence-\d+"))
    assert page.get_by_role("status").inner_text() == "Statusen er lagret."
    history = page.get_by_role("table", name="Historikk for statusendringer")
    assert "Status: Ikke startet → Utsatt" in history.inner_text()
    assert "Ny dato: – → 30.09.2018" in history.inner_text()
    assert (
        "30.09.2018 (opprinnelig 31.03.2018)"
        in page.locator(f"#occurrence-{occurrence.pk}").inner_text()
    )
    assert_accessible(page)


def test_the_status_form_works_without_javascript(browser, live_server, seeded_plans, coordinator):
    context = browser.new_context(
        java_script_enabled=False, base_url=live_server.url, locale="nb-NO"
    )
    page = context.new_page()
    measure = Measure.objects.get(plan__slug="handlingsplan-2018-2020", number="9")
    sign_in(page, "koordinator", PASSWORD)

    page.goto(measure.get_absolute_url())
    page.get_by_role("link", name="Oppdater status").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Oppdater status"
    page.get_by_label("Status Må fylles ut", exact=True).select_option("in_progress")
    page.get_by_label("Vurdering").select_option("green")
    page.get_by_role("button", name="Lagre status").click()

    assert page.get_by_role("status").inner_text() == "Statusen er lagret."
    assert Occurrence.objects.filter(milestone__measure=measure, status="in_progress").count() == 1
    context.close()


def test_a_reader_can_read_but_not_change_anything(page, seeded_plans, reader):
    measure = Measure.objects.get(plan__slug="handlingsplan-2018-2020", number="8")
    occurrence = measure.milestones.get().occurrences.get()
    sign_in(page, "leser", PASSWORD)

    page.goto(measure.get_absolute_url())
    assert page.get_by_role("heading", level=1).is_visible()
    assert page.get_by_role("link", name="Oppdater status").count() == 0
    assert_accessible(page)

    response = page.goto(f"/forekomster/{occurrence.pk}/status/")
    assert response.status == 403
    assert page.get_by_role("heading", level=1).inner_text() == "Du kan ikke gjøre dette"
    assert_accessible(page)
    occurrence.refresh_from_db()
    assert occurrence.version == 0


def test_a_directorate_user_sees_its_own_measures_and_updates_one(
    page, seeded_plans, directorate_user
):
    sign_in(page, "avdir", PASSWORD)

    assert (
        page.get_by_role("heading", level=1).inner_text()
        == "Dette trenger Arbeids- og velferdsdirektoratet å gjøre nå"
    )
    assert_accessible(page)
    page.get_by_role("link", name="Alle våre tiltak").click()
    ours = page.get_by_role("table", name="Våre tiltak").inner_text()
    assert "6 Læringsprosjekter" in ours
    assert "Informasjon i Veiviseren om refusjonsordninger" not in ours  # KDI's measure
    assert_accessible(page)

    page.get_by_role("table", name="Våre tiltak").get_by_role(
        "link", name="2 Anvende kunnskap fra Housing first, IPS og ACT/FACT i arbeidsprosesser"
    ).click()
    assert_accessible(page)
    page.get_by_role("link", name="Oppdater status").first.click()
    page.get_by_label("Status Må fylles ut", exact=True).select_option("in_progress")
    page.get_by_label("Vurdering").select_option("green")
    page.get_by_label("Kommentar").fill("Omtalt i kunngjøringen av tilskuddet")
    page.get_by_role("button", name="Lagre status").click()

    page.get_by_role("status").wait_for()
    history = page.get_by_role("table", name="Historikk for statusendringer").inner_text()
    assert "avdir" in history
    assert "Kommentar: – → Omtalt i kunngjøringen av tilskuddet" in history
    assert_accessible(page)

    page.goto("/tiltak/")
    assert_accessible(page)

    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Kalender").click()
    assert_accessible(page)
    page.get_by_role("button", name="Lag en adresse").click()
    assert page.get_by_label("Kalenderadresse for AVdir").input_value().endswith(".ics")
    assert_accessible(page)
