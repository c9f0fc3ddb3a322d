"""The measure page: its texts, milestones with status, and the readable history."""

import pytest
from django.urls import reverse

from tests.factories import measure

pytestmark = pytest.mark.django_db

PLAN = "handlingsplan-2018-2020"


def page(client, number, plan=PLAN):
    return client.get(reverse("tiltak:measure-detail", args=[measure(number, plan).pk]))


def test_the_page_shows_the_measure_its_responsibles_and_every_occurrence(
    client, seeded_plans, reader
):
    client.force_login(reader)

    response = page(client, "3")

    content = response.content.decode()
    assert response.status_code == 200
    assert (
        '<h1 class="ds-heading" data-size="lg">Tiltak 3: Regelverksendringer for å forbedre arbeidsprosessene der det er behov</h1>'
        in content
    )
    assert "Alle direktorater stiller med juridisk kompetanse" in content
    assert "IMDi – bidrar" in content
    assert "Ikke koblet til noe mål ennå." in content
    for day in ("30.06.2018", "31.12.2018", "30.06.2019", "31.12.2019", "30.06.2020", "31.12.2020"):
        assert day in content
    assert "Oppdater status" not in content  # a reader cannot


def test_update_links_appear_only_where_the_user_may_update(client, seeded_plans, directorate_user):
    client.force_login(directorate_user)

    assert "Oppdater status" in page(client, "6").content.decode()
    assert "Oppdater status" not in page(client, "8").content.decode()


def test_sub_measures_link_to_their_main_measure(client, seeded_plans, reader):
    client.force_login(reader)

    main = page(client, "1", "tiltaksplan-2015").content.decode()
    sub = page(client, "1.2", "tiltaksplan-2015").content.decode()

    assert "1.2 Felles Kommunikasjonsstrategi" in main
    assert "1 Bedre statlig samordning" in sub


def test_the_history_shows_who_changed_what_readably(client, seeded_plans, coordinator):
    target = measure("8")
    occurrence = target.milestones.get().occurrences.get()
    client.force_login(coordinator)
    client.post(
        reverse("tiltak:occurrence-status", args=[occurrence.pk]),
        {
            "version": 0,
            "status": "postponed",
            "assessment": "red",
            "deviation_cause": "Venter på lovendring",
            "deviation_consequence": "Kommunene får informasjonen senere",
            "corrective_action": "Utkast klart til høring",
            "new_date": "2018-09-30",
        },
    )

    content = page(client, "8").content.decode()

    assert "Historikk for statusendringer" in content
    assert "Status: Ikke startet → Utsatt" in content
    assert "Vurdering: – → Rød: avvik" in content
    assert "Årsak til avviket: – → Venter på lovendring" in content
    assert "30.09.2018 (opprinnelig 31.03.2018)" in content
    assert "koordinator" in content


def test_the_page_has_a_constant_number_of_queries(client, seeded_plans, coordinator, queries_for):
    """Measure 3 has six occurrences, measure 8 one; the count must not follow them."""
    client.force_login(coordinator)
    assert queries_for(15, lambda: page(client, "3")) == queries_for(15, lambda: page(client, "8"))


def test_an_unknown_measure_is_404(client, reader):
    client.force_login(reader)
    assert client.get(reverse("tiltak:measure-detail", args=[999999])).status_code == 404
