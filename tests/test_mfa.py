"""Two-factor authentication of local accounts (identity.mfa) over HTTP, with real codes:
pyotp computes them from the key of the app set up, as a phone would."""

import subprocess
import sys
import time
from base64 import b32encode

import pyotp
import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY, authenticate
from django.test import Client, RequestFactory
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from identity.mfa import services
from tests.factories import PASSWORD, ROOT
from tiltak.models import UserSession

pytestmark = pytest.mark.django_db

HOME = "/"


@pytest.fixture(autouse=True)
def roles_that_must(settings):
    """The default of production: coordinators and admins must use a second factor."""
    settings.MFA_REQUIRED_ROLES = ["coordinator", "admin"]


def sign_in(client, username, next_url=None):
    data = {"username": username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    response = client.post(reverse("login"), data)
    assert response.status_code == 302, response.content[:500]
    return response


def phone(device):
    """What the authenticator app computes from the key it was given."""
    return pyotp.TOTP(b32encode(device.bin_key).decode())


def app_of(user):
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    return device, phone(device)


def verified(user):
    """A client signed in as `user` with password and app."""
    client = Client()
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    totp = phone(device) if device else app_of(user)[1]
    sign_in(client, user.username)
    assert enter(client, totp.now()).status_code == 302
    return client


def enter(client, code, next_url=HOME):
    return client.post(reverse("mfa-verify"), {"code": code, "next": next_url})


def test_a_coordinator_without_a_method_must_set_up_an_app_at_sign_in(client, coordinator):
    sign_in(client, "koordinator")
    response = client.get(reverse("tiltak:measure-list"))
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("mfa-overview") + "?next=" + reverse("tiltak:measure-list")
    )
    page = client.get(reverse("mfa-overview"))
    assert page.status_code == 200
    assert 'id="mfa-required"' in page.text

    form = client.get(reverse("mfa-app-add") + "?next=/tiltak/")
    assert form.status_code == 200
    assert reverse("mfa-app-qr") in form.text
    qr = client.get(reverse("mfa-app-qr"))
    assert qr.status_code == 200
    assert qr["Content-Type"] == "image/svg+xml"
    assert b"<svg" in qr.content
    device = TOTPDevice.objects.get(user=coordinator)
    assert not device.confirmed
    secret = b32encode(device.bin_key).decode()
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in form.text

    wrong = client.post(reverse("mfa-app-add"), {"code": "000000", "next": "/tiltak/"})
    assert wrong.status_code == 422
    assert "ds-error-summary" in wrong.text
    device.refresh_from_db()
    assert not device.confirmed

    time.sleep(1.1)  # django-otp slows down a device for a second after a wrong code
    session_before = client.session.session_key
    saved = client.post(reverse("mfa-app-add"), {"code": phone(device).now(), "next": "/tiltak/"})
    assert saved.status_code == 302
    assert saved["Location"] == reverse("mfa-recovery-codes") + "?next=%2Ftiltak%2F"
    assert client.session.session_key != session_before
    device.refresh_from_db()
    assert device.confirmed

    codes = client.get(saved["Location"])
    shown = set(
        StaticToken.objects.filter(device__user=coordinator).values_list("token", flat=True)
    )
    assert len(shown) == services.RECOVERY_CODE_COUNT
    assert all(code in codes.text for code in shown)
    assert 'href="/tiltak/"' in codes.text
    again = client.get(reverse("mfa-recovery-codes"))
    assert not any(code in again.text for code in shown)  # shown once
    assert client.get(reverse("tiltak:measure-list")).status_code == 200


def test_a_reader_need_not_but_may_set_up_an_app(client, reader):
    sign_in(client, "leser")
    assert client.get(HOME).status_code == 200
    assert client.get(reverse("mfa-overview")).status_code == 200
    client.get(reverse("mfa-app-add"))
    device = TOTPDevice.objects.get(user=reader)
    assert client.post(reverse("mfa-app-add"), {"code": phone(device).now()}).status_code == 302

    other = Client()
    sign_in(other, "leser")
    assert other.get(HOME)["Location"] == reverse("mfa-verify") + "?next=/"


def test_a_user_with_an_app_gives_its_code_after_the_password(client, reader):
    _device, totp = app_of(reader)
    sign_in(client, "leser", next_url="/tiltak/")
    assert client.get("/tiltak/")["Location"] == reverse("mfa-verify") + "?next=/tiltak/"
    for other_page in (reverse("mfa-overview"), reverse("password-change"), "/brukere/"):
        response = client.get(other_page)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("mfa-verify"))
    page = client.get(reverse("mfa-verify") + "?next=/tiltak/")
    assert page.status_code == 200
    assert 'name="code"' in page.text

    wrong = enter(client, "123456", "/tiltak/")
    assert wrong.status_code == 422
    assert "ds-error-summary" in wrong.text
    assert client.get("/tiltak/").status_code == 302

    time.sleep(1.1)  # django-otp slows down a device for a second after a wrong code
    session_before = client.session.session_key
    right = enter(client, totp.now(), "/tiltak/")
    assert right.status_code == 302
    assert right["Location"] == "/tiltak/"
    assert client.session.session_key != session_before
    assert client.get("/tiltak/").status_code == 200


def test_a_code_within_the_window_is_accepted_and_outside_it_refused(client, reader):
    _device, totp = app_of(reader)
    sign_in(client, "leser")
    assert enter(client, totp.at(time.time() - 90)).status_code == 422
    time.sleep(1.1)
    assert enter(client, totp.at(time.time() - 30)).status_code == 302


def test_a_code_used_once_is_refused_the_second_time(reader):
    _device, totp = app_of(reader)
    code = totp.now()
    first, second = Client(), Client()
    sign_in(first, "leser")
    assert enter(first, code).status_code == 302
    sign_in(second, "leser")
    refused = enter(second, code)
    assert refused.status_code == 422
    assert second.get(HOME).status_code == 302


def test_a_recovery_code_works_once(reader):
    app_of(reader)
    codes = services.recovery_codes_replace(user=reader)
    first, second = Client(), Client()
    sign_in(first, "leser")
    assert enter(first, codes[3].upper()[:4] + " " + codes[3][4:]).status_code == 302
    assert StaticToken.objects.filter(device__user=reader).count() == len(codes) - 1
    sign_in(second, "leser")
    assert enter(second, codes[3]).status_code == 422


def test_new_recovery_codes_replace_the_old(client, reader):
    app_of(reader)
    old = services.recovery_codes_replace(user=reader)
    sign_in(client, "leser")
    client.post(reverse("mfa-verify"), {"code": old[0]})
    assert client.post(reverse("mfa-recovery-codes")).status_code == 302
    page = client.get(reverse("mfa-recovery-codes"))
    new = set(StaticToken.objects.filter(device__user=reader).values_list("token", flat=True))
    assert len(new) == services.RECOVERY_CODE_COUNT
    assert all(code in page.text for code in new)
    assert not new & set(old)


def test_wrong_codes_lock_out_that_user_from_that_address(client, reader, settings):
    _device, totp = app_of(reader)
    sign_in(client, "leser")
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert enter(client, f"00000{attempt}").status_code == 422
    locked = enter(client, "999999")
    assert locked.status_code == 429
    assert "For mange mislykkede innlogginger" in locked.text
    assert AccessAttempt.objects.get(username="leser").failures_since_start == (
        settings.AXES_FAILURE_LIMIT
    )
    time.sleep(1.1)
    assert enter(client, totp.now()).status_code == 429  # not even the right code now
    assert client.get(reverse("mfa-verify")).status_code == 429
    assert client.get(HOME).status_code == 302
    # Another address is not locked out.
    other = Client(REMOTE_ADDR="10.0.0.9")
    sign_in(other, "leser")
    assert other.get(reverse("mfa-verify")).status_code == 200


def test_an_unverified_session_cannot_register_a_passkey(client, reader, settings):
    app_of(reader)
    sign_in(client, "leser")
    begin = client.post(reverse("mfa-passkey-register-begin"))
    assert begin.status_code == 302
    assert begin["Location"].startswith(reverse("mfa-verify"))
    # django-otp-webauthn refuses it on its own too, were the middleware not there.
    settings.MIDDLEWARE = [
        m for m in settings.MIDDLEWARE if m != "identity.mfa.middleware.SecondFactorMiddleware"
    ]
    without = Client()  # a client loads the middleware once
    without.cookies = client.cookies
    refused = without.post(reverse("mfa-passkey-register-begin"))
    assert refused.status_code == 403
    assert refused.json()["code"] == "user_not_verified"
    assert "otp_webauthn_register_state" not in client.session


def test_a_signed_in_user_without_a_method_may_start_registering_a_passkey(client, coordinator):
    sign_in(client, "koordinator")
    begin = client.post(reverse("mfa-passkey-register-begin"))
    assert begin.status_code == 200
    assert begin.json()["rp"]["id"] == "localhost"


def test_single_sign_on_sessions_are_not_asked(client, coordinator):
    app_of(coordinator)
    client.force_login(coordinator)
    session = client.session
    session["sso_provider"] = "entra"
    session.save()
    assert client.get(HOME).status_code == 200


def test_a_user_removes_a_method_after_confirming(client, reader):
    device, totp = app_of(reader)
    services.recovery_codes_replace(user=reader)
    sign_in(client, "leser")
    enter(client, totp.now())
    url = reverse("mfa-method-remove", args=["app", device.pk])
    assert client.get(url).status_code == 200
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    assert client.post(url).status_code == 302
    assert not TOTPDevice.objects.filter(user=reader).exists()
    assert not StaticToken.objects.filter(device__user=reader).exists()


def test_the_only_method_of_a_role_that_must_is_kept(client, coordinator):
    device, totp = app_of(coordinator)
    sign_in(client, "koordinator")
    enter(client, totp.now())
    refused = client.post(reverse("mfa-method-remove", args=["app", device.pk]))
    assert refused.status_code == 409
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_nobody_removes_anothers_method(client, reader, directorate_user):
    device, _totp = app_of(directorate_user)
    sign_in(client, "leser")
    assert client.post(reverse("mfa-method-remove", args=["app", device.pk])).status_code == 404
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_an_admin_resets_a_users_methods_kept_in_history(admin_user, coordinator):
    _device, totp = app_of(coordinator)
    services.recovery_codes_replace(user=coordinator)
    theirs = Client()
    sign_in(theirs, "koordinator")
    enter(theirs, totp.now())
    assert theirs.get(HOME).status_code == 200

    client = verified(admin_user)
    url = reverse("user-mfa-reset", args=[coordinator.pk])
    assert (
        reverse("user-mfa-reset", args=[coordinator.pk])
        in client.get(reverse("tiltak:user-update", args=[coordinator.pk])).text
    )
    assert client.get(url).status_code == 200
    assert TOTPDevice.objects.filter(user=coordinator).exists()
    assert client.post(url).status_code == 302

    assert not TOTPDevice.objects.filter(user=coordinator).exists()
    assert not StaticToken.objects.filter(device__user=coordinator).exists()
    row = coordinator.history.latest()
    assert row.history_change_reason == services.RESET_REASON
    assert row.history_user == admin_user
    assert not UserSession.objects.filter(user_id=coordinator.pk).exists()
    assert theirs.get(HOME)["Location"].startswith(reverse("login"))
    # Their role requires it: a new method at the next sign-in.
    sign_in(theirs, "koordinator")
    assert theirs.get(HOME)["Location"].startswith(reverse("mfa-overview"))


def test_only_admins_reset_methods(client, coordinator, reader):
    app_of(reader)
    client.force_login(coordinator)
    session = client.session
    session["sso_provider"] = "entra"
    session.save()
    url = reverse("user-mfa-reset", args=[reader.pk])
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    assert TOTPDevice.objects.filter(user=reader).exists()


def test_without_local_login_no_password_is_tried(client, reader, settings):
    settings.LOCAL_LOGIN = False
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert 'name="password"' not in page.text
    refused = client.post(reverse("login"), {"username": "leser", "password": PASSWORD})
    assert refused.status_code == 403
    assert SESSION_KEY not in client.session
    assert not AccessAttempt.objects.exists()  # not even tried
    # Nor through the admin's sign-in page, nor anything else that checks a password.
    admin = client.post(
        reverse("admin:login"), {"username": "leser", "password": PASSWORD, "next": "/admin/"}
    )
    assert SESSION_KEY not in client.session
    assert admin.status_code == 200
    request = RequestFactory().post("/")
    assert authenticate(request, username="leser", password=PASSWORD) is None
    settings.LOCAL_LOGIN = True
    assert authenticate(request, username="leser", password=PASSWORD) == reader


def started(env, code=""):
    """Django started in a new process with the environment `env` (no .env values beyond it)."""
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env={"DJANGO_SETTINGS_MODULE": "bolig.settings", "PATH": "/usr/bin", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_mfa_required_roles_from_the_environment():
    def roles(env):
        return started(env, "from django.conf import settings; print(settings.MFA_REQUIRED_ROLES)")

    assert roles({}).stdout.strip() == "['coordinator', 'admin']"
    assert roles({"MFA_REQUIRED_ROLES": ""}).stdout.strip() == "[]"
    assert roles({"MFA_REQUIRED_ROLES": "reader"}).stdout.strip() == "['reader']"
    assert "ImproperlyConfigured" in roles({"MFA_REQUIRED_ROLES": "boss"}).stderr


def test_local_login_off_needs_a_single_sign_on_provider():
    result = started({"LOCAL_LOGIN": "0"})
    assert result.returncode != 0
    assert "LOCAL_LOGIN=False needs a single sign-on provider" in result.stderr
