"""Issue 16 in a real browser, with a real SMTP server: the coordinator chases what is missing
from the round's page, a directorate puts it right from the list and lands back on it, a
contribution is returned and delivered again, and the report is finalised and its dispatch
recorded. axe-core on every page visited."""

import re

import pytest

from rapportering.models import Dispatch, FinalReport, Reminder, ReportRound
from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import PASSWORD, complete_the_rest_of, deliver_contributions, open_round
from tiltak.models import Actor, Measure, Occurrence

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def behind(reported, coordinator, directorate_user):
    """The 2019 round with one thing left to the coordinator's chasing: AVdir has not
    delivered on measure 6 nor on the next of its measures, and the deviation on measure 6
    has no cause (every other milestone of the year is completed and assessed)."""
    complete_the_rest_of(reported, 2019)
    directorate_user.email = "avdir@example.no"
    directorate_user.save()
    deviation = Occurrence.objects.get(
        milestone__measure__plan=reported, milestone__measure__number="6", deviation_cause__gt=""
    )
    deviation.deviation_cause = ""
    deviation._history_date = deviation.updated_at  # as reported in 2019
    deviation.save()
    round = open_round(
        reported,
        coordinator,
        summary="Arbeidet går i hovedsak etter planen.",
        challenges="Kommunene mangler kapasitet.",
    )
    avdir = Actor.objects.get(short_name="AVdir")
    numbers = dict(Measure.objects.filter(plan=reported).values_list("pk", "number"))
    mine = [numbers[pk] for pk in round.participants.measures_of(avdir)]
    following = mine[mine.index("6") + 1]
    deliver_contributions(round, coordinator, leave_out={("6", "AVdir"), (following, "AVdir")})
    return round, deviation, following


def test_chasing_fixing_returning_finalising_and_recording_the_dispatch(
    browser,
    live_server,
    page,
    behind,
    coordinator,
    directorate_user,
    smtp_server,
    final_reports_removed_after,
):
    round, deviation, following = behind
    round_url = f"{live_server.url}{round.get_absolute_url()}"

    # The coordinator sees the to-do list and reminds AVdir.
    sign_in(page, "koordinator", PASSWORD)
    page.goto(round_url)
    avdir_group = page.locator("section.missing-group", has=page.locator("#mangler-avdir"))
    assert "Bidraget til tiltak 6 er ikke levert." in avdir_group.inner_text()
    assert "Avviket på tiltak 6" in avdir_group.inner_text()
    assert page.get_by_role("link", name="Ferdigstill rapporten").get_attribute("data-variant") == (
        "secondary"
    )
    assert_accessible(page)
    avdir_group.get_by_role("button", name="Send påminnelse til AVdir").click()
    assert "Påminnelse sendt til AVdir (1 mottaker)." in page.get_by_role("status").inner_text()
    [reminder] = smtp_server.to("avdir@example.no")
    body = reminder.get_content()
    assert "Bidraget til tiltak 6 er ikke levert." in body
    assert f"Bidraget til tiltak {following} er ikke levert." in body
    assert "Avviket på tiltak 6" in body
    assert Reminder.objects.get().sent_by == coordinator
    assert "Sist påminnet" in page.locator("#mangler-avdir").locator("..").inner_text()

    # AVdir explains the deviation from the list and lands back on its part of it.
    avdir = browser.new_context(
        bypass_csp=True, base_url=live_server.url, locale="nb-NO"
    ).new_page()
    sign_in(avdir, "avdir", PASSWORD)
    avdir.goto(round_url)
    assert avdir.locator("#mangler-kdi").count() == 0  # only its own part
    assert_accessible(avdir)
    avdir.locator("section.missing-group").get_by_role(
        "link", name=re.compile(r"^Avviket på tiltak 6")
    ).click()
    avdir.get_by_label("Årsak til avviket").fill("Mangler midler")
    assert_accessible(avdir)
    avdir.get_by_role("button", name="Lagre").click()
    avdir.wait_for_url(re.compile(rf"/rapport/{round.pk}/\?lagret={deviation.pk}#mangler-avdir$"))
    assert (
        "Den er ikke lenger på listen."
        in avdir.locator("#mangler-avdir").locator("..").inner_text()
    )
    assert "Avviket på tiltak 6" not in avdir.locator("section.missing").inner_text()

    # It delivers the two contributions, the first with "Deliver and go to the next".
    avdir.get_by_role("link", name="Bidraget til tiltak 6 er ikke levert.").click()
    avdir.get_by_label("Vurdering av status og måloppnåelse").fill("Tre kommuner er i gang.")
    avdir.get_by_label("Avvik og hvordan de håndteres").fill("Søker midler på nytt i 2020.")
    assert_accessible(avdir)
    avdir.get_by_role("button", name="Lever og gå til neste").click()
    avdir.wait_for_url(re.compile(rf"/rapport/{round.pk}/bidrag/\d+/\d+/\?neste="))
    assert f"{following} " in avdir.get_by_role("heading", level=1).inner_text()
    avdir.get_by_label("Vurdering av status og måloppnåelse").fill("I rute.")
    avdir.get_by_role("button", name="Lagre og lever").click()
    avdir.wait_for_url(re.compile(rf"/rapport/{round.pk}/#mangler-avdir$"))
    assert "Ingenting mangler" in avdir.locator("#mangler-avdir").inner_text()

    # The coordinator returns the contribution on measure 6; AVdir is told by email.
    page.goto(f"{live_server.url}/rapport/{round.pk}/bidrag/?direktorat=AVdir")
    row = page.get_by_role("row", name=re.compile(r"^6 Læringsprosjekter"))
    row.get_by_text("Returner bidraget til tiltak 6").click()
    row.get_by_label("Hvorfor returneres bidraget?").fill("Beskriv effekten i kommunene.")
    assert_accessible(page)
    row.get_by_role("button", name="Returner bidraget").click()
    returned = smtp_server.to("avdir@example.no")[-1]
    assert "er returnert" in str(returned["Subject"])
    assert "Beskriv effekten i kommunene." in returned.get_content()

    # AVdir delivers it again.
    avdir.goto(round_url)
    avdir.get_by_role("link", name="Bidraget til tiltak 6 er ikke levert.").click()
    assert "Beskriv effekten i kommunene." in avdir.locator("main").inner_text()
    avdir.get_by_label("Vurdering av status og måloppnåelse").fill(
        "Tre kommuner er i gang; effekten måles i 2020."
    )
    avdir.get_by_role("button", name="Lagre og lever").click()
    avdir.wait_for_url(re.compile(rf"/rapport/{round.pk}/#mangler-avdir$"))
    avdir.context.close()

    # Nothing missing: finalising is the primary action; then the dispatch is recorded.
    page.goto(round_url)
    assert "Ingenting mangler: rapporten kan ferdigstilles." in page.locator("main").inner_text()
    finalise = page.get_by_role("link", name="Ferdigstill rapporten")
    assert finalise.get_attribute("data-variant") == "primary"
    finalise.click()
    page.get_by_role("button", name="Ferdigstill rapporten").click()
    page.wait_for_url(re.compile(r"/rapport/versjon/\d+/$"))
    assert ReportRound.objects.get(pk=round.pk).state == ReportRound.State.FINALISED
    page.get_by_role("link", name="Registrer utsendelse").click()
    page.get_by_label("Referanse (saksnummer)").fill("19/01234")
    assert_accessible(page)
    page.get_by_role("button", name="Registrer utsendelse").click()
    page.wait_for_url(re.compile(r"/rapport/versjon/\d+/$"))
    assert (
        "Utsendelsen til departementene er registrert." in page.get_by_role("status").inner_text()
    )
    assert_accessible(page)
    dispatch = Dispatch.objects.get(report=FinalReport.objects.get(round=round))
    assert (dispatch.reference, dispatch.recorded_by) == ("19/01234", coordinator)
    assert dispatch.recipients.exists()
