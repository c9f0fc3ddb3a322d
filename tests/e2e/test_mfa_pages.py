"""Two-factor authentication in Chromium: a passkey registered and used with Chromium's
virtual authenticator (Chrome DevTools Protocol), under the real Content Security Policy; an
authenticator app set up with a real code; and every page of it checked by both rule engines
at 1280 and 320 px."""

from base64 import b32encode

import pyotp
import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from tests.e2e.conftest import assert_accessible, assert_no_sideways_scroll, sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def required(settings):
    settings.MFA_REQUIRED_ROLES = ["coordinator", "admin"]


@pytest.fixture
def localhost(live_server, settings):
    """WebAuthn wants a host name: the live server as http://localhost:<port>."""
    url = live_server.url.replace("127.0.0.1", "localhost")
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [url]
    return url


def phone(device):
    return pyotp.TOTP(b32encode(device.bin_key).decode())


def test_a_coordinator_registers_a_passkey_and_signs_in_with_it(
    browser, localhost, required, seeded_plans, coordinator
):
    context = browser.new_context(base_url=localhost, locale="nb-NO")  # CSP enforced
    page = context.new_page()
    refused = []
    page.on("console", lambda m: "Content Security Policy" in m.text and refused.append(m.text))
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    authenticator = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )["authenticatorId"]

    sign_in(page, "koordinator", PASSWORD)
    assert page.url.startswith(f"{localhost}/tofaktor/?next=")  # made to set one up
    page.locator("[data-passkey=register]").click()
    page.wait_for_url("**/tofaktor/reservekoder/**")
    assert page.locator(".recovery-codes li").count() == 10
    credential = WebAuthnCredential.objects.get(user=coordinator)
    assert credential.confirmed
    stored = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})
    assert len(stored["credentials"]) == 1
    page.locator(".recovery-codes ~ p a").click()
    assert page.url == f"{localhost}/"

    page.get_by_role("button", name="Logg ut").first.click()
    sign_in(page, "koordinator", PASSWORD)
    assert "/tofaktor/bekreft/" in page.url
    page.locator("[data-passkey=verify]").click()
    page.wait_for_url(f"{localhost}/")
    assert page.get_by_role("navigation", name="Hovedmeny").is_visible()
    credential.refresh_from_db()
    assert credential.last_used_at is not None
    assert refused == []
    context.close()


def test_the_two_factor_pages_pass_both_rule_engines(
    page, required, seeded_plans, coordinator, admin_user
):
    sign_in(page, "koordinator", PASSWORD)
    assert "/tofaktor/" in page.url
    assert page.locator("#mfa-required").is_visible()
    assert_accessible(page)

    page.goto("/tofaktor/app/")
    qr = page.locator("img.qr-code")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    assert_accessible(page)
    page.locator("#id_code").fill("000000")
    page.locator("form.edit-form button[type=submit]").click()
    assert page.locator(".ds-error-summary").is_visible()
    assert_accessible(page)

    page.wait_for_timeout(1100)  # django-otp waits a second after a wrong code
    device = TOTPDevice.objects.get(user=coordinator)
    page.locator("#id_code").fill(phone(device).now())
    page.locator("form.edit-form button[type=submit]").click()
    assert page.locator(".recovery-codes li").count() == 10
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 640})
    assert_no_sideways_scroll(page)
    page.goto("/tofaktor/app/")
    assert_no_sideways_scroll(page)
    page.set_viewport_size({"width": 1280, "height": 800})

    page.goto("/tofaktor/reservekoder/")
    assert_accessible(page)
    page.goto("/tofaktor/")
    assert_accessible(page)
    page.goto(f"/tofaktor/app/{device.pk}/fjern/")
    assert_accessible(page)

    page.get_by_role("button", name="Logg ut").first.click()
    sign_in(page, "koordinator", PASSWORD)
    assert "/tofaktor/bekreft/" in page.url
    assert_accessible(page)
    page.locator("#id_code").fill("111111")
    page.locator("form:has(#id_code) button[type=submit]").click()
    assert page.locator(".ds-error-summary").is_visible()
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 640})
    assert_no_sideways_scroll(page)
    page.set_viewport_size({"width": 1280, "height": 800})

    page.get_by_role("button", name="Logg ut").first.click()
    TOTPDevice.objects.create(user=admin_user, confirmed=True)
    admin_device = TOTPDevice.objects.get(user=admin_user)
    sign_in(page, "administrator", PASSWORD)
    page.locator("#id_code").fill(phone(admin_device).now())
    page.locator("form:has(#id_code) button[type=submit]").click()
    page.goto(f"/brukere/{coordinator.pk}/endre/")
    page.locator(f"a[href='/brukere/{coordinator.pk}/tofaktor/']").click()
    assert_accessible(page)
    page.locator("main form.inline-list button[type=submit]").click()
    page.wait_for_url(f"**/brukere/{coordinator.pk}/endre/")
    assert not TOTPDevice.objects.filter(user=coordinator).exists()
