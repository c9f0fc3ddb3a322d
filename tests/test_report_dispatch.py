"""A finalised version's page and the record of its dispatch to the ministries: the files
first (PDF, Word, Excel, CSV, with their sizes), the dispatch, the checksums under
"Verification" ("Kontroll"); and the form that records the dispatch, once per version."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse

from rapportering.models import (
    Dispatch,
    FinalReport,
    FinalReportFile,
    ReportRound,
    content_checksum,
    file_checksum,
)
from rapportering.report import build_report
from tests.factories import report_round
from tiltak import clock
from tiltak.models import Actor

pytestmark = pytest.mark.django_db

FINALISED_ON = "2019-09-30"


@pytest.fixture
def final(seeded_plans, coordinator):
    """Version 1 of the 2019 round, intact, with a file in each format: the PDF the largest,
    the CSV of one byte."""
    round = report_round()
    content = build_report(plan=round.plan, year=2019, round=round, version=1).as_dict()
    final = FinalReport.objects.create(
        round=round,
        version=1,
        content=content,
        checksum=content_checksum(content),
        finalised_by=coordinator,
        finalised_at=f"{FINALISED_ON}T12:00:00Z",
    )
    for fmt, size in [("csv", 1), ("xlsx", 5_000), ("pdf", 250_000), ("docx", 40_000)]:
        data = fmt.encode()[:1] * size
        FinalReportFile.objects.create(
            report=final, format=fmt, data=data, checksum=file_checksum(data)
        )
    round.state = ReportRound.State.FINALISED
    round.save()
    return final


def dispatch_url(final):
    return reverse("rapportering:final-report-dispatch", args=[final.pk])


def ministry(short_name):
    return Actor.objects.get(short_name=short_name, kind=Actor.Kind.MINISTRY)


def english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    return client


def test_the_form_offers_every_ministry_checked_and_today(client, final, coordinator):
    client.force_login(coordinator)

    page = client.get(dispatch_url(final)).content.decode()

    ministries = Actor.objects.filter(kind=Actor.Kind.MINISTRY)
    assert ministries.count() == 5
    for actor in ministries:
        assert re.search(rf'<input [^>]*value="{actor.pk}"[^>]*checked', page), actor
        assert actor.name in page
    assert f'value="{clock.today():%Y-%m-%d}"' in page
    assert re.search(r'<fieldset class="ds-fieldset"[^>]*>\s*<legend', page)


def test_a_coordinator_records_the_dispatch(client, final, coordinator):
    client.force_login(coordinator)

    response = client.post(
        dispatch_url(final),
        {
            "sent_on": "2019-10-01",
            "recipients": [ministry("ASD").pk, ministry("KMD").pk],
            "reference": "19/1234-5",
        },
    )

    assert response.status_code == 302
    assert response.url == final.get_absolute_url()
    dispatch = Dispatch.objects.get(report=final)
    assert dispatch.sent_on == date(2019, 10, 1)
    assert {a.short_name for a in dispatch.recipients.all()} == {"ASD", "KMD"}
    assert dispatch.recorded_by == coordinator
    assert dispatch.reference == "19/1234-5"
    assert dispatch.history.count() == 1
    page = client.get(response.url).content.decode()
    section = page[page.index('id="dispatch"') : page.index('id="verification"')]
    assert "Arbeids- og sosialdepartementet" in section
    assert "Kommunal- og moderniseringsdepartementet" in section
    assert "Justis- og beredskapsdepartementet" not in section
    assert "19/1234-5" in section
    assert "01.10.2019" in section
    assert str(coordinator) in section
    assert dispatch_url(final) not in page  # recorded: no action to record it again


@pytest.mark.parametrize(
    ("sent_on", "message"),
    [
        (lambda: clock.today() + timedelta(days=1), "The date cannot be in the future."),
        (
            lambda: date(2019, 9, 29),
            "The version was finalised 30.09.2019; it cannot have been sent before.",
        ),
        (lambda: "", "This field is required."),
    ],
    ids=["future", "before finalised", "none"],
)
def test_a_date_outside_the_finalisation_and_today_is_refused(
    client, final, coordinator, sent_on, message
):
    client.force_login(coordinator)
    english(client)

    response = client.post(
        dispatch_url(final), {"sent_on": str(sent_on()), "recipients": [ministry("ASD").pk]}
    )

    assert response.status_code == 422
    page = response.content.decode()
    assert 'class="ds-error-summary" role="alert"' in page
    assert f'<a class="ds-link" href="#id_sent_on">Sent on: {message}</a>' in page
    assert not Dispatch.objects.exists()


def test_the_day_of_finalisation_and_today_are_accepted(client, final, coordinator):
    client.force_login(coordinator)

    response = client.post(
        dispatch_url(final), {"sent_on": FINALISED_ON, "recipients": [ministry("HOD").pk]}
    )

    assert response.status_code == 302
    assert Dispatch.objects.get().sent_on == date(2019, 9, 30)


def test_without_a_ministry_nothing_is_recorded(client, final, coordinator):
    client.force_login(coordinator)
    english(client)

    response = client.post(dispatch_url(final), {"sent_on": "2019-10-01", "reference": "x"})

    assert response.status_code == 422
    page = response.content.decode()
    # The summary's link lands on the first box of the group.
    assert '<a class="ds-link" href="#id_recipients_0">Sent to: Choose the ministries' in page
    assert 'id="id_recipients_0"' in page
    assert 'aria-describedby="id_recipients_error"' in page
    assert not Dispatch.objects.exists()


def test_an_actor_that_is_no_ministry_is_refused(client, final, coordinator):
    client.force_login(coordinator)
    directorate = Actor.objects.directorates().first()

    response = client.post(
        dispatch_url(final), {"sent_on": "2019-10-01", "recipients": [directorate.pk]}
    )

    assert response.status_code == 422
    assert not Dispatch.objects.exists()


def test_a_second_dispatch_of_the_same_version_is_refused(client, final, coordinator):
    client.force_login(coordinator)
    body = {"sent_on": "2019-10-01", "recipients": [ministry("ASD").pk], "reference": "første"}
    assert client.post(dispatch_url(final), body).status_code == 302

    english(client)
    response = client.post(dispatch_url(final), {**body, "reference": "andre"})

    assert response.status_code == 409
    page = response.content.decode()
    assert 'role="alert"' in page
    assert "The dispatch of this version is recorded already" in page
    assert "første" in page  # the record is shown
    assert 'name="recipients"' not in page
    assert Dispatch.objects.get().reference == "første"
    # Opened again, the page shows the record instead of the form.
    page = client.get(dispatch_url(final)).content.decode()
    assert "The dispatch of this version is recorded already" in page
    assert 'name="recipients"' not in page


def test_a_replaced_version_is_not_recorded_as_sent(client, final, coordinator):
    second = FinalReport.objects.create(
        round=final.round,
        version=2,
        replaces=final,
        content=final.content,
        checksum=final.checksum,
        finalised_by=coordinator,
        finalised_at="2019-10-05T12:00:00Z",
    )
    client.force_login(coordinator)
    english(client)

    response = client.post(
        dispatch_url(final), {"sent_on": "2019-10-01", "recipients": [ministry("ASD").pk]}
    )

    assert response.status_code == 409
    page = response.content.decode()
    assert "This version was replaced by a later one" in page
    assert second.get_absolute_url() in page
    assert not Dispatch.objects.exists()
    assert 'name="recipients"' not in client.get(dispatch_url(final)).content.decode()
    assert dispatch_url(final) not in client.get(final.get_absolute_url()).content.decode()
    assert dispatch_url(second) in client.get(second.get_absolute_url()).content.decode()


def file_links(page, final):
    """The formats of the version's files the page links to, in the page's order."""
    address = reverse("rapportering:final-report-file", args=[final.pk, "FORMAT"])
    pattern = re.escape(address).replace("FORMAT", r"(\w+)")
    return re.findall(f'href="{pattern}"', page)


def test_the_page_leads_with_the_files_in_order_and_their_sizes(client, final, coordinator):
    client.force_login(coordinator)

    page = client.get(final.get_absolute_url()).content.decode()

    assert file_links(page, final) == ["pdf", "docx", "xlsx", "csv"]
    files = page[page.index('id="files"') : page.index('id="dispatch"')]
    sizes = re.findall(r'<span class="muted file-size">([^<]+)</span>', files)
    assert sizes == ["244,1\xa0KB", "39,1\xa0KB", "4,9\xa0KB", "1\xa0byte"]
    for label in ("Last ned PDF", "Last ned Word", "Last ned Excel", "Last ned CSV"):
        assert label in files
    # The files and the dispatch come before the checksums, and these before the report.
    assert (
        page.index('id="files"')
        < page.index('id="dispatch"')
        < page.index('id="verification"')
        < page.index(final.checksum)
        < page.index('class="report-content"')
    )
    assert "Uendret siden den ble ferdigstilt" in page[page.index('id="verification"') :]
    # Without a dispatch, the coordinator's primary action records it.
    assert re.search(
        rf'<a class="ds-button" data-variant="primary" href="{dispatch_url(final)}">', page
    )


def test_the_english_page_says_the_same(client, final, coordinator):
    client.force_login(coordinator)
    english(client)

    page = client.get(final.get_absolute_url()).content.decode()

    verification = page[page.index('id="verification"') : page.index('class="report-content"')]
    assert '<h2 class="ds-heading" data-size="xs" id="verification-heading">Verification</h2>' in (
        verification
    )
    assert f'<code class="checksum">{final.checksum}</code>' in verification
    assert "Download PDF" in page
    assert "244.1\xa0KB" in page
    assert '<div class="final-record" lang="en">' in page


def test_a_reader_sees_the_dispatch_but_neither_files_nor_the_action(
    client, final, coordinator, reader
):
    client.force_login(coordinator)
    client.post(
        dispatch_url(final),
        {"sent_on": "2019-10-01", "recipients": [ministry("BLD").pk], "reference": "19/77"},
    )
    client.force_login(reader)

    page = client.get(final.get_absolute_url()).content.decode()

    assert file_links(page, final) == []
    assert 'id="files"' not in page
    section = page[page.index('id="dispatch"') : page.index('id="verification"')]
    assert "Barne-, likestillings- og inkluderingsdepartementet" in section
    assert "19/77" in section
    assert client.get(dispatch_url(final)).status_code == 403
    assert client.post(dispatch_url(final), {"sent_on": "2019-10-01"}).status_code == 403
    assert Dispatch.objects.get().reference == "19/77"
