"""The yearly report round in the browser: opening it, the directorates' contributions, the
missing-content check, finalising as a frozen record, and corrections as new versions."""

import hashlib
import html
import io
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from pypdf import PdfReader

from rapportering.models import Contribution, FinalReport, ReportRound
from rapportering.services import contribution_save
from tests.factories import contribution_url, download, finalise, make_user, open_round
from tiltak.models import Actor, Measure, Occurrence
from tiltak.roles import Role

pytestmark = pytest.mark.django_db

PLAN = "handlingsplan-2018-2020"


def article(response):
    """The report itself on a report page, without the per-request parts around it."""
    page = response.content.decode()
    return page[page.index("<article") : page.index("</article>")]


def test_a_coordinator_opens_a_round_with_the_usual_deadlines(client, coordinator, seeded_plans):
    plan = seeded_plans[PLAN]
    client.force_login(coordinator)

    response = client.post(
        reverse("rapportering:report-round-create"), {"plan": plan.pk, "year": 2019}
    )

    round = ReportRound.objects.get(plan=plan, year=2019)
    assert response.url == round.get_absolute_url()
    assert (round.ministry_deadline, round.internal_deadline) == (
        date(2019, 10, 1),
        date(2019, 9, 1),
    )
    assert round.opened_by == coordinator
    page = client.get(round.get_absolute_url()).content.decode()
    assert "1. oktober 2019" in page


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"year": 2019}, "Det finnes allerede en rapportrunde for denne planen og dette året."),
        ({"year": 2014}, "Planen gjelder 2018–2020."),
        (
            {"year": 2020, "ministry_deadline": "2020-10-01", "internal_deadline": "2020-10-15"},
            "Direktoratenes frist må komme før fristen til departementene.",
        ),
    ],
)
def test_a_second_round_a_year_outside_the_plan_or_late_internal_deadline_is_refused(
    client, coordinator, seeded_plans, body, error
):
    plan = seeded_plans[PLAN]
    open_round(plan, coordinator)
    client.force_login(coordinator)

    response = client.post(reverse("rapportering:report-round-create"), {"plan": plan.pk, **body})

    assert response.status_code == 422
    assert error in response.content.decode()
    assert ReportRound.objects.filter(plan=plan).count() == 1


def test_a_directorate_sees_which_measures_lack_a_contribution_and_delivers_one(
    client, reported, coordinator, directorate_user
):
    round = open_round(reported, coordinator)
    own_measures = sum(
        1
        for directorates in round.participants.values()
        if directorate_user.directorate in directorates
    )
    client.force_login(directorate_user)
    listing = reverse("rapportering:report-contributions", args=[round.pk])

    before = client.get(listing).content.decode()
    response = client.post(
        contribution_url(round, "6", "AVdir"),
        {
            "status_assessment": "Fire av seks kommuner er i gang.",
            "deviation_handling": "Søker midler på nytt.",
            "challenges": "",
            "lever": "1",
        },
    )
    after = client.get(response.url).content.decode()

    assert f"0 av {own_measures} levert." in before
    assert f"1 av {own_measures} levert." in after
    contribution = Contribution.objects.get(round=round, measure__number="6")
    assert contribution.is_delivered
    assert contribution.delivered_by == directorate_user
    assert contribution.history.count() == 1


def test_the_contribution_form_shows_the_status_recorded_on_the_milestones(
    client, reported, coordinator, directorate_user
):
    round = open_round(reported, coordinator)
    client.force_login(directorate_user)

    page = client.get(contribution_url(round, "6", "AVdir")).content.decode()

    assert "Status registrert på milepælene i 2019" in page
    assert "Mangler midler" in page
    assert "31.03.2020" in page


def test_delivering_needs_the_assessment_and_the_handling_of_the_deviations(
    client, reported, coordinator, directorate_user
):
    round = open_round(reported, coordinator)
    client.force_login(directorate_user)
    empty = {"status_assessment": "", "deviation_handling": "", "challenges": ""}

    refused = client.post(contribution_url(round, "6", "AVdir"), {**empty, "lever": "1"})
    saved = client.post(contribution_url(round, "6", "AVdir"), empty)

    assert refused.status_code == 422
    page = refused.content.decode()
    for field in ("status_assessment", "deviation_handling"):
        assert f'id="id_{field}_error">Må fylles ut for å levere bidraget.' in page
    assert saved.status_code == 302
    assert not Contribution.objects.get(round=round).is_delivered


def test_a_directorate_writes_only_its_own_contributions_on_its_own_measures(
    client, reported, coordinator, directorate_user, other_directorate_user
):
    round = open_round(reported, coordinator)
    body = {"status_assessment": "x", "deviation_handling": "x", "challenges": ""}
    client.force_login(other_directorate_user)
    assert client.post(contribution_url(round, "6", "AVdir"), body).status_code == 403
    client.force_login(directorate_user)
    outside = next(
        measure.number
        for measure in Measure.objects.filter(plan=reported)
        if directorate_user.directorate not in round.participants.get(measure.pk, [])
    )
    assert client.get(contribution_url(round, outside, "AVdir")).status_code == 404
    assert not Contribution.objects.exists()


def test_the_missing_check_blocks_finalising_and_names_what_is_missing(
    client, reported, coordinator, directorate_user
):
    round = open_round(reported, coordinator)
    measure_4 = Occurrence.objects.get(
        milestone__measure__plan=reported, milestone__measure__number="4", deviation_cause__gt=""
    )
    measure_4.deviation_cause = ""
    measure_4.save()
    client.force_login(coordinator)

    response = client.post(reverse("rapportering:report-finalise", args=[round.pk]))

    page = response.content.decode()
    assert response.status_code == 422
    assert "Rapporten kan ikke ferdigstilles" in page
    assert "Sammendraget er ikke skrevet." in page
    assert "Utfordringsbildet er ikke beskrevet." in page
    avdir = page.index('<h3 class="ds-heading" data-size="xs">Arbeids- og velferdsdirektoratet (')
    assert "Bidraget til tiltak 6 er ikke levert." in page[avdir:]
    assert "Avviket på tiltak 4" in page
    assert "mangler årsak til avviket." in page
    assert reverse("tiltak:occurrence-status", args=[measure_4.pk]) in page
    assert not FinalReport.objects.exists()
    assert ReportRound.objects.get(pk=round.pk).state == ReportRound.State.OPEN


def test_with_nothing_missing_the_round_page_says_so(client, ready_round, coordinator):
    client.force_login(coordinator)

    page = client.get(ready_round.get_absolute_url()).content.decode()

    assert "Ingenting mangler: rapporten kan ferdigstilles." in page


def test_a_finalised_report_is_a_record_unchanged_by_later_changes(
    client, ready_round, coordinator, reader, admin_user, tmp_path
):
    client.force_login(coordinator)
    final = finalise(client, ready_round)
    files = {fmt: download(client, final, fmt) for fmt in ("pdf", "docx", "xlsx", "csv")}
    page = article(client.get(final.get_absolute_url()))

    measure = Measure.objects.get(plan=ready_round.plan, number="6")
    measure.title = "Et nytt navn på tiltaket"
    measure.save()
    Occurrence.objects.filter(milestone__measure=measure, year=2019).update(
        status=Occurrence.Status.CANCELLED, deviation_cause="Lagt ned"
    )
    target = tmp_path / "rapport.pdf"
    call_command("export_report", PLAN, "2019", "--format", "pdf", "--output", str(target))

    assert {fmt: download(client, final, fmt) for fmt in files} == files
    assert target.read_bytes() == files["pdf"]
    for fmt, data in files.items():
        assert final.files.get(format=fmt).checksum == hashlib.sha256(data).hexdigest()
    assert article(client.get(final.get_absolute_url())) == page
    assert "Et nytt navn på tiltaket" not in page
    assert final.is_intact()
    assert "Uendret siden den ble ferdigstilt" in page
    text = " ".join(p.extract_text() for p in PdfReader(target).pages)
    assert "UTKAST" not in text
    assert "Versjon 1, ferdigstilt" in " ".join(text.split())
    assert ReportRound.objects.get(pk=ready_round.pk).state == ReportRound.State.FINALISED
    assert (
        client.post(
            contribution_url(ready_round, "6", "AVdir"),
            {"status_assessment": "Endret", "deviation_handling": "x", "challenges": ""},
        ).url
        == ready_round.get_absolute_url()
    )
    assert not Contribution.objects.filter(status_assessment="Endret").exists()
    client.force_login(reader)
    assert client.get(final.get_absolute_url()).status_code == 200
    assert (
        client.get(reverse("rapportering:final-report-file", args=[final.pk, "pdf"])).status_code
        == 403
    )
    client.force_login(admin_user)  # the Django admin shows the record and changes nothing
    change = reverse("admin:rapportering_finalreport_change", args=[final.pk])
    assert client.get(change).status_code == 200
    assert client.post(change, {"version": 9}).status_code == 403
    delete = reverse("admin:rapportering_finalreport_delete", args=[final.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert FinalReport.objects.get(pk=final.pk).version == 1


def test_a_correction_is_a_new_version_that_links_to_the_one_it_replaces(
    client, ready_round, coordinator
):
    client.force_login(coordinator)
    first = finalise(client, ready_round)
    first_pdf = download(client, first, "pdf")

    client.post(
        reverse("rapportering:report-correct", args=[ready_round.pk]),
        {"reason": "Feil i tallene for IMDi"},
    )
    client.post(
        reverse("rapportering:report-compile", args=[ready_round.pk]),
        {
            "summary": "Rettet sammendrag.",
            "challenges": ready_round.challenges,
            "challenge_actions": ready_round.challenge_actions,
        },
    )
    second = finalise(client, ready_round)

    assert (second.version, second.replaces) == (2, first)
    assert second.correction_reason == "Feil i tallene for IMDi"
    assert download(client, first, "pdf") == first_pdf
    assert first.content["summary"] == "Arbeidet går i hovedsak etter planen."
    assert second.content["summary"] == "Rettet sammendrag."
    second_page = client.get(second.get_absolute_url()).content.decode()
    assert "Erstatter versjon 1 av" in second_page
    assert "Feil i tallene for IMDi" in second_page
    assert first.get_absolute_url() in second_page
    assert second.get_absolute_url() in client.get(first.get_absolute_url()).content.decode()
    pdf = PdfReader(io.BytesIO(download(client, second, "pdf")))
    assert "Erstatter versjon 1" in " ".join(" ".join(p.extract_text() for p in pdf.pages).split())


def test_the_summary_of_a_finalised_report_is_not_changed_from_a_stale_tab(
    client, ready_round, coordinator
):
    client.force_login(coordinator)
    finalise(client, ready_round)

    response = client.post(
        reverse("rapportering:report-compile", args=[ready_round.pk]),
        {"summary": "Fra en gammel fane", "challenges": "", "challenge_actions": ""},
        follow=True,
    )

    assert "Rapporten er ferdigstilt; start en rettelse for å endre den." in (
        response.content.decode()
    )
    ready_round.refresh_from_db()
    assert ready_round.summary == "Arbeidet går i hovedsak etter planen."
    assert ready_round.state == ReportRound.State.FINALISED


def test_finalising_again_from_a_stale_tab_makes_no_new_version_and_says_which_there_is(
    client, ready_round, coordinator
):
    client.force_login(coordinator)
    final = finalise(client, ready_round)

    response = client.post(reverse("rapportering:report-finalise", args=[ready_round.pk]))

    page = response.content.decode()
    assert response.status_code == 409
    assert "Rapporten er allerede ferdigstilt som versjon 1, av koordinator" in page
    assert "Det ble ikke laget noen ny versjon." in page
    assert f'href="{final.get_absolute_url()}"' in page
    assert list(ready_round.versions.values_list("version", flat=True)) == [1]
    assert ReportRound.objects.get(pk=ready_round.pk).state == ReportRound.State.FINALISED


def test_the_report_pages_keep_their_query_counts_as_the_plan_grows(
    client, queries_for, reported, larger_plan, coordinator
):
    small = open_round(reported, coordinator)
    large = open_round(larger_plan, coordinator, year=2021)
    client.force_login(coordinator)

    for name in ("report-round", "report-contributions", "report-preview", "report-compile"):
        urls = [reverse(f"rapportering:{name}", args=[r.pk]) for r in (small, large)]
        counts = [queries_for(60, lambda url=url: client.get(url)) for url in urls]
        assert counts[0] == counts[1], name


def test_the_report_tells_what_changed_since_the_end_of_the_previous_year(seeded_plans):
    """With no earlier report finalised, the status changes are counted from 31.12.2018."""
    from rapportering.report import build_report

    plan = seeded_plans[PLAN]
    dated = Occurrence.objects.filter(
        milestone__measure__plan=plan, year=2019, planned_date__isnull=False
    ).order_by("planned_date", "pk")
    completed, closed = dated[0], dated[1]
    closed.status = Occurrence.Status.POSTPONED
    closed.save()
    Occurrence.history.update(history_date="2018-06-01T12:00:00Z")  # the state at the baseline
    for occurrence in (completed, closed):
        occurrence.status = Occurrence.Status.COMPLETED
        occurrence.save()

    changes = build_report(plan=plan, year=2019, today=date(2019, 12, 31)).changes

    def key(occurrence):
        measure = occurrence.milestone.measure
        planned = occurrence.planned_date.strftime("%d.%m.%Y")
        return (f"{measure.number} {measure.title}", occurrence.milestone.text, planned)

    assert "31.12.2018" in changes.since
    assert [
        (c.measure, c.milestone, c.planned, c.before, c.after) for c in changes.status_changes
    ] == [
        (*key(completed), "Ikke startet", "Fullført"),
        (*key(closed), "Utsatt", "Fullført"),
    ]


def test_deliver_and_go_to_the_next_leads_through_the_undelivered_ones_in_order(
    client, reported, coordinator, directorate_user
):
    round = open_round(reported, coordinator)
    avdir = directorate_user.directorate
    ours = round.participants.measures_of(avdir)
    client.force_login(directorate_user)
    texts = {
        "status_assessment": "Går etter planen.",
        "deviation_handling": "Meldt.",
        "challenges": "",
    }

    url = reverse("rapportering:contribution", args=[round.pk, ours[1], avdir.pk])
    visited = []
    for _ in range(len(ours)):
        visited.append(url)
        response = client.post(url, {**texts, "lever": "neste"})
        assert response.status_code == 302
        url = response.url

    # From the second on, then back to the first; after the last, the list.
    expected = [
        reverse("rapportering:contribution", args=[round.pk, measure_id, avdir.pk])
        for measure_id in [ours[1], ours[0], *ours[2:]]
    ]
    assert visited == expected
    assert url.startswith(reverse("rapportering:report-contributions", args=[round.pk]))
    assert round.contributions.filter(directorate=avdir, delivered_at__isnull=False).count() == len(
        ours
    )


# Contributions a directorate can write well: last year's texts, the others' delivered
# contributions, a character counter, and the coordinator's return for more work.

LAST_YEAR = {
    "status_assessment": "I 2018 kom fire kommuner i gang.",
    "deviation_handling": "",
    "challenges": "Kommunene mangler kapasitet.",
}


def contribute(round, number, short_name, texts, *, deliver):
    """Save (and with `deliver`, deliver) `short_name`'s contribution on measure `number`."""
    return contribution_save(
        round_id=round.pk,
        measure=Measure.objects.get(plan=round.plan, number=number),
        directorate=Actor.objects.get(short_name=short_name),
        user=round.opened_by,
        values={**LAST_YEAR, **texts},
        deliver=deliver,
    )


def textarea(page, name):
    """The text in the form's textarea `name`."""
    start = page.index(">", page.index(f'name="{name}"')) + 1
    return html.unescape(page[start : page.index("</textarea>", start)]).strip()


def test_the_form_shows_last_years_contribution_and_copies_it_without_saving(
    client, reported, coordinator, directorate_user
):
    last_round = open_round(reported, coordinator, year=2018)
    contribute(last_round, "6", "AVdir", {}, deliver=True)
    round = open_round(reported, coordinator)
    client.force_login(directorate_user)
    url = contribution_url(round, "6", "AVdir")

    page = client.get(url).content.decode()
    response = client.post(
        url,
        {
            "status_assessment": "",
            "deviation_handling": "Skrevet i år, før kopieringen.",
            "challenges": "Skrevet i år.",
            "kopier": "1",
        },
    )

    assert LAST_YEAR["status_assessment"] in page
    assert 'name="kopier"' in page
    assert 'form="contribution-form"' in page
    assert response.status_code == 200
    copied = response.content.decode()
    assert textarea(copied, "status_assessment") == LAST_YEAR["status_assessment"]
    assert textarea(copied, "challenges") == LAST_YEAR["challenges"]
    # Where last year had no text, what was typed stays.
    assert textarea(copied, "deviation_handling") == "Skrevet i år, før kopieringen."
    assert 'role="status"' in copied
    assert not Contribution.objects.filter(round=round).exists()


def test_no_copy_is_offered_without_a_written_contribution_last_year(
    client, reported, coordinator, directorate_user
):
    last_round = open_round(reported, coordinator, year=2018)
    contribute(last_round, "6", "AVdir", {"status_assessment": " "}, deliver=False)
    round = open_round(reported, coordinator)
    client.force_login(directorate_user)

    page = client.get(contribution_url(round, "6", "AVdir")).content.decode()
    copy = client.post(contribution_url(round, "6", "AVdir"), {**LAST_YEAR, "kopier": "1"})

    assert 'name="kopier"' not in page
    assert LAST_YEAR["challenges"] not in page
    assert copy.status_code == 200
    assert not Contribution.objects.filter(round=round).exists()


def test_the_form_shows_the_other_directorates_delivered_contributions_only(
    client, reported, coordinator, directorate_user
):
    round = open_round(reported, coordinator)
    contribute(round, "6", "HB", {"status_assessment": "Husbanken har levert."}, deliver=True)
    contribute(round, "6", "IMDi", {"status_assessment": "IMDi skriver ennå."}, deliver=False)
    contribute(round, "5", "HB", {"status_assessment": "Et annet tiltak."}, deliver=True)
    client.force_login(directorate_user)

    page = client.get(contribution_url(round, "6", "AVdir")).content.decode()

    assert "Husbanken har levert." in page
    assert "IMDi skriver ennå." not in page
    assert "Et annet tiltak." not in page
    assert "<textarea" in page.split("Husbanken har levert.")[0]  # read-only, after the form
    assert page.count("<textarea") == 3


def test_each_text_field_counts_its_characters_of_its_limit(
    client, reported, coordinator, directorate_user
):
    round = open_round(reported, coordinator)
    contribute(round, "6", "AVdir", {"status_assessment": "Godt i gang"}, deliver=False)
    client.force_login(directorate_user)
    url = contribution_url(round, "6", "AVdir")

    page = client.get(url).content.decode()
    refused = client.post(
        url,
        {"status_assessment": "a\r\nb", "deviation_handling": "", "challenges": "", "lever": "1"},
    ).content.decode()

    with translation.override("nb"):
        used = gettext("%(count)s of %(limit)s characters")
    limit = "1\xa0500"
    assert used % {"count": 11, "limit": limit} in page
    assert used % {"count": 0, "limit": limit} in page  # the empty challenges
    assert 'data-counter-for="id_status_assessment" data-limit="1500"' in page
    assert 'id="id_status_assessment_counter_live" aria-live="polite"></p>' in page
    assert used % {"count": 3, "limit": limit} in refused  # a browser's CRLF counts as one


@pytest.fixture
def avdir_users(directorate_user):
    """The directorate user of AVdir and another with email addresses, and one without."""
    directorate_user.email = "avdir@example.no"
    directorate_user.save()
    second = make_user("avdir2", Role.DIRECTORATE, "AVdir")
    second.email = "avdir2@example.no"
    second.save()
    make_user("avdir3", Role.DIRECTORATE, "AVdir")
    return [directorate_user, second]


def return_url(round, number, short_name):
    measure = Measure.objects.get(plan=round.plan, number=number)
    directorate = Actor.objects.get(short_name=short_name)
    return reverse("rapportering:contribution-return", args=[round.pk, measure.pk, directorate.pk])


def test_the_coordinator_returns_a_delivered_contribution_and_the_directorate_delivers_again(
    client,
    reported,
    coordinator,
    other_directorate_user,
    avdir_users,
    mailoutbox,
    django_capture_on_commit_callbacks,
    settings,
):
    settings.SITE_URL = "https://bolig.example.no/"
    other_directorate_user.email = "kdi@example.no"
    other_directorate_user.save()
    round = open_round(reported, coordinator)
    contribute(round, "6", "AVdir", {"status_assessment": "Levert."}, deliver=True)
    listing = reverse("rapportering:report-contributions", args=[round.pk]) + "?direktorat=AVdir"
    client.force_login(coordinator)

    offered = client.get(listing).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            return_url(round, "6", "AVdir"), {"comment": "Vurder avviket på milepæl 4."}
        )

    assert return_url(round, "6", "AVdir") in offered
    assert response.status_code == 302
    assert response.url == listing
    contribution = Contribution.objects.get(round=round, measure__number="6")
    assert not contribution.is_delivered
    assert contribution.delivered_by is None
    assert contribution.returned_by == coordinator
    assert contribution.return_comment == "Vurder avviket på milepæl 4."
    assert contribution.returned_at is not None
    assert sorted(m.to[0] for m in mailoutbox) == ["avdir2@example.no", "avdir@example.no"]
    link = "https://bolig.example.no" + contribution_url(round, "6", "AVdir")
    for message in mailoutbox:
        assert len(message.to) == 1
        assert "6" in message.subject
        assert "2019" in message.subject
        assert "Vurder avviket på milepæl 4." in message.body
        assert link in message.body
        assert str(coordinator) in message.body

    directorate_user = avdir_users[0]
    client.force_login(directorate_user)
    listed = client.get(listing).content.decode()
    form = client.get(contribution_url(round, "6", "AVdir")).content.decode()
    assert "Vurder avviket på milepæl 4." in listed
    assert "Vurder avviket på milepæl 4." in form
    assert str(coordinator) in form
    assert return_url(round, "6", "AVdir") not in listed  # no return for a directorate

    client.post(
        contribution_url(round, "6", "AVdir"),
        {"status_assessment": "Rettet.", "deviation_handling": "Meldt.", "challenges": ""},
    )
    client.post(
        contribution_url(round, "6", "AVdir"),
        {
            "status_assessment": "Rettet.",
            "deviation_handling": "Meldt.",
            "challenges": "",
            "lever": "1",
        },
    )
    contribution.refresh_from_db()
    assert contribution.is_delivered
    assert contribution.delivered_by == directorate_user
    assert contribution.return_comment == "Vurder avviket på milepæl 4."  # kept as the record
    assert "Vurder avviket på milepæl 4." not in client.get(listing).content.decode()
    form = client.get(contribution_url(round, "6", "AVdir")).content.decode()
    assert "Vurder avviket på milepæl 4." not in form


def test_returning_needs_a_reason(client, reported, coordinator, avdir_users, mailoutbox):
    round = open_round(reported, coordinator)
    contribute(round, "6", "AVdir", {}, deliver=True)
    client.force_login(coordinator)

    response = client.post(return_url(round, "6", "AVdir"), {"comment": "  "})

    assert response.status_code == 422
    page = response.content.decode()
    assert "ds-error-summary" in page
    assert 'id="id_comment_error"' in page
    assert Contribution.objects.get(round=round, measure__number="6").is_delivered
    assert mailoutbox == []


def test_an_undelivered_contribution_cannot_be_returned(
    client, reported, coordinator, avdir_users, mailoutbox, django_capture_on_commit_callbacks
):
    round = open_round(reported, coordinator)
    contribute(round, "6", "AVdir", {}, deliver=False)
    client.force_login(coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(return_url(round, "6", "AVdir"), {"comment": "Hvorfor?"})
        page = client.get(response.url).content.decode()
        missing = client.post(return_url(round, "4", "AVdir"), {"comment": "Hvorfor?"})

    assert response.status_code == 302
    assert 'data-color="danger" role="status"' in page
    contribution = Contribution.objects.get(round=round, measure__number="6")
    assert contribution.returned_at is None
    assert contribution.return_comment == ""
    assert missing.status_code == 404
    assert mailoutbox == []


def test_a_contribution_to_a_finalised_report_cannot_be_returned(
    client, ready_round, coordinator, avdir_users, mailoutbox, django_capture_on_commit_callbacks
):
    ReportRound.objects.filter(pk=ready_round.pk).update(state=ReportRound.State.FINALISED)
    client.force_login(coordinator)
    listing = reverse("rapportering:report-contributions", args=[ready_round.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(return_url(ready_round, "6", "AVdir"), {"comment": "For sent."})

    assert response.status_code == 302
    contribution = Contribution.objects.get(
        round=ready_round, measure__number="6", directorate__short_name="AVdir"
    )
    assert contribution.is_delivered
    assert contribution.returned_at is None
    assert mailoutbox == []
    assert (
        "Rapporten er ferdigstilt; bidragene kan ikke endres."
        in client.get(response.url).content.decode()
    )
    assert "contribution-return" not in client.get(listing).content.decode()
    assert "/returner/" not in client.get(listing + "?direktorat=AVdir").content.decode()
