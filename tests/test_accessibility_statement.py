"""The accessibility statement: Digdir's structure, accurate, and open to everyone."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from tiltak import accessibility

pytestmark = pytest.mark.django_db


def test_the_statement_has_the_parts_of_digdirs_statement_without_signing_in(client, settings):
    settings.ACCESSIBILITY_CONTACT = "uu@example.no"

    response = client.get(reverse("tiltak:accessibility"))

    assert response.status_code == 200
    page = response.content.decode()
    for part in [
        "Bolig for velferd – tiltaksoppfølging",  # the service
        "Husbanken",  # its owner
        "Opprettet",
        "Sist gjennomgått",
        accessibility.MADE.strftime("%Y"),
        "Samsvarsstatus",
        "Krav som ikke er oppfylt",
        "Tilbakemelding og kontakt",
        'href="mailto:uu@example.no"',
        f'href="{accessibility.SUPERVISOR_URL}"',
        "Tilsynet for universell utforming av ikt",
    ]:
        assert part in page, part


def test_every_criterion_not_met_is_listed_with_where_what_and_when(client):
    page = client.get(reverse("tiltak:accessibility")).content.decode()

    assert accessibility.NOT_MET, "the Django admin's unnamed controls are not met"
    for item in accessibility.NOT_MET:
        assert f"{item.criterion} " in page
        for text in (item.where, item.problem, item.remedy, item.by):
            with translation.override("nb"):
                assert escape(str(text)) in page


def test_the_english_statement_marks_the_norwegian_name_of_the_authority(client):
    client.cookies["django_language"] = "en"

    page = client.get(reverse("tiltak:accessibility")).content.decode()

    assert "Accessibility statement" in page
    assert '<a class="ds-link" href="https://www.uutilsynet.no/" lang="nb">' in page
