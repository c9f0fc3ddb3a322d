"""The first pages: sign-in required, readable by every role, constant query counts."""

import re

import pytest
from django.urls import reverse

from tests.factories import PASSWORD
from tiltak.models import Milestone

pytestmark = pytest.mark.django_db

ROLES = ["coordinator", "directorate_user", "other_directorate_user", "reader", "admin_user"]


@pytest.mark.parametrize("url_name", ["home", "tiltak:plan-list", "tiltak:plan-detail"])
def test_anonymous_visitors_are_sent_to_sign_in(client, seeded_plans, url_name):
    args = ["handlingsplan-2018-2020"] if url_name == "tiltak:plan-detail" else []
    url = reverse(url_name, args=args)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_the_login_page_is_open_and_signs_a_user_in(client, coordinator):
    assert client.get(reverse("login")).status_code == 200

    response = client.post(reverse("login"), {"username": "koordinator", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_a_wrong_password_is_refused_with_a_message(client, coordinator):
    response = client.post(reverse("login"), {"username": "koordinator", "password": "feil"})

    assert response.status_code == 422
    assert 'role="alert"' in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_the_list_of_plans(client, seeded_plans, role, request):
    client.force_login(request.getfixturevalue(role))

    response = client.get(reverse("tiltak:plan-list"))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Handlingsplan Bolig for velferd 2018–2020" in content
    assert "Felles tiltaksplan Bolig for velferd 2015" in content
    assert "2018–2020: 17 tiltak" in content
    assert "2015: 15 tiltak" in content


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_a_plan_with_its_measures_responsibles_and_milestones(
    client, seeded_plans, role, request
):
    client.force_login(request.getfixturevalue(role))

    response = client.get(reverse("tiltak:plan-detail", args=["handlingsplan-2018-2020"]))

    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("<h1") == 1
    assert "Tiltak 17: Felles rapport om status og avvik" in content
    assert "Kriminalomsorgsdirektoratet skal utforme informasjon i Veiviseren" in content
    assert "KDI – leder" in content
    assert "2. og 4. kvartal hvert år" in content
    # Long past its date and still open: overdue, shown as such (issue 15).
    assert 'data-size="sm">Forsinket siden 30.06.2019</span>' in content
    assert re.search(r"2020 \(fortløpende\): <span [^>]+>Ikke startet</span>", content)


def test_sub_measures_are_shown_under_their_measure(client, seeded_plans, reader):
    client.force_login(reader)

    content = client.get(reverse("tiltak:plan-detail", args=["tiltaksplan-2015"])).content.decode()

    assert (
        content.index("Tiltak 1: Bedre statlig samordning")
        < content.index("Tiltak 1.1: Etablere en struktur")
        < content.index("Tiltak 2: Ressursgruppe")
    )
    assert '<h4 class="ds-heading"' in content


def test_an_unknown_plan_is_404(client, reader):
    client.force_login(reader)
    assert client.get(reverse("tiltak:plan-detail", args=["finnes-ikke"])).status_code == 404


def test_the_plan_page_has_a_constant_number_of_queries(client, seeded_plans, reader, queries_for):
    """The 2015 plan has 46 milestones and the 2018 plan 22: the count must not follow them."""
    client.force_login(reader)
    counts = [
        queries_for(13, lambda s=slug: client.get(reverse("tiltak:plan-detail", args=[s])))
        for slug in ("tiltaksplan-2015", "handlingsplan-2018-2020")
    ]
    assert counts[0] == counts[1]
    assert Milestone.objects.filter(measure__plan__slug="tiltaksplan-2015").count() == 46


def test_english_is_available(client, seeded_plans, reader):
    client.force_login(reader)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    content = client.get(reverse("home")).content.decode()

    assert '<html lang="en"' in content
    assert "Bolig for velferd: the reports and the plans" in content


def test_the_interface_is_in_norwegian_by_default(client, reader):
    client.force_login(reader)

    content = client.get(reverse("home")).content.decode()

    assert '<html lang="nb"' in content
    assert "Bolig for velferd: rapportene og planene" in content


def test_norwegian_whatever_language_the_browser_asks_for(client, reader):
    client.force_login(reader)

    content = client.get(
        reverse("home"), headers={"accept-language": "en-US,en;q=0.9"}
    ).content.decode()

    assert '<html lang="nb"' in content
