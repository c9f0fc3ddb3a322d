"""Pages of two-factor authentication: the second step after the password, one's own page of
methods (authenticator apps, passkeys, recovery codes), and an administrator's reset of a
user's methods. The passkey ceremonies are django-otp-webauthn's JSON views, extended below."""

import json
from io import BytesIO

import segno
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn import views as webauthn
from django_otp_webauthn.models import WebAuthnCredential

from bolig.signin import locked_out
from bolig.views import local_path
from identity.mfa import services
from identity.mfa.forms import AppCodeForm, CodeForm
from identity.mfa.middleware import pending_step
from tiltak.history import SYSTEM_USERNAME
from tiltak.permissions import can_reset_mfa, require

NEW_CODES_KEY = "mfa_new_recovery_codes"  # shown once, on the next visit to their page


def _next(request):
    """Where the user was going: a path on this site, else the home page."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    return local_path(request, url) or resolve_url(settings.LOGIN_REDIRECT_URL)


def _verified(request, device):
    """The session has its second factor: remember the device, and a new session key."""
    otp_login(request, device)
    request.session.cycle_key()


def _credentials(request):
    return {"username": request.user.get_username()}


@require_http_methods(["GET", "POST"])
def verify(request):
    """The second step: a code from the app or a recovery code, or a passkey. A wrong code
    counts as a failed sign-in with django-axes, which locks out that user name and address
    after AXES_FAILURE_LIMIT of them."""
    if pending_step(request) != services.VERIFY:
        return redirect(_next(request))
    if AxesProxyHandler.is_locked(request, credentials=_credentials(request)):
        return locked_out(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.code_verify(request.user, form.cleaned_data["code"])
        if device is not None:
            _verified(request, device)
            return redirect(_next(request))
        user_login_failed.send(sender=__name__, credentials=_credentials(request), request=request)
        if getattr(request, "axes_locked_out", False):
            return locked_out(request)
        form.add_error("code", _("The code is wrong, or it has been used already."))
    apps, passkeys = services.methods_of(request.user)
    next_path = _next(request)
    context = {
        "form": form,
        "next": next_path,
        "has_app": bool(apps),
        "has_passkey": bool(passkeys),
        "passkey_complete_url": reverse("mfa-passkey-verify-complete")
        + "?"
        + urlencode({"next": next_path}),
    }
    status = 422 if form.errors else 200
    return render(request, "identity/mfa/verify.html", context, status=status)


@require_http_methods(["GET"])
def overview(request):
    """One's own page: the methods, adding and removing them, the recovery codes."""
    if not services.is_local(request):
        raise PermissionDenied(_("Your employer's sign-in takes care of the second factor."))
    apps, passkeys = services.methods_of(request.user)
    context = {
        "apps": apps,
        "passkeys": passkeys,
        "must_enrol": not (apps or passkeys) and services.must_use(request.user),
        "next": _next(request),
        "codes_left": services.recovery_codes_left(request.user),
    }
    return render(request, "identity/mfa/overview.html", context)


@require_http_methods(["GET", "POST"])
def app_add(request):
    """Set up an authenticator app: its QR code and key, then a code from it to confirm."""
    if not services.is_local(request):
        raise PermissionDenied
    device = services.pending_app(request.user)
    form = AppCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        confirmed = services.app_confirm(device, form.cleaned_data["code"])
        if confirmed is not None:
            was_verified = request.user.is_verified()
            if not was_verified:
                _verified(request, confirmed)
            messages.success(request, _("The authenticator app is set up."))
            return redirect(_after_enrolment(request))
        form.add_error(
            "code",
            _(
                "The code is wrong. Check the time on your phone, and give the code the app shows now."
            ),
        )
    context = {"form": form, "secret": services.secret_of(device), "next": _next(request)}
    status = 422 if form.errors else 200
    return render(request, "identity/mfa/app_add.html", context, status=status)


@require_http_methods(["GET"])
def app_qr(request):
    """The QR code of the app being set up, as SVG (an image of this site: no inline data)."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).order_by("pk").first()
    if device is None or not services.is_local(request):
        raise Http404
    buffer = BytesIO()
    segno.make(device.config_url, error="m").save(buffer, kind="svg", scale=5, border=4)
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


def _after_enrolment(request):
    """After a first method: new recovery codes, shown once; else back where the user was."""
    if not services.has_recovery_codes(request.user):
        request.session[NEW_CODES_KEY] = services.recovery_codes_replace(user=request.user)
        return reverse("mfa-recovery-codes") + "?" + urlencode({"next": _next(request)})
    return (
        _next(request)
        if request.GET.get("next") or request.POST.get("next")
        else reverse("mfa-overview")
    )


@require_http_methods(["GET", "POST"])
def recovery_codes(request):
    """New recovery codes are shown here once; a POST makes new ones (the old stop working)."""
    if not services.is_local(request) or not services.has_method(request.user):
        return redirect("mfa-overview")
    if request.method == "POST":
        request.session[NEW_CODES_KEY] = services.recovery_codes_replace(user=request.user)
        return redirect("mfa-recovery-codes")
    context = {
        "codes": request.session.pop(NEW_CODES_KEY, None),
        "codes_left": services.recovery_codes_left(request.user),
        "next": _next(request) if request.GET.get("next") else reverse("mfa-overview"),
    }
    return render(request, "identity/mfa/recovery_codes.html", context)


KINDS = {"app": TOTPDevice, "passkey": WebAuthnCredential}


@require_http_methods(["GET", "POST"])
def method_remove(request, kind, pk):
    """A page that asks before removing one of one's own methods, and on POST removes it."""
    if kind not in KINDS or not services.is_local(request):
        raise Http404
    device = get_object_or_404(KINDS[kind], pk=pk, user=request.user, confirmed=True)
    refusal = services.removal_refusal(user=request.user)
    if request.method == "POST" and not refusal:
        services.method_remove(user=request.user, device=device)
        messages.success(request, _("The method is removed."))
        return redirect("mfa-overview")
    context = {"device": device, "kind": kind, "refusal": refusal}
    return render(
        request,
        "identity/mfa/method_remove.html",
        context,
        status=409 if refusal and request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def user_reset(request, pk):
    """An administrator removes every method of a user (a lost phone): a page that says what
    it does, and on POST does it."""
    require(can_reset_mfa(request.user))
    person = get_object_or_404(get_user_model().objects.exclude(username=SYSTEM_USERNAME), pk=pk)
    if request.method == "POST":
        services.user_mfa_reset(user=person, by=request.user)
        messages.success(
            request, _("The two-factor methods of %(name)s are removed.") % {"name": person}
        )
        return redirect("tiltak:user-update", pk=person.pk)
    apps, passkeys = services.methods_of(person)
    context = {
        "person": person,
        "count": len(apps) + len(passkeys),
        "must_use": services.must_use(person),
    }
    return render(request, "identity/mfa/user_reset.html", context)


# Passkeys: django-otp-webauthn's JSON views. A passkey is a second factor after the password
# (OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN is off); a passkey that verifies the session gives it a
# new key, and the browser is told where to go next.


class PasskeyRegisterBegin(webauthn.BeginCredentialRegistrationView):
    pass


class PasskeyRegisterComplete(webauthn.CompleteCredentialRegistrationView):
    def post(self, request, *args, **kwargs):
        was_verified = request.user.is_verified()
        response = super().post(request, *args, **kwargs)
        if not was_verified:
            request.session.cycle_key()
        messages.success(request, _("The passkey is added."))
        data = json.loads(response.content)
        return JsonResponse({**data, "redirect_url": _after_enrolment(request)})


class PasskeyVerifyBegin(webauthn.BeginCredentialAuthenticationView):
    pass


class PasskeyVerifyComplete(webauthn.CompleteCredentialAuthenticationView):
    def complete_auth(self, device):
        super().complete_auth(device)
        self.request.session.cycle_key()

    def get_success_url(self):
        return _next(self.request)
