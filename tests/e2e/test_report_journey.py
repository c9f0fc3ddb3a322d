"""Issue 5 in a real browser: from an open report round to the finalised PDF, with
axe-core on every page visited."""

import re

import pytest
from pypdf import PdfReader

from rapportering.models import ReportRound
from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import PASSWORD, complete_the_rest_of, deliver_contributions

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_coordinator_goes_from_an_open_round_to_a_downloaded_pdf(
    browser,
    live_server,
    page,
    reported,
    coordinator,
    directorate_user,
    tmp_path,
    final_reports_removed_after,
):
    complete_the_rest_of(reported, 2019)
    sign_in(page, "koordinator", PASSWORD)

    page.get_by_role("link", name="Rapporter").click()
    assert_accessible(page)
    page.get_by_role("link", name="Åpne en rapportrunde").click()
    page.get_by_label("Plan").select_option(label=reported.title)
    page.get_by_label("År Må fylles ut", exact=True).fill("2019")
    assert_accessible(page)
    page.get_by_role("button", name="Åpne runden").click()
    page.wait_for_url(re.compile(r"/rapport/\d+/$"))
    assert page.get_by_role("status").inner_text() == "Rapportrunden er åpnet."
    assert_accessible(page)
    round = ReportRound.objects.get(plan=reported, year=2019)
    round_url = page.url

    # The directorates deliver; AVdir's contribution on measure 6 through its form.
    deliver_contributions(round, coordinator, leave_out={("6", "AVdir")})
    avdir = browser.new_context(
        bypass_csp=True, base_url=live_server.url, locale="nb-NO"
    ).new_page()  # axe-core is injected inline
    sign_in(avdir, "avdir", PASSWORD)
    avdir.goto(round_url)
    avdir.get_by_role("link", name="Mitt direktorats bidrag").click()
    assert "9 av 10 levert." in avdir.get_by_role("status").inner_text()
    assert_accessible(avdir)
    avdir.get_by_role("link", name="6 Læringsprosjekter").click()
    assert "Mangler midler" in avdir.get_by_role("table").inner_text()
    avdir.get_by_label("Vurdering av status og måloppnåelse").fill("Tre kommuner er i gang.")
    avdir.get_by_label("Avvik og hvordan de håndteres").fill("Søker midler på nytt i 2020.")
    assert_accessible(avdir)
    avdir.get_by_role("button", name="Lagre og lever").click()
    assert "10 av 10 levert." in avdir.get_by_role("status").last.inner_text()
    avdir.context.close()

    # Not yet: the summary and the challenges are missing.
    page.goto(round_url)
    page.get_by_role("link", name="Ferdigstill rapporten").click()
    alert = page.get_by_role("alert")
    assert "Sammendraget er ikke skrevet." in alert.inner_text()
    assert "Utfordringsbildet er ikke beskrevet." in alert.inner_text()
    assert "levert bidraget" not in alert.inner_text()
    assert_accessible(page)

    page.goto(round_url)
    page.get_by_role("link", name="Skriv sammendrag og utfordringsbilde").click()
    page.get_by_label("Sammendrag").fill("Arbeidet går i hovedsak etter planen.")
    page.get_by_label("Utfordringsbilde").fill("Kommunene mangler kapasitet.")
    page.get_by_label("Hva som gjøres med utfordringene").fill("Mer veiledning.")
    assert_accessible(page)
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_url(f"{round_url}#mangler-koordinator")  # the coordinator's part of the list

    page.get_by_role("link", name="Forhåndsvis rapporten").click()
    assert "Tre kommuner er i gang." in page.locator("article").inner_text()
    assert_accessible(page)

    page.goto(round_url)
    page.get_by_role("link", name="Ferdigstill rapporten").click()
    assert_accessible(page)
    page.get_by_role("button", name="Ferdigstill rapporten").click()
    page.wait_for_url(re.compile(r"/rapport/versjon/\d+/$"))
    assert "Rapporten er ferdigstilt som versjon 1." in page.get_by_role("status").inner_text()
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Last ned PDF").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)

    assert path.name == "handlingsplan-2018-2020-rapport-2019-v1.pdf"
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(path).pages).split())
    assert "Felles rapport om status og avvik 2019" in text
    assert "UTKAST" not in text
    assert "Tre kommuner er i gang." in text
