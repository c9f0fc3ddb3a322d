"""Single sign-on in Chromium through a real OpenID provider (tests/oidc/op.mjs): its login form
picks the person, their roles, the acr and the amr; the app must accept, map and refuse as the
issue says, and end both sessions at logout.

Our pages are read in English (the language cookie), the provider's in its own Norwegian: the
app's texts are asserted by their msgids, whatever the catalogue says."""

import pytest
from playwright.sync_api import expect

from identity.models import ProviderIdentity, ProviderSession
from identity.sso.config import providers_from_env
from tests.e2e.conftest import assert_accessible, assert_no_sideways_scroll
from tiltak.models import Actor, User, UserSession
from tiltak.roles import Role, role_of
from tiltak.services import user_deactivate

pytestmark = pytest.mark.django_db(transaction=True)

BUTTON = "Logg inn med testleverandøren"
OP_LOGIN = "Testleverandør: logg inn"


def in_english(context, live_server):
    context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    return context


def new_page(browser, live_server):
    """A page in a browser of its own (cookies and all), with the pages' real CSP."""
    context = browser.new_context(base_url=live_server.url, locale="nb-NO")
    return in_english(context, live_server).new_page()


@pytest.fixture
def page(page, live_server):
    in_english(page.context, live_server)
    return page


@pytest.fixture
def sso(settings, openid_provider):
    """Configure the app for the local provider; returns a function to configure it again."""

    def configure(**env):
        settings.OIDC_PROVIDERS_CONFIG = providers_from_env(
            openid_provider.env(**env), production=False
        )

    configure()
    return configure


def sign_in_at_provider(page, person, *, button=BUTTON, roles=None, acr=None, amr=None):
    """From our sign-in page through the provider's login form, as `person`."""
    page.goto("/login/")
    page.get_by_role("link", name=button).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(OP_LOGIN)
    page.get_by_label("Bruker", exact=True).select_option(person)
    if roles is not None:
        page.get_by_label("Roller").fill(roles)
    if acr is not None:
        page.get_by_label("acr", exact=True).select_option(acr)
    if amr is not None:
        page.get_by_label("amr").fill(amr)
    page.get_by_role("button", name="Logg inn hos testleverandøren").click()
    page.wait_for_url(lambda url: "/interaction/" not in url)  # back with us


def signed_in(page):
    """Whether the browser has a session with access: the front page, not the sign-in page."""
    page.goto("/")
    return "/login/" not in page.url


def test_first_sign_in_creates_the_user_and_the_next_one_updates_the_role(
    browser, live_server, page, seeded_plans, sso
):
    sign_in_at_provider(page, "direktorat")
    assert page.url == f"{live_server.url}/"
    banner = page.get_by_role("banner").text_content()
    assert "Dina Direktorat" in banner
    # No password of ours to change, and the second factor is the provider's.
    assert "Change password" not in banner
    assert "Two-factor authentication" not in banner

    identity = ProviderIdentity.objects.get(subject="direktorat")
    user = identity.user
    assert (user.username, user.first_name, user.last_name, user.email) == (
        "direktorat@test.example",
        "Dina",
        "Direktorat",
        "direktorat@test.example",
    )
    assert role_of(user) == Role.DIRECTORATE
    assert user.directorate.short_name == "AVdir"
    assert not user.has_usable_password()
    session = UserSession.objects.get(user_id=user.pk)
    assert session.get_decoded()["sso_provider"] == "default"
    provider_session = ProviderSession.objects.get(session=session)
    assert provider_session.issuer == identity.issuer
    assert provider_session.sid

    # Next time the provider says reader: the role changes, and the history shows it.
    second = new_page(browser, live_server)
    sign_in_at_provider(second, "direktorat", roles="Bolig.Leser")
    assert second.url == f"{live_server.url}/"
    second.context.close()
    user.refresh_from_db()
    assert role_of(user) == Role.READER
    assert user.directorate is None
    assert ProviderIdentity.objects.filter(user=user).count() == 1
    roles_in_history = []
    for record in user.history.order_by("history_date"):
        roles = sorted(g.group.name for g in record.groups.all())
        if roles and roles_in_history[-1:] != [roles]:
            roles_in_history.append(roles)
    assert roles_in_history == [["directorate"], ["reader"]]


def test_the_directorate_comes_from_ansattporten_s_organisation_number(
    page, seeded_plans, sso, openid_provider
):
    Actor.objects.filter(short_name="KDI").update(org_number="910000001")
    sso(
        OIDC_PROVIDERS="ansattporten",
        OIDC_ANSATTPORTEN_ISSUER=openid_provider.issuer,
        OIDC_ANSATTPORTEN_CLIENT_ID=openid_provider.CLIENT_ID,
        OIDC_ANSATTPORTEN_CLIENT_SECRET=openid_provider.CLIENT_SECRET,
        OIDC_ANSATTPORTEN_LABEL="Logg inn med Ansattporten",
        OIDC_ANSATTPORTEN_ACR_VALUES="entraid idporten-loa-substantial",
        OIDC_ANSATTPORTEN_ORGNO="true",
    )
    page.goto("/login/")
    assert_accessible(page)  # both buttons, then the password form
    sign_in_at_provider(page, "ansatt-orgnr", button="Logg inn med Ansattporten")
    assert signed_in(page)

    user = ProviderIdentity.objects.get(subject="ansatt-orgnr", provider="ansattporten").user
    assert role_of(user) == Role.DIRECTORATE
    assert user.directorate.short_name == "KDI"


def test_without_the_organisation_number_a_directorate_user_has_no_access(page, seeded_plans, sso):
    """The same person through a provider not asking for the organisation number: no
    directorate, so no access (and the number is not invented from anything else)."""
    Actor.objects.filter(short_name="KDI").update(org_number="910000001")
    sign_in_at_provider(page, "ansatt-orgnr", acr="entraid")
    assert page.get_by_role("heading", level=1).inner_text() == "You do not have access yet"
    assert not User.objects.filter(email="ansatt-orgnr@test.example").exists()


def test_a_person_without_a_mapped_role_is_refused_without_a_session(
    page, seeded_plans, sso, settings
):
    settings.OIDC_ACCESS_CONTACT = "brukerstotte@husbanken.no"
    sign_in_at_provider(page, "uten-rolle")
    assert page.get_by_role("heading", level=1).inner_text() == "You do not have access yet"
    assert "brukerstotte@husbanken.no" in page.get_by_role("main").inner_text()
    assert page.get_by_role("link", name="Back to sign-in").is_visible()
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 700})
    assert_no_sideways_scroll(page)
    assert not User.objects.filter(email="uten-rolle@test.example").exists()
    assert not UserSession.objects.exclude(user_id=None).exists()
    assert not signed_in(page)


def test_a_wrong_or_missing_acr_is_refused(page, browser, live_server, seeded_plans, sso):
    sso(OIDC_ACR_VALUES="idporten-loa-substantial idporten-loa-high")
    for acr in ["idporten-loa-low", ""]:
        attempt = new_page(browser, live_server)
        sign_in_at_provider(attempt, "leser", acr=acr)
        heading = attempt.get_by_role("heading", level=1).inner_text()
        assert heading == "The sign-in's security level is not accepted", acr
        assert not signed_in(attempt)
        attempt.context.close()
    assert not User.objects.filter(email="leser@test.example").exists()

    sign_in_at_provider(page, "leser", acr="idporten-loa-high")
    assert signed_in(page)


def test_a_token_for_another_audience_is_refused(page, seeded_plans, sso, caplog):
    sign_in_at_provider(page, "annen-mottaker")
    assert page.get_by_role("heading", level=1).inner_text() == "The sign-in did not succeed"
    assert "Invalid claim" in caplog.text
    assert "aud" in caplog.text
    assert not User.objects.filter(email="annen-mottaker@test.example").exists()
    assert not signed_in(page)


def test_an_error_from_the_provider_is_a_clear_message(page, seeded_plans, sso):
    page.goto("/login/")
    page.get_by_role("link", name=BUTTON).click()
    page.get_by_role("button", name="Avbryt").click()
    assert page.get_by_role("heading", level=1).inner_text() == "The sign-in was cancelled"
    assert "access_denied" in page.get_by_role("main").inner_text()
    assert_accessible(page)
    page.get_by_role("link", name="Back to sign-in").click()
    assert page.get_by_role("link", name=BUTTON).is_visible()


def test_a_role_that_needs_two_factors_is_refused_without_them(
    page, browser, live_server, seeded_plans, sso, settings
):
    settings.MFA_REQUIRED_ROLES = ["coordinator", "admin"]
    sign_in_at_provider(page, "koordinator", amr="pwd", acr="")
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading == "Sign in with two-factor authentication"
    assert not signed_in(page)

    again = new_page(browser, live_server)  # the provider's session would sign in with pwd
    sign_in_at_provider(again, "koordinator", amr="pwd,mfa", acr="")
    assert signed_in(again)
    user = ProviderIdentity.objects.get(subject="koordinator").user
    assert role_of(user) == Role.COORDINATOR
    assert user.directorate.is_coordinator


def test_logout_ends_our_session_and_the_provider_s(page, live_server, seeded_plans, sso):
    sign_in_at_provider(page, "leser")
    assert signed_in(page)
    page.get_by_role("button", name="Sign out").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Logge ut?"
    assert not UserSession.objects.exclude(user_id=None).exists()  # ours ended first
    page.get_by_role("button", name="Ja, logg meg ut").click()
    assert page.url.startswith(f"{live_server.url}/login/")
    assert not signed_in(page)

    # Signing in again asks the provider's login form again: its session ended too.
    page.get_by_role("link", name=BUTTON).click()
    assert page.get_by_role("heading", level=1).inner_text() == OP_LOGIN


def test_front_channel_logout_ends_the_matching_session_only(
    browser, live_server, seeded_plans, sso, openid_provider
):
    # Two people in two browsers, our pages with their real Content Security Policy (so
    # frame-ancestors is enforced).
    pages = {person: new_page(browser, live_server) for person in ["leser", "direktorat"]}
    for person, page in pages.items():
        sign_in_at_provider(page, person)
    reader = ProviderIdentity.objects.get(subject="leser").user
    sid = ProviderSession.objects.get(session__user_id=reader.pk).sid

    pages["leser"].goto(f"{openid_provider.issuer}/test/frontchannel-logout?sid={sid}")
    frame = pages["leser"].frame_locator(f"iframe[src^='{live_server.url}']")
    # Framed by another site, the page gets no cookie of ours (SameSite), its language either:
    # bokmål, the default.
    assert frame.get_by_role("heading", level=1).inner_text() == "Logget ut"

    assert not signed_in(pages["leser"])
    assert signed_in(pages["direktorat"])
    for page in pages.values():
        page.context.close()


def test_a_deactivated_user_is_refused(page, seeded_plans, sso, admin_user):
    sign_in_at_provider(page, "leser")
    assert signed_in(page)
    user = ProviderIdentity.objects.get(subject="leser").user
    user_deactivate(user=user, by=admin_user)
    assert not signed_in(page)  # deactivation ended the session

    # Still signed in at the provider, the button signs in at once: refused.
    page.get_by_role("link", name=BUTTON).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your user is deactivated")
    assert not signed_in(page)
