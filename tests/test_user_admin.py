"""User administration in the application (/brukere/): administrators list, create, change,
deactivate and reactivate users, through HTTP as the browser does."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from rapportering.models import CalendarFeed
from tests.factories import PASSWORD, make_user
from tiltak.models import Actor
from tiltak.roles import Role

pytestmark = pytest.mark.django_db
User = get_user_model()
GOOD_PASSWORD = "Et-godt-passord-2026"
LIST = "/brukere/"


@pytest.fixture
def admin_client(client, admin_user, seeded_plans):
    client.force_login(admin_user)
    return client


def actor(short_name):
    return Actor.objects.get(short_name=short_name)


def rows(response):
    """The user names in the list, in order."""
    return re.findall(
        r'<tr id="user-\d+">\s*<td>[^<]*(?:<br>[^\n]*)?</td>\s*<td>([^<]+)</td>',
        response.content.decode(),
    )


def test_the_list_shows_role_directorate_and_whether_active(
    admin_client, directorate_user, reader, coordinator
):
    User.objects.filter(pk=make_user("borte", Role.READER).pk).update(is_active=False)

    response = admin_client.get(reverse("tiltak:user-list"))

    page = response.content.decode()
    assert response.status_code == 200
    assert rows(response) == ["administrator", "avdir", "koordinator", "leser", "borte"]
    assert "Direktoratsbruker" in page
    assert "AVdir" in page
    assert "Deaktivert" in page
    assert "Aktiv" in page
    assert 'role="region" tabindex="0" aria-label="Brukere"' in page
    assert ">system<" not in page  # the system user is no one to administer


def test_the_list_is_filtered_by_role_and_directorate_in_the_address(
    admin_client, directorate_user, other_directorate_user, reader
):
    by_role = admin_client.get(reverse("tiltak:user-list"), {"rolle": "directorate"})
    by_directorate = admin_client.get(reverse("tiltak:user-list"), {"direktorat": "KDI"})
    admins = admin_client.get(reverse("tiltak:user-list"), {"rolle": "admin"})

    assert rows(by_role) == ["avdir", "kdi"]
    assert rows(by_directorate) == ["kdi"]
    assert rows(admins) == ["administrator"]
    assert '<option value="KDI" selected>' in by_directorate.content.decode()


def test_the_list_takes_as_many_queries_with_more_users(admin_client, queries_for):
    before = queries_for(10, lambda: admin_client.get(reverse("tiltak:user-list")))
    for n in range(20):
        make_user(f"bruker{n}", Role.DIRECTORATE, "Bufdir")
        make_user(f"leser{n}", Role.READER)

    assert queries_for(10, lambda: admin_client.get(reverse("tiltak:user-list"))) == before


def test_creating_a_user_saves_it_with_its_role_and_returns_to_the_filtered_list(
    admin_client, admin_user
):
    back = f"{LIST}?rolle=directorate&direktorat=KDI"
    response = admin_client.post(
        reverse("tiltak:user-create"),
        {
            "username": "kari",
            "first_name": "Kari",
            "last_name": "Nordmann",
            "email": "kari@kdi.no",
            "role": "directorate",
            "directorate": actor("KDI").pk,
            "password": GOOD_PASSWORD,
            "neste": back,
        },
    )

    assert response.status_code == 302
    assert response["Location"] == back
    kari = User.objects.get(username="kari")
    assert (kari.get_full_name(), kari.email) == ("Kari Nordmann", "kari@kdi.no")
    assert kari.role == Role.DIRECTORATE
    assert kari.directorate == actor("KDI")
    assert kari.is_active
    assert kari.check_password(GOOD_PASSWORD)
    assert {row.history_user for row in kari.history.all()} == {admin_user}
    assert [row.group.name for row in kari.history.first().groups.all()] == ["directorate"]


def test_a_user_created_without_a_password_cannot_sign_in_until_one_is_set(admin_client):
    admin_client.post(reverse("tiltak:user-create"), {"username": "per", "role": "reader"})

    per = User.objects.get(username="per")
    assert per.role == Role.READER
    assert per.directorate is None
    assert not per.has_usable_password()

    admin_client.post(
        reverse("tiltak:user-update", args=[per.pk]), {"role": "reader", "password": GOOD_PASSWORD}
    )
    per.refresh_from_db()
    assert per.check_password(GOOD_PASSWORD)


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"username": "avdir", "role": "reader"}, "username", "finnes allerede"),
        ({"username": "AVDIR", "role": "reader"}, "username", "finnes allerede"),
        ({"username": "ny", "role": "directorate"}, "directorate", "må ha et direktorat"),
        (
            {"username": "ny", "role": "reader", "directorate": "KDI"},
            "directorate",
            "Bare direktoratsbrukere og koordinatorer",
        ),
        (
            {"username": "ny", "role": "coordinator", "directorate": "KDI"},
            "directorate",
            "En koordinator hører til HB",
        ),
        ({"username": "ny", "role": "reader", "password": "123"}, "password", "for kort|too short"),
        (
            {"username": "kristiansen", "role": "reader", "password": "kristiansen1"},
            "password",
            "lik|similar",
        ),
    ],
    ids=[
        "duplicate",
        "duplicate-other-case",
        "directorate-missing",
        "directorate-for-reader",
        "coordinator-elsewhere",
        "weak-password",
        "password-like-username",
    ],
)
def test_a_bad_user_is_refused_by_its_field_and_nobody_is_created(
    admin_client, directorate_user, values, field, message
):
    if "directorate" in values:
        values = {**values, "directorate": actor(values["directorate"]).pk}
    users = User.objects.count()

    response = admin_client.post(reverse("tiltak:user-create"), values)

    page = response.content.decode()
    assert response.status_code == 422
    assert 'class="ds-error-summary"' in page
    error = re.search(rf'id="id_{field}_error">([^<]*)<', page)
    assert error, page
    assert re.search(message, error.group(1))
    assert User.objects.count() == users


def test_changing_the_role_clears_the_directorate_and_is_kept_in_history(
    admin_client, admin_user, directorate_user
):
    back = f"{LIST}?rolle=directorate"
    form = admin_client.get(
        reverse("tiltak:user-update", args=[directorate_user.pk]), {"neste": back}
    )
    assert 'name="username"' not in form.content.decode()

    response = admin_client.post(
        reverse("tiltak:user-update", args=[directorate_user.pk]),
        {"role": "reader", "first_name": "Ola", "neste": back},
    )

    assert response["Location"] == back
    user = User.objects.get(pk=directorate_user.pk)
    assert user.role == Role.READER
    assert user.directorate is None
    assert user.first_name == "Ola"
    assert user.check_password(PASSWORD)
    # The change of role is in the history, as made by the admin.
    latest = user.history.first()
    assert latest.history_user == admin_user
    assert [row.group.name for row in latest.groups.all()] == ["reader"]
    earlier = [[row.group.name for row in version.groups.all()] for version in user.history.all()]
    assert ["directorate"] in earlier[1:]


def test_an_admin_cannot_take_the_admin_role_from_themselves(admin_client, admin_user):
    response = admin_client.post(
        reverse("tiltak:user-update", args=[admin_user.pk]), {"role": "reader"}
    )

    assert response.status_code == 422
    assert User.objects.get(pk=admin_user.pk).role == Role.ADMIN


def test_deactivating_signs_out_revokes_feeds_and_keeps_history(
    admin_client, admin_user, directorate_user
):
    their_browser = Client()
    their_browser.force_login(directorate_user)
    feed = CalendarFeed.objects.create(
        user=directorate_user, directorate=actor("AVdir"), role=Role.DIRECTORATE
    )
    url = reverse("tiltak:user-deactivate", args=[directorate_user.pk])
    back = f"{LIST}?direktorat=AVdir"

    confirmation = admin_client.get(url, {"neste": back}).content.decode()
    assert "logget ut overalt" in confirmation
    assert "1 aktiv adresse" in confirmation
    response = admin_client.post(url, {"neste": back})

    assert response["Location"] == back
    user = User.objects.get(pk=directorate_user.pk)
    assert not user.is_active
    assert their_browser.get(reverse("home")).status_code == 302  # to sign in
    feed.refresh_from_db()
    assert feed.revoked_at is not None
    assert admin_client.get(feed.get_absolute_url()).status_code == 404
    assert user.history.first().history_user == admin_user
    assert not user.history.first().is_active
    assert feed.history.first().history_user == admin_user
    assert "Deaktivert" in admin_client.get(back).content.decode()


def test_an_admin_cannot_deactivate_themselves(admin_client, admin_user):
    url = reverse("tiltak:user-deactivate", args=[admin_user.pk])

    page = admin_client.get(url).content.decode()
    response = admin_client.post(url)

    assert "Du kan ikke deaktivere deg selv" in page
    assert 'type="submit">Deaktiver<' not in page
    assert response.status_code == 409
    assert User.objects.get(pk=admin_user.pk).is_active


def test_reactivating_lets_the_user_sign_in_again(admin_client, admin_user, reader):
    admin_client.post(reverse("tiltak:user-deactivate", args=[reader.pk]))

    response = admin_client.post(
        reverse("tiltak:user-reactivate", args=[reader.pk]), {"neste": f"{LIST}?rolle=reader"}
    )

    assert response["Location"] == f"{LIST}?rolle=reader"
    user = User.objects.get(pk=reader.pk)
    assert user.is_active
    assert user.history.first().history_user == admin_user
    signed_in = Client().post(reverse("login"), {"username": "leser", "password": PASSWORD})
    assert signed_in.status_code == 302


@pytest.mark.parametrize("role", ["coordinator", "directorate_user", "reader"])
def test_only_admins_manage_users_and_see_the_link(client, request, role, admin_user, reader):
    client.force_login(request.getfixturevalue(role))

    assert client.get(reverse("tiltak:user-list")).status_code == 403
    assert client.post(reverse("tiltak:user-deactivate", args=[admin_user.pk])).status_code == 403
    assert (
        reverse("tiltak:user-list") not in client.get(reverse("tiltak:plan-list")).content.decode()
    )
    client.force_login(admin_user)
    assert (
        f'href="{reverse("tiltak:user-list")}"'
        in client.get(reverse("tiltak:plan-list")).content.decode()
    )
