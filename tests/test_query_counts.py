"""Every page takes as many queries with a larger generated plan as without it."""

import pytest
from django.urls import reverse

from rapportering.models import Dispatch, FinalReportFile, Reminder
from rapportering.services import contribution_return, contribution_save
from tests.factories import contribution_url, final_report, make_user, open_round
from tiltak.models import Actor, Measure, Occurrence
from tiltak.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def avdir_client(client, seeded_plans):
    client.force_login(make_user("avdir", Role.DIRECTORATE, "AVdir"))
    return client


PAGES = {
    "home (Mitt direktorat)": lambda: reverse("home"),
    "plan list": lambda: reverse("tiltak:plan-list"),
    "measure list": lambda: reverse("tiltak:measure-list") + "?sort=overdue",
    "measure list, filtered": lambda: (
        reverse("tiltak:measure-list") + "?directorate=AVdir&deviation=on"
    ),
    "measure list, by health": lambda: (
        reverse("tiltak:measure-list") + "?health=deviation&sort=health"
    ),
    "my directorate": lambda: reverse("tiltak:my-directorate"),
}


@pytest.mark.parametrize("page", PAGES)
def test_the_page_takes_no_more_queries_with_more_data(avdir_client, queries_for, request, page):
    url = PAGES[page]()
    before = queries_for(20, lambda: avdir_client.get(url))

    request.getfixturevalue("larger_plan")

    assert queries_for(20, lambda: avdir_client.get(url)) == before


def test_a_larger_plan_takes_as_many_queries_as_a_small_one(avdir_client, queries_for, larger_plan):
    small = queries_for(
        20, lambda: avdir_client.get(reverse("tiltak:plan-detail", args=["tiltaksplan-2015"]))
    )
    large = queries_for(
        20, lambda: avdir_client.get(reverse("tiltak:plan-detail", args=["generert"]))
    )
    assert small == large


def test_a_measure_with_more_milestones_takes_as_many_queries(
    avdir_client, queries_for, larger_plan
):
    small = Measure.objects.get(plan__slug="handlingsplan-2018-2020", number="8")  # one occurrence
    large = Measure.objects.get(plan=larger_plan, number="1")  # nine occurrences
    assert queries_for(20, lambda: avdir_client.get(small.get_absolute_url())) == queries_for(
        20, lambda: avdir_client.get(large.get_absolute_url())
    )


def test_the_contribution_form_takes_as_many_queries_with_more_to_show(
    client, queries_for, reported, coordinator
):
    """With nothing around it, and with last year's contribution, the other directorates'
    delivered ones and its own returned one: the same queries."""
    round = open_round(reported, coordinator)
    url = contribution_url(round, "6", "AVdir")
    client.force_login(make_user("avdir", Role.DIRECTORATE, "AVdir"))
    before = queries_for(30, lambda: client.get(url))

    measure = Measure.objects.get(plan=reported, number="6")
    texts = {"status_assessment": "Skrevet.", "deviation_handling": "Meldt.", "challenges": "Få."}
    for contribution_round, short_name in [
        (open_round(reported, coordinator, year=2018), "AVdir"),
        (round, "HB"),
        (round, "IMDi"),
        (round, "AVdir"),
    ]:
        contribution_save(
            round_id=contribution_round.pk,
            measure=measure,
            directorate=Actor.objects.get(short_name=short_name),
            user=coordinator,
            values=texts,
            deliver=True,
        )
    contribution_return(
        round_id=round.pk,
        measure=measure,
        directorate=Actor.objects.get(short_name="AVdir"),
        user=coordinator,
        comment="Mer om avvikene.",
    )

    assert queries_for(30, lambda: client.get(url)) == before


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


def test_a_final_version_takes_as_many_queries_with_more_files_and_recipients(
    coordinator_client, queries_for
):
    """The version's page with one file and a dispatch to one ministry, then with every
    file and a dispatch to every ministry."""
    final = final_report()  # its CSV file only
    ministries = Actor.objects.filter(kind=Actor.Kind.MINISTRY)
    dispatch = Dispatch.objects.create(
        report=final, sent_on="2019-10-01", recorded_by=final.finalised_by
    )
    dispatch.recipients.set(ministries[:1])
    url = final.get_absolute_url()
    before = queries_for(20, lambda: coordinator_client.get(url))

    for fmt in ("pdf", "docx", "xlsx"):
        FinalReportFile.objects.create(report=final, format=fmt, data=b"x", checksum="0" * 64)
    dispatch.recipients.set(ministries)

    assert queries_for(20, lambda: coordinator_client.get(url)) == before


def test_the_dispatch_form_takes_as_many_queries_with_more_ministries(
    coordinator_client, queries_for
):
    url = reverse("rapportering:final-report-dispatch", args=[final_report().pk])
    before = queries_for(20, lambda: coordinator_client.get(url))

    for number in range(5):
        Actor.objects.create(name=f"Departement {number}", kind=Actor.Kind.MINISTRY)

    assert queries_for(20, lambda: coordinator_client.get(url)) == before


def test_the_round_page_takes_as_many_queries_with_more_missing_and_more_reminders(
    client, queries_for, reported, coordinator, larger_plan
):
    """The coordinator's round page: its missing list, progress and reminders read in a
    fixed number of queries, whatever the plan's size, and with a saved milestone to confirm."""
    client.force_login(coordinator)
    small = open_round(reported, coordinator)
    before = queries_for(40, lambda: client.get(small.get_absolute_url()))

    large = open_round(larger_plan, coordinator, year=2021)
    for short_name in ("AVdir", "KDI", "Hdir"):
        Reminder.objects.create(
            round=large,
            directorate=Actor.objects.get(short_name=short_name),
            sent_by=coordinator,
            recipients=["a@example.no", "b@example.no"],
            subject="Påminnelse",
            items=["Bidraget til tiltak 1 er ikke levert."],
        )
    occurrence = Occurrence.objects.filter(milestone__measure__plan=larger_plan).first()

    assert queries_for(40, lambda: client.get(large.get_absolute_url())) == before
    assert (
        queries_for(40, lambda: client.get(f"{large.get_absolute_url()}?lagret={occurrence.pk}"))
        == before + 1
    )
