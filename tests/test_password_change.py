"""Every signed-in user changes their own password, in the site's layout and in Norwegian."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Nytt-og-langt-passord-2026"


def change(client, old, new, again=None):
    return client.post(
        reverse("password-change"),
        {"old_password": old, "new_password1": new, "new_password2": again or new},
    )


@pytest.fixture
def signed_in(client, directorate_user):
    assert (
        client.post(reverse("login"), {"username": "avdir", "password": PASSWORD}).status_code
        == 302
    )
    return client


def signs_in(password):
    return (
        Client().post(reverse("login"), {"username": "avdir", "password": password}).status_code
        == 302
    )


@pytest.mark.parametrize("role", ["coordinator", "directorate_user", "reader", "admin_user"])
def test_every_signed_in_user_finds_the_form_from_the_page_header(client, request, role):
    client.force_login(request.getfixturevalue(role))

    page = client.get(reverse("tiltak:plan-list")).content.decode()
    form = client.get(reverse("password-change")).content.decode()

    assert f'href="{reverse("password-change")}">Bytt passord</a>' in page
    assert '<h1 class="ds-heading" data-size="lg">Bytt passord</h1>' in form
    assert 'class="ds-input"' in form
    assert 'autocomplete="current-password"' in form


def test_changing_the_password_keeps_the_user_signed_in_and_the_new_one_works(signed_in):
    response = change(signed_in, PASSWORD, NEW_PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse("password-changed")
    done = signed_in.get(response["Location"]).content.decode()
    assert "Passordet ditt er endret." in done
    assert signed_in.get(reverse("tiltak:plan-list")).status_code == 200  # still signed in
    assert signs_in(NEW_PASSWORD)
    assert not signs_in(PASSWORD)


def test_a_wrong_old_password_is_refused_in_norwegian(signed_in):
    response = change(signed_in, "feil-passord", NEW_PASSWORD)

    assert response.status_code == 422
    page = response.content.decode()
    assert "Ditt gamle passord er galt. Vennligst prøv igjen." in page
    assert 'class="ds-error-summary" role="alert"' in page
    assert 'aria-invalid="true"' in page
    assert signs_in(PASSWORD)


@pytest.mark.parametrize(
    ("new", "again", "message"),
    [
        ("kort", None, "Passordet er for kort. Det må bestå av minst 8 tegn."),
        ("12345678901234", None, "Dette passordet inneholder bare tall."),
        (NEW_PASSWORD, "noe-annet-2026", "De to passordfeltene er ikke like."),
    ],
    ids=["too-short", "numeric", "mismatch"],
)
def test_the_new_password_is_checked_by_the_password_rules(signed_in, new, again, message):
    response = change(signed_in, PASSWORD, new, again)

    assert response.status_code == 422
    assert message in response.content.decode()
    assert signs_in(PASSWORD)
