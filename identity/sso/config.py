"""The OpenID providers, read from the environment when the settings load (no models here).

One provider by `OIDC_ISSUER`, `OIDC_CLIENT_ID`, … (named "default"), and any number more by
`OIDC_PROVIDERS=entra,ansattporten` with `OIDC_ENTRA_ISSUER`, `OIDC_ENTRA_CLIENT_ID`, … The
suffixes are the same for both (see SUFFIXES). README: "Single sign-on".
"""

import os
import re
from dataclasses import dataclass
from fnmatch import fnmatchcase
from ipaddress import ip_address
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

# The suffix of every variable of a provider (OIDC_<suffix> or OIDC_<NAME>_<suffix>).
SUFFIXES = (
    "ISSUER",
    "CLIENT_ID",
    "CLIENT_SECRET",
    "SCOPES",
    "ACR_VALUES",
    "LABEL",
    "SUBJECT_CLAIMS",
    "ROLE_CLAIM",
    "ORGNO",
    "TOKEN_AUTH_METHOD",
    "MFA_ACR",
    "MFA_AMR",
    "MFA_ASSURED",
    "DIRECTORATE",
)
REQUIRED = ("ISSUER", "CLIENT_ID", "CLIENT_SECRET")
TOKEN_AUTH_METHODS = ("client_secret_basic", "client_secret_post")
DEFAULT_ROLE_MAP = (
    "Bolig.Koordinator=coordinator,Bolig.Direktorat=directorate,Bolig.Leser=reader,"
    "Bolig.Admin=admin"
)
ROLES = ("coordinator", "directorate", "reader", "admin")  # tiltak.roles.Role, without Django
DEFAULT_MFA_ACR = "idporten-loa-substantial,idporten-loa-high"
DEFAULT_MFA_AMR = "mfa,*_mfa"
SINGLE = "default"  # the name of the provider of the OIDC_* variables without a name


@dataclass(frozen=True)
class Provider:
    """One OpenID provider, as configured. Frozen, so that it keys the cache of clients."""

    name: str
    issuer: str
    client_id: str
    client_secret: str
    scopes: str = "openid profile email"
    acr_values: tuple = ()  # requested, and the only acr accepted in the id_token (if any)
    label: str = ""
    subject_claims: tuple = ("sub",)  # Entra ID: ("tid", "oid")
    role_claim: str = "roles"
    orgno: bool = False  # ask Ansattporten for the organisation number (authorization_details)
    token_auth_method: str = "client_secret_basic"
    mfa_acr: tuple = ()  # acr values that mean multi-factor authentication
    mfa_amr: tuple = ()  # amr values (patterns, `*_mfa`) that mean multi-factor authentication
    mfa_assured: bool = False  # the provider enforces MFA for this application (e.g. Entra CA)
    directorate: str = ""  # the directorate of everyone signing in here (one Entra tenant's)

    def shows_mfa(self, claims):
        """Whether the id_token's acr or amr says the person signed in with more than one
        factor (or the provider is configured to enforce it for this application)."""
        if self.mfa_assured or claims.get("acr") in self.mfa_acr:
            return True
        amr = claims.get("amr") or []
        if isinstance(amr, str):
            amr = [amr]
        return any(fnmatchcase(str(value), pattern) for value in amr for pattern in self.mfa_amr)

    @property
    def metadata_url(self):
        return f"{self.issuer.rstrip('/')}/.well-known/openid-configuration"


def _list(value):
    return tuple(item.strip() for item in value.split(",") if item.strip())


def _bool(name, value):
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("", "0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def _is_loopback(host):
    if host == "localhost":
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


def _provider(environ, name, prefix, *, production):
    values = {suffix: environ.get(f"{prefix}{suffix}", "").strip() for suffix in SUFFIXES}
    missing = [f"{prefix}{suffix}" for suffix in REQUIRED if not values[suffix]]
    if missing:
        raise ImproperlyConfigured(
            f"The OpenID provider {name!r} is half configured: {', '.join(missing)} missing."
        )
    issuer = values["ISSUER"]
    parts = urlsplit(issuer)
    if parts.scheme != "https" and not (
        not production and parts.scheme == "http" and _is_loopback(parts.hostname or "")
    ):
        raise ImproperlyConfigured(
            f"{prefix}ISSUER must be an https:// address (http:// only on this machine, "
            f"outside production): {issuer!r}."
        )
    method = values["TOKEN_AUTH_METHOD"] or "client_secret_basic"
    if method not in TOKEN_AUTH_METHODS:
        raise ImproperlyConfigured(
            f"{prefix}TOKEN_AUTH_METHOD must be one of {', '.join(TOKEN_AUTH_METHODS)}."
        )
    scopes = values["SCOPES"] or "openid profile email"
    if "openid" not in scopes.split():
        raise ImproperlyConfigured(f"{prefix}SCOPES must include openid.")
    return Provider(
        name=name,
        issuer=issuer,
        client_id=values["CLIENT_ID"],
        client_secret=values["CLIENT_SECRET"],
        scopes=scopes,
        acr_values=tuple(values["ACR_VALUES"].split()),
        label=values["LABEL"],
        subject_claims=_list(values["SUBJECT_CLAIMS"]) or ("sub",),
        role_claim=values["ROLE_CLAIM"] or "roles",
        orgno=_bool(f"{prefix}ORGNO", values["ORGNO"]),
        token_auth_method=method,
        mfa_acr=_list(values["MFA_ACR"] or DEFAULT_MFA_ACR),
        mfa_amr=_list(values["MFA_AMR"] or DEFAULT_MFA_AMR),
        mfa_assured=_bool(f"{prefix}MFA_ASSURED", values["MFA_ASSURED"]),
        directorate=values["DIRECTORATE"],
    )


def providers_from_env(environ=os.environ, *, production):
    """The configured providers by name (in the order of OIDC_PROVIDERS, the single one
    first); empty when none is. A provider with some but not all of its required variables
    refuses to start. http:// issuers on loopback (the local test provider) are allowed
    outside production only, and then Authlib is told to accept plain http."""
    providers = {}
    if any(environ.get(f"OIDC_{suffix}", "").strip() for suffix in REQUIRED):
        providers[SINGLE] = _provider(environ, SINGLE, "OIDC_", production=production)
    for name in _list(environ.get("OIDC_PROVIDERS", "")):
        name = name.lower()
        if not re.fullmatch(r"[a-z][a-z0-9]{0,29}", name) or name == SINGLE or name in providers:
            raise ImproperlyConfigured(
                f"OIDC_PROVIDERS: {name!r} is not a usable name (letters and digits, unique)."
            )
        providers[name] = _provider(environ, name, f"OIDC_{name.upper()}_", production=production)
    if any(urlsplit(p.issuer).scheme == "http" for p in providers.values()):
        os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"
    return providers


def role_map_from_env(environ=os.environ):
    """OIDC_ROLE_MAP as {claim value: role value}."""
    mapping = {}
    for pair in _list(environ.get("OIDC_ROLE_MAP", "") or DEFAULT_ROLE_MAP):
        claim, sep, role = pair.rpartition("=")
        if not sep or not claim.strip() or role.strip() not in ROLES:
            raise ImproperlyConfigured(
                f"OIDC_ROLE_MAP: {pair!r} should be <claim value>=<{'|'.join(ROLES)}>."
            )
        mapping[claim.strip()] = role.strip()
    return mapping
