"""Single sign-on over HTTP: the providers' configuration from the environment, the addresses
with and without providers, what the sign-in request asks of the provider, failures answered
by a page (never a 500), the front-channel logout's headers and sessions, and the directorates'
organisation numbers. The journeys through the provider's login form are in
tests/e2e/test_sso_journeys.py."""

import os
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from identity.models import ProviderSession
from identity.sso.config import providers_from_env, role_map_from_env
from tests.factories import make_user
from tiltak.models import Actor, UserSession
from tiltak.roles import Role

ENTRA = {
    "OIDC_PROVIDERS": "entra,ansattporten",
    "OIDC_ENTRA_ISSUER": "https://login.microsoftonline.com/tid/v2.0",
    "OIDC_ENTRA_CLIENT_ID": "app",
    "OIDC_ENTRA_CLIENT_SECRET": "s",
    "OIDC_ENTRA_SUBJECT_CLAIMS": "tid,oid",
    "OIDC_ANSATTPORTEN_ISSUER": "https://ansattporten.no",
    "OIDC_ANSATTPORTEN_CLIENT_ID": "ap",
    "OIDC_ANSATTPORTEN_CLIENT_SECRET": "t",
    "OIDC_ANSATTPORTEN_ACR_VALUES": "entraid idporten-loa-substantial",
    "OIDC_ANSATTPORTEN_ORGNO": "true",
    "OIDC_ANSATTPORTEN_TOKEN_AUTH_METHOD": "client_secret_post",
}


def test_no_variables_no_providers():
    assert providers_from_env({}, production=True) == {}


def test_one_provider_and_several_beside_it():
    providers = providers_from_env(
        {
            **ENTRA,
            "OIDC_ISSUER": "https://idp.example",
            "OIDC_CLIENT_ID": "c",
            "OIDC_CLIENT_SECRET": "x",
            "OIDC_LABEL": "Logg inn",
        },
        production=True,
    )
    assert list(providers) == ["default", "entra", "ansattporten"]
    single, entra, ansattporten = providers.values()
    assert (single.scopes, single.label, single.subject_claims) == (
        "openid profile email",
        "Logg inn",
        ("sub",),
    )
    assert single.metadata_url == "https://idp.example/.well-known/openid-configuration"
    assert entra.subject_claims == ("tid", "oid")
    assert (ansattporten.acr_values, ansattporten.orgno) == (
        ("entraid", "idporten-loa-substantial"),
        True,
    )
    assert ansattporten.token_auth_method == "client_secret_post"


@pytest.mark.parametrize(
    ("env", "production", "message"),
    [
        ({"OIDC_ISSUER": "https://idp.example"}, False, "OIDC_CLIENT_ID, OIDC_CLIENT_SECRET"),
        ({"OIDC_PROVIDERS": "entra"}, False, "OIDC_ENTRA_ISSUER"),
        ({**ENTRA, "OIDC_ANSATTPORTEN_CLIENT_SECRET": ""}, False, "OIDC_ANSATTPORTEN_CLIENT"),
        (
            {**ENTRA, "OIDC_ENTRA_ISSUER": "http://login.example"},
            False,
            "OIDC_ENTRA_ISSUER must be an https://",
        ),
        (
            {**ENTRA, "OIDC_ENTRA_ISSUER": "http://127.0.0.1:9400"},
            True,
            "OIDC_ENTRA_ISSUER must be an https://",
        ),
        ({**ENTRA, "OIDC_ENTRA_SCOPES": "profile"}, False, "must include openid"),
        ({**ENTRA, "OIDC_ENTRA_TOKEN_AUTH_METHOD": "none"}, False, "TOKEN_AUTH_METHOD"),
        ({**ENTRA, "OIDC_ENTRA_ORGNO": "kanskje"}, False, "true or false"),
        ({**ENTRA, "OIDC_PROVIDERS": "entra,entra"}, False, "not a usable name"),
    ],
)
def test_a_half_or_wrongly_configured_provider_refuses_to_start(env, production, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        providers_from_env(env, production=production)


def test_a_loopback_http_issuer_outside_production_lets_authlib_use_http(monkeypatch):
    monkeypatch.delenv("AUTHLIB_INSECURE_TRANSPORT", raising=False)
    providers_from_env(
        {"OIDC_ISSUER": "http://127.0.0.1:9400", "OIDC_CLIENT_ID": "c", "OIDC_CLIENT_SECRET": "s"},
        production=False,
    )
    assert os.environ["AUTHLIB_INSECURE_TRANSPORT"] == "1"


def test_the_role_map():
    assert role_map_from_env({})["Bolig.Direktorat"] == "directorate"
    assert role_map_from_env({"OIDC_ROLE_MAP": "a=reader, b = admin"}) == {
        "a": "reader",
        "b": "admin",
    }
    with pytest.raises(ImproperlyConfigured, match="OIDC_ROLE_MAP"):
        role_map_from_env({"OIDC_ROLE_MAP": "a=superuser"})


def test_the_mfa_rule_of_a_provider():
    (provider,) = providers_from_env(
        {"OIDC_ISSUER": "https://idp.example", "OIDC_CLIENT_ID": "c", "OIDC_CLIENT_SECRET": "s"},
        production=True,
    ).values()
    assert provider.shows_mfa({"acr": "idporten-loa-substantial"})
    assert provider.shows_mfa({"amr": ["entraid_pwd", "entraid_mfa"]})
    assert provider.shows_mfa({"amr": ["pwd", "mfa"]})
    assert not provider.shows_mfa({"acr": "entraid", "amr": ["pwd"]})
    assert not provider.shows_mfa({})


# With no provider configured (the test settings): no button, and every SSO address is absent.


@pytest.mark.django_db
def test_without_providers_the_sign_in_page_has_no_sso_and_its_addresses_are_absent(client):
    page = client.get(reverse("login")).content.decode()
    assert "/sso/" not in page
    assert 'name="password"' in page
    for name in ["sso-login", "sso-callback", "sso-frontchannel-logout"]:
        for method in (client.get, client.post):
            assert method(reverse(name, args=["default"])).status_code == 404


# With the local provider (tests/oidc/op.mjs, started by the openid_provider fixture).


@pytest.fixture
def sso(settings, openid_provider):
    def configure(**env):
        settings.OIDC_PROVIDERS_CONFIG = providers_from_env(
            openid_provider.env(**env), production=False
        )

    configure()
    return configure


@pytest.mark.django_db
def test_the_sign_in_page_offers_each_provider_keeping_next(client, sso, openid_provider):
    sso(
        OIDC_PROVIDERS="ansattporten",
        OIDC_ANSATTPORTEN_ISSUER=openid_provider.issuer,
        OIDC_ANSATTPORTEN_CLIENT_ID="bolig",
        OIDC_ANSATTPORTEN_CLIENT_SECRET="bolig-lokal-hemmelighet",
    )
    page = client.get(reverse("login"), {"next": "/planer/"}).content.decode()
    assert 'href="/sso/default/login/?next=/planer/"' in page
    assert "Logg inn med testleverandøren" in page
    assert 'href="/sso/ansattporten/login/?next=/planer/"' in page
    assert page.index("/sso/default/login/") < page.index('name="password"')


@pytest.mark.django_db
def test_the_sign_in_request_asks_for_pkce_nonce_state_acr_and_the_organisation_number(client, sso):
    sso(OIDC_ACR_VALUES="entraid idporten-loa-substantial", OIDC_ORGNO="true")
    response = client.get(reverse("sso-login", args=["default"]), {"next": "/planer/"})
    assert response.status_code == 302
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) == 43
    assert query["nonce"][0]
    assert query["state"][0]
    assert query["acr_values"] == ["entraid idporten-loa-substantial"]
    assert query["authorization_details"] == ['[{"type": "ansattporten:orgno"}]']
    assert query["redirect_uri"] == ["http://testserver/sso/default/callback/"]
    assert query["scope"] == ["openid profile email"]
    assert client.session["sso_next"] == "/planer/"


@pytest.mark.django_db
def test_a_next_address_elsewhere_is_dropped(client, sso):
    client.get(reverse("sso-login", args=["default"]), {"next": "https://evil.example/"})
    assert client.session["sso_next"] == ""


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        {"code": "x", "state": "unknown"},  # a state we never sent
        {},  # nothing at all
        {"code": "x", "state": "s", "iss": "https://evil.example"},  # RFC 9207: not our issuer
    ],
)
def test_a_bad_answer_from_the_provider_is_a_page_not_an_error(client, sso, query):
    response = client.get(reverse("sso-callback", args=["default"]), query)
    assert response.status_code == 400
    assert b"Innloggingen lyktes ikke" in response.content
    assert b'href="/login/"' in response.content
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_an_unreachable_provider_is_a_page_not_an_error(client, settings):
    settings.OIDC_PROVIDERS_CONFIG = providers_from_env(
        {"OIDC_ISSUER": "http://127.0.0.1:9", "OIDC_CLIENT_ID": "c", "OIDC_CLIENT_SECRET": "s"},
        production=False,
    )
    response = client.get(reverse("sso-login", args=["default"]))
    assert response.status_code == 400
    assert b"Innloggingen lyktes ikke" in response.content


@pytest.mark.django_db
def test_the_front_channel_logout_is_framed_by_the_provider_only_and_ends_its_session(
    client, sso, openid_provider, seeded_plans
):
    sessions = {}
    for name, sid in [("leser", "sid-a"), ("leser2", "sid-b")]:
        client.force_login(make_user(name, Role.READER))
        sessions[name] = client.session.session_key
        ProviderSession.objects.create(
            session_id=client.session.session_key, issuer=openid_provider.issuer, sid=sid
        )
        client.cookies.clear()
    url = reverse("sso-frontchannel-logout", args=["default"])

    response = client.get(url, {"iss": openid_provider.issuer, "sid": "sid-a"})

    assert response.status_code == 200
    assert "X-Frame-Options" not in response.headers
    csp = response.headers["Content-Security-Policy"]
    assert f"frame-ancestors {openid_provider.issuer}" in csp
    assert "no-store" in response.headers["Cache-Control"]
    assert set(UserSession.objects.values_list("session_key", flat=True)) == {sessions["leser2"]}
    # Another issuer, or no sid, ends nothing.
    for query in [{"iss": "https://evil.example", "sid": "sid-b"}, {"iss": openid_provider.issuer}]:
        assert client.get(url, query).status_code == 200
    assert UserSession.objects.filter(session_key=sessions["leser2"]).exists()


@pytest.mark.django_db
def test_logout_without_single_sign_on_stays_here(client, sso, reader):
    client.force_login(reader)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_logout_after_single_sign_on_goes_on_to_the_provider(client, sso, reader, openid_provider):
    client.force_login(reader)
    session = client.session
    session["sso_provider"], session["sso_id_token"] = "default", "the-id-token"
    session.save()
    response = client.post(reverse("logout"))
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    url = response.context["url"]
    assert url.startswith(f"{openid_provider.issuer}/session/end?")
    query = parse_qs(urlsplit(url).query)
    assert query["id_token_hint"] == ["the-id-token"]
    assert query["client_id"] == ["bolig"]
    assert query["post_logout_redirect_uri"] == ["http://testserver/login/"]
    assert f'content="0; url={url}"'.replace("&", "&amp;") in response.content.decode()


# The directorates' organisation numbers.


@pytest.mark.django_db
def test_an_admin_sets_and_clears_a_directorate_s_organisation_number(
    client, admin_user, seeded_plans
):
    client.force_login(admin_user)
    avdir = Actor.objects.get(short_name="AVdir")
    listing = client.get(reverse("sso-directorates")).content.decode()
    assert reverse("sso-directorate-org-number", args=[avdir.pk]) in listing
    assert "Ansattporten" in client.get(reverse("tiltak:user-list")).content.decode()

    url = reverse("sso-directorate-org-number", args=[avdir.pk])
    response = client.post(url, {"org_number": "910000003"})
    assert response.status_code == 302
    avdir.refresh_from_db()
    assert avdir.org_number == "910000003"
    assert avdir.history.first().history_user == admin_user

    kdi = Actor.objects.get(short_name="KDI")
    taken = client.post(
        reverse("sso-directorate-org-number", args=[kdi.pk]), {"org_number": "910000003"}
    )
    assert taken.status_code == 422
    assert b"ds-error-summary" in taken.content
    assert client.post(url, {"org_number": "12345"}).status_code == 422

    assert client.post(url, {"org_number": ""}).status_code == 302
    avdir.refresh_from_db()
    assert avdir.org_number is None


@pytest.mark.django_db
def test_the_directorate_by_claim_then_organisation_number_then_the_provider_s_own(seeded_plans):
    from identity.sso.services import directorate_from_claims

    Actor.objects.filter(short_name="KDI").update(org_number="910000005")
    (provider,) = providers_from_env(
        {
            "OIDC_ISSUER": "https://idp.example",
            "OIDC_CLIENT_ID": "c",
            "OIDC_CLIENT_SECRET": "s",
            "OIDC_DIRECTORATE": "AVdir",
        },
        production=True,
    ).values()
    orgno = {
        "authorization_details": [{"type": "ansattporten:orgno", "orgno": {"ID": "0192:910000005"}}]
    }
    assert directorate_from_claims(provider, {"directorate": "kdi"}).short_name == "KDI"
    assert directorate_from_claims(provider, orgno).short_name == "KDI"
    assert directorate_from_claims(provider, {}).short_name == "AVdir"
    assert directorate_from_claims(provider, {"directorate": "Ukjent"}) is None
    unknown = {"authorization_details": [{"type": "ansattporten:orgno", "orgno": {"ID": "1"}}]}
    assert directorate_from_claims(provider, unknown).short_name == "AVdir"
