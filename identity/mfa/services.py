"""Second factors of local accounts (django-otp): authenticator apps (TOTP), passkeys
(django-otp-webauthn) and one-time recovery codes (django-otp's static tokens).

Who must use one: a local account of a role in settings.MFA_REQUIRED_ROLES, and anyone who has
set one up. A session signed in through single sign-on (`session["sso_provider"]`) is never
asked: the provider vouches for the second factor (identity.sso)."""

from base64 import b32encode

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from tiltak.history import acting_as
from tiltak.models import UserSession

RECOVERY_CODE_COUNT = 10
RESET_REASON = "Tofaktor tilbakestilt"  # the history's change reason for an admin's reset
# The step a signed-in local session has left before it may use the application, decided once
# per sign-in (middleware.SecondFactorMiddleware): VERIFY (give a second factor), ENROL (set
# one up first), or NONE.
STEP_KEY = "mfa_step"
VERIFY, ENROL, NONE = "verify", "enrol", ""


def _methods(user):
    """The querysets of the user's confirmed authenticator apps and passkeys."""
    return [
        model.objects.filter(user=user, confirmed=True).order_by("pk")
        for model in (TOTPDevice, WebAuthnCredential)
    ]


def methods_of(user):
    """The user's confirmed authenticator apps and passkeys, oldest first."""
    apps, passkeys = (list(methods) for methods in _methods(user))
    return apps, passkeys


def has_method(user):
    """Whether the user has set up a second factor (an app or a passkey)."""
    return any(methods.exists() for methods in _methods(user))


def must_use(user):
    """Whether a local sign-in of `user` needs a second factor even without one set up."""
    return user.role in settings.MFA_REQUIRED_ROLES


def required_step(user):
    """VERIFY for a user with a second factor, ENROL for one whose role requires one and who
    has none, else NONE."""
    if has_method(user):
        return VERIFY
    return ENROL if must_use(user) else NONE


def is_local(request):
    """A session signed in with a password, not through single sign-on."""
    return request.user.is_authenticated and "sso_provider" not in request.session


def pending_app(user):
    """The authenticator app being set up: unconfirmed until the user gives a code from it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="Autentiseringsapp", confirmed=False)


def secret_of(device):
    """The app's key in base32, in groups of four, for typing it into the app by hand."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def app_confirm(device, code):
    """Confirm the pending app `device` with a code from it; the user's other pending apps
    go. Returns whether the code was right."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if not device.verify_token(normalise(code)):
            return None
        device.confirmed = True
        device.save()
        TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    return device


def normalise(code):
    """A code as typed: spaces and hyphens dropped, lower case (recovery codes are)."""
    return "".join(code.split()).replace("-", "").lower()


def code_verify(user, code):
    """The app or recovery-code device of `user` that accepts `code`, or None.

    django-otp checks an app's code within its window (OTP_TOTP_TOLERANCE steps either way),
    refuses a code used before, and slows down a device after wrong codes; a recovery code is
    used up. The devices are locked while they are checked, so a code works once."""
    code = normalise(code)
    with transaction.atomic():
        devices = [
            *TOTPDevice.objects.filter(user=user, confirmed=True).select_for_update(),
            *StaticDevice.objects.filter(user=user, confirmed=True).select_for_update(),
        ]
        for device in devices:
            if device.verify_token(code):
                return device
    return None


def has_recovery_codes(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).exists()


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def recovery_codes_replace(*, user):
    """New recovery codes for `user`; the old ones stop working. Returns the codes, which are
    shown once and never again."""
    with transaction.atomic():
        # The device stays (a session verified with one of its codes stays verified).
        device = StaticDevice.objects.filter(user=user).order_by("pk").first()
        if device is None:
            device = StaticDevice.objects.create(user=user, name="Reservekoder", confirmed=True)
        StaticDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def method_remove(*, user, device):
    """Remove one of the user's apps or passkeys; with the last one go the recovery codes."""
    with transaction.atomic():
        device.delete()
        if not has_method(user):
            StaticDevice.objects.filter(user=user).delete()


def removal_refusal(*, user):
    """Why the user may not remove a method (the last one, when the role requires one)."""
    apps, passkeys = methods_of(user)
    if must_use(user) and len(apps) + len(passkeys) <= 1:
        return _(
            "Your role requires two-factor authentication, so you cannot remove your only "
            "method. Add another one first."
        )
    return ""


def user_mfa_reset(*, user, by):
    """Remove every second factor and recovery code of `user` and end their sessions, recorded
    in the user's history as done by `by`. They set up a new one at their next sign-in if
    their role requires it."""
    with acting_as(by), transaction.atomic():
        for model in (TOTPDevice, WebAuthnCredential, StaticDevice):
            model.objects.filter(user=user).delete()
        user._change_reason = RESET_REASON
        user.save()
        UserSession.objects.filter(user_id=user.pk).delete()
    return user
