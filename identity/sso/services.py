"""Who a person signing in through an OpenID provider is in the application.

The person is found by the provider's stable subject (ProviderIdentity), never by email. Their
role and directorate come from the id_token's claims at every sign-in and are written through
`tiltak.services.user_provision`, so the user's history records every change. A person whose
claims give no role, a directorate role without a known directorate, a deactivated user and a
role that needs multi-factor authentication without it are refused (`Refused`).
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from identity.models import ProviderIdentity, ProviderSession
from tiltak.models import Actor, UserSession
from tiltak.roles import Role, role_of
from tiltak.services import user_provision

# Which role wins when the claims map to several: the one that may do most.
PRECEDENCE = (Role.ADMIN, Role.COORDINATOR, Role.DIRECTORATE, Role.READER)
ORGNO_TYPE = "ansattporten:orgno"


class Refused(Exception):
    """A sign-in refused: `kind` says which page the person sees ("no_access", "inactive",
    "mfa", "claims"); the message is for the audit log."""

    def __init__(self, kind, message):
        super().__init__(message)
        self.kind = kind


@dataclass
class Person:
    subject: str
    role: Role
    directorate: Actor | None
    first_name: str
    last_name: str
    email: str


def subject_of(provider, claims):
    """The provider's stable subject: the configured claims joined (Entra ID: tid:oid)."""
    parts = [claims.get(name) for name in provider.subject_claims]
    if not all(isinstance(part, str) and part for part in parts):
        raise Refused("claims", f"no subject claims {provider.subject_claims} in the id_token")
    return ":".join(parts)


def role_from_claims(provider, claims):
    """The role the claims map to by OIDC_ROLE_MAP, or None."""
    values = claims.get(provider.role_claim) or []
    if isinstance(values, str):
        values = [values]
    roles = {settings.OIDC_ROLE_MAP.get(str(value)) for value in values}
    return next((role for role in PRECEDENCE if role.value in roles), None)


def orgnos_of(claims):
    """The organisation numbers in Ansattporten's authorization_details ("0192:<orgnr>")."""
    numbers = []
    details = claims.get("authorization_details") or []
    for detail in details if isinstance(details, list) else []:
        if isinstance(detail, dict) and detail.get("type") == ORGNO_TYPE:
            identifier = str((detail.get("orgno") or {}).get("ID", ""))
            match = re.fullmatch(r"0192:(\d{9})", identifier)
            if match:
                numbers.append(match.group(1))
    return numbers


def directorate_from_claims(provider, claims):
    """The directorate named by the directorate claim (short name, name or another name), else
    the one whose organisation number Ansattporten gave, else the provider's own (one Entra
    tenant's, OIDC_<NAME>_DIRECTORATE); None if none is known."""
    directorates = Actor.objects.directorates()
    name = claims.get(settings.OIDC_DIRECTORATE_CLAIM)
    if isinstance(name, str) and name.strip():
        return directorates.resolve(name).first()
    numbers = orgnos_of(claims)
    if numbers:
        return directorates.filter(org_number__in=numbers).first()
    return directorates.resolve(provider.directorate).first() if provider.directorate else None


def person_from_claims(provider, claims):
    """The person the claims describe, or Refused when they give no access."""
    subject = subject_of(provider, claims)
    role = role_from_claims(provider, claims)
    if role is None:
        raise Refused(
            "no_access",
            f"no role in {provider.role_claim}={claims.get(provider.role_claim)!r}",
        )
    directorate = None
    if role == Role.DIRECTORATE:
        directorate = directorate_from_claims(provider, claims)
        if directorate is None:
            raise Refused(
                "no_access",
                f"a directorate role without a known directorate "
                f"({settings.OIDC_DIRECTORATE_CLAIM}={claims.get(settings.OIDC_DIRECTORATE_CLAIM)!r}, "
                f"orgno={orgnos_of(claims)})",
            )
    mfa_roles = getattr(settings, "MFA_REQUIRED_ROLES", ["coordinator", "admin"])
    if role.value in mfa_roles and not provider.shows_mfa(claims):
        raise Refused(
            "mfa",
            f"role {role.value} needs multi-factor authentication; "
            f"acr={claims.get('acr')!r} amr={claims.get('amr')!r}",
        )
    first, last = _names(claims)
    email = claims.get("email") if isinstance(claims.get("email"), str) else ""
    return Person(subject, role, directorate, first, last, email[:254])


def _names(claims):
    given, family = claims.get("given_name"), claims.get("family_name")
    if isinstance(given, str) and isinstance(family, str) and (given or family):
        return given[:150], family[:150]
    name = claims.get("name") if isinstance(claims.get("name"), str) else ""
    first, _sep, last = name.strip().rpartition(" ")
    return (first or last)[:150], (last if first else "")[:150]


def unique_username(person, provider):
    """A readable user name not yet taken: the email address, else the name, else the
    provider's name; -2, -3 … added when taken (it only names the user, never links one)."""
    User = get_user_model()
    base = person.email or slugify(f"{person.first_name} {person.last_name}") or provider.name
    base = base.lower()[:140]
    candidate, n = base, 1
    while User.objects.filter(username=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _differs(user, person):
    return (
        role_of(user) != person.role
        or user.directorate_id != (person.directorate.pk if person.directorate else None)
        or (user.first_name, user.last_name, user.email)
        != (person.first_name, person.last_name, person.email)
    )


@transaction.atomic
def sso_user(*, provider, claims):
    """The user to sign in for these claims: found by the provider's subject or created just
    in time, with role, directorate, names and email set from the claims (through
    `user_provision`, only when something changed, so the history shows real changes).
    Raises Refused when the claims give no access or the user is deactivated."""
    identity = (
        ProviderIdentity.objects.select_related("user")
        .filter(issuer=provider.issuer, subject=subject_of(provider, claims))
        .first()
    )
    if identity is not None and not identity.user.is_active:
        raise Refused("inactive", f"user {identity.user_id} is deactivated")
    person = person_from_claims(provider, claims)
    user = identity.user if identity else None
    if user is None or _differs(user, person):
        directorate = person.directorate
        try:
            user, _created = user_provision(
                username=user.username if user else unique_username(person, provider),
                role=person.role,
                directorate_name=(directorate.short_name or directorate.name)
                if person.role == Role.DIRECTORATE
                else None,
                without_password=True,
                first_name=person.first_name,
                last_name=person.last_name,
                email=person.email,
            )
        except ValidationError as error:
            raise Refused("no_access", " ".join(error.messages)) from None
    if identity is None:
        identity = ProviderIdentity(
            user=user, provider=provider.name, issuer=provider.issuer, subject=person.subject
        )
    identity.last_signed_in_at = timezone.now()
    identity.save()
    return user


def provider_session_record(*, session_key, provider, sid):
    """Remember the provider's session id of our session, for front-channel logout."""
    ProviderSession.objects.update_or_create(
        session_id=session_key, defaults={"issuer": provider.issuer, "sid": sid or ""}
    )


def provider_sessions_end(*, issuer, sid):
    """End every session of ours that the provider's session `sid` signed in; the number."""
    if not (issuer and sid):
        return 0
    sessions = UserSession.objects.filter(
        provider_session__issuer=issuer, provider_session__sid=sid
    )
    _total, by_model = sessions.delete()
    return by_model.get(UserSession._meta.label, 0)
