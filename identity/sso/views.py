"""Single sign-on over OpenID Connect: to the provider and back, logout, front-channel logout.

Authlib does the protocol (PKCE S256, state, nonce, the token's signature, `iss`, `aud`, expiry);
these views add what it leaves to us: the `iss` of the authorization response (RFC 9207), the
acr allowlist, who the person is (identity.sso.services), and a clear page instead of an error
for anything that goes wrong. Every sign-in and refusal is logged to "bolig.audit".
"""

import json
import re
from urllib.parse import urlsplit

import requests
from authlib.common.errors import AuthlibBaseError
from csp.decorators import csp_replace
from django.conf import settings
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_POST
from joserfc.errors import JoseError

from bolig.audit import audit
from bolig.views import local_path
from identity.sso.clients import MetadataError, client_for, metadata, provider_named
from identity.sso.services import (
    ORGNO_TYPE,
    Refused,
    provider_session_record,
    provider_sessions_end,
    sso_user,
)

# What can go wrong between us and the provider: its answers, the network, the token.
PROVIDER_ERRORS = (
    AuthlibBaseError,
    JoseError,
    MetadataError,
    requests.RequestException,
    ValueError,
    KeyError,
    TypeError,
    RuntimeError,
)
NEXT = "sso_next"
BACKEND = "django.contrib.auth.backends.ModelBackend"

# The page a refused or failed sign-in shows: heading, explanation, status.
PAGES = {
    "no_access": (
        _("You do not have access yet"),
        _(
            "You signed in, but you have not been given a role in Bolig for velferd. "
            "Contact %(contact)s to get access."
        ),
        403,
    ),
    "inactive": (
        _("Your user is deactivated"),
        _("Your user in Bolig for velferd is deactivated. Contact %(contact)s if you need access."),
        403,
    ),
    "mfa": (
        _("Sign in with two-factor authentication"),
        _(
            "Your role requires signing in with two factors (for example a code or an app "
            "besides the password), and %(provider)s did not confirm that you did. Sign in "
            "again with two-factor authentication, or contact %(contact)s."
        ),
        403,
    ),
    "acr": (
        _("The sign-in's security level is not accepted"),
        _(
            "%(provider)s signed you in at a security level this service does not accept. "
            "Sign in again and choose another method, or contact %(contact)s."
        ),
        403,
    ),
    "cancelled": (
        _("The sign-in was cancelled"),
        _("The sign-in at %(provider)s was cancelled or refused (%(error)s)."),
        400,
    ),
    "provider_error": (
        _("The sign-in did not succeed"),
        _("%(provider)s answered with an error (%(error)s). Try again in a little while."),
        400,
    ),
    "failed": (
        _("The sign-in did not succeed"),
        _(
            "We could not complete the sign-in with %(provider)s. Try again; if it keeps "
            "failing, contact %(contact)s."
        ),
        400,
    ),
}


def _refused(request, provider, kind, reason, *, error=""):
    """The page for a refused or failed sign-in; nobody stays signed in after it."""
    audit("sso_sign_in_refused", provider=provider.name, kind=kind, reason=repr(reason))
    if request.user.is_authenticated:
        logout(request)
    heading, text, status = PAGES[kind]
    values = {
        "provider": provider.label or provider.name,
        "contact": settings.OIDC_ACCESS_CONTACT,
        "error": error,
    }
    context = {"heading": heading, "text": text % values, "provider": provider}
    return render(request, "identity/sso/refused.html", context, status=status)


def _provider_get(request, name):
    """The provider `name` for a GET: 404 for any method when there is no such provider (so
    that without providers every SSO address is absent), else 405 for other methods."""
    provider = provider_named(name)
    if request.method not in ("GET", "HEAD"):
        return provider, HttpResponseNotAllowed(["GET", "HEAD"])
    return provider, None


@login_not_required
def sso_login(request, name):
    """To the provider's sign-in, with PKCE, state and nonce (kept in the session by Authlib),
    the acr values and Ansattporten's organisation number asked for where configured.

    A link, not a form: the pages' CSP allows forms to send to this site only (form-action),
    and a form's redirect to the provider would be refused by the browser."""
    provider, refusal = _provider_get(request, name)
    if refusal:
        return refusal
    request.session[NEXT] = local_path(request, request.GET.get("next", ""))
    params = {"ui_locales": request.LANGUAGE_CODE}
    if provider.acr_values:
        params["acr_values"] = " ".join(provider.acr_values)
    if provider.orgno:
        params["authorization_details"] = json.dumps([{"type": ORGNO_TYPE}])
    callback = request.build_absolute_uri(reverse("sso-callback", args=[name]))
    try:
        metadata(provider)
        return client_for(provider).authorize_redirect(request, callback, **params)
    except PROVIDER_ERRORS as error:
        return _refused(request, provider, "failed", f"start: {error!r}")


@login_not_required
def sso_callback(request, name):
    """Back from the provider: check the answer, fetch and check the tokens, find or create the
    user and sign them in."""
    provider, refusal = _provider_get(request, name)
    if refusal:
        return refusal
    error = request.GET.get("error")
    if error:
        code = error if re.fullmatch(r"[a-z_]{1,50}", error) else "?"
        kind = "cancelled" if code in ("access_denied", "login_required") else "provider_error"
        return _refused(request, provider, kind, f"provider error {code}", error=code)
    try:
        document = metadata(provider)
        returned_iss = request.GET.get("iss")
        if returned_iss is not None and returned_iss != document["issuer"]:
            raise ValueError(f"iss {returned_iss!r} in the authorization response")
        if returned_iss is None and document.get("authorization_response_iss_parameter_supported"):
            raise ValueError("no iss in the authorization response (RFC 9207)")
        token = client_for(provider).authorize_access_token(
            request,
            claims_options={
                "iss": {"essential": True, "value": document["issuer"]},
                "aud": {"essential": True, "value": provider.client_id},
            },
        )
        claims = token.get("userinfo")
        if not claims:
            raise ValueError("no id_token in the token response")
    except PROVIDER_ERRORS as failure:
        return _refused(request, provider, "failed", repr(failure))

    if provider.acr_values and claims.get("acr") not in provider.acr_values:
        return _refused(request, provider, "acr", f"acr={claims.get('acr')!r}")
    try:
        user = sso_user(provider=provider, claims=claims)
    except Refused as refusal:
        kind = "failed" if refusal.kind == "claims" else refusal.kind
        return _refused(request, provider, kind, str(refusal))

    next_url = request.session.pop(NEXT, "")
    login(request, user, backend=BACKEND)  # a new session key
    request.session["sso_provider"] = provider.name
    request.session["sso_id_token"] = token["id_token"]
    request.session["sso_acr"] = claims.get("acr", "")
    request.session["sso_amr"] = claims.get("amr") or []
    provider_session_record(
        session_key=request.session.session_key, provider=provider, sid=claims.get("sid")
    )
    audit(
        "sso_sign_in",
        provider=provider.name,
        user_id=user.pk,
        role=user.role and user.role.value,
        acr=claims.get("acr"),
        amr=",".join(claims.get("amr") or []),
    )
    return redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))


@require_POST
def logout_view(request):
    """Sign out here and, after single sign-on, at the provider too (RP-initiated logout),
    which sends the browser back to the sign-in page.

    To the provider by a page that goes on at once (meta refresh), not by a redirect: the
    sign-out button is a form, and the pages' CSP (form-action 'self') would stop a form's
    redirect to another site."""
    provider = settings.OIDC_PROVIDERS_CONFIG.get(request.session.get("sso_provider"))
    id_token = request.session.get("sso_id_token")
    audit("sign_out", user_id=request.user.pk, provider=provider and provider.name)
    logout(request)
    sign_in = resolve_url(settings.LOGOUT_REDIRECT_URL)
    if provider is None:
        return redirect(sign_in)
    try:
        if metadata(provider).get("end_session_endpoint"):
            ending = client_for(provider).create_logout_url(
                post_logout_redirect_uri=request.build_absolute_uri(sign_in),
                id_token_hint=id_token,
                client_id=provider.client_id,
            )
            context = {"url": ending["url"], "provider": provider}
            return render(request, "identity/sso/signing_out.html", context)
    except PROVIDER_ERRORS as error:
        audit("sso_logout_failed", provider=provider.name, reason=repr(error))
    return redirect(sign_in)


def _origins(provider):
    """The provider's addresses a browser sees (the issuer, and where its sign-in and logout
    pages are, e.g. login.ansattporten.no): those may frame the front-channel logout."""
    urls = [provider.issuer]
    try:
        document = metadata(provider)
        urls += [document.get("authorization_endpoint"), document.get("end_session_endpoint")]
    except PROVIDER_ERRORS as error:
        audit("sso_metadata_failed", provider=provider.name, reason=repr(error))
    origins = []
    for url in filter(None, urls):
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in origins:
            origins.append(origin)
    return origins


@xframe_options_exempt
@login_not_required
def frontchannel_logout(request, name):
    """The provider's front-channel logout (OpenID Connect Front-Channel Logout 1.0): every
    session of ours signed in by the provider's session `sid` ends. Loaded in a frame of the
    provider's page, so only the provider may frame it."""
    provider, refusal = _provider_get(request, name)
    if refusal:
        return refusal
    issuer, sid = request.GET.get("iss", ""), request.GET.get("sid", "")
    ended = 0
    if issuer == provider.issuer and sid:
        own = getattr(request.session, "session_key", None)
        ended = provider_sessions_end(issuer=issuer, sid=sid)
        if own and not request.session.exists(own):
            request.session.flush()
    audit("sso_frontchannel_logout", provider=provider.name, sessions_ended=ended)
    framed = csp_replace({"frame-ancestors": _origins(provider)})(render)
    return framed(request, "identity/sso/frontchannel_logout.html")
