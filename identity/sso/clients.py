"""Authlib's Django client for each configured provider, and the provider's metadata.

One client per provider configuration, kept between requests with the provider's discovery
document and keys; the document is fetched again after METADATA_MAX_AGE (Digdir asks for about
a day), and the keys whenever a token names a key not yet known (Authlib does that).
"""

import time

from authlib.integrations.django_client import OAuth
from django.conf import settings
from django.http import Http404

METADATA_MAX_AGE = 24 * 60 * 60
TIMEOUT = 10  # seconds for each request to the provider

_clients = {}


class MetadataError(Exception):
    """The provider's discovery document does not describe the configured issuer."""


def provider_named(name):
    """The configured provider `name`, or 404: with no provider, no SSO address answers."""
    provider = settings.OIDC_PROVIDERS_CONFIG.get(name)
    if provider is None:
        raise Http404
    return provider


def client_for(provider):
    """Authlib's client for `provider`: PKCE with S256, nonce and state (Authlib's own), the
    configured client authentication, a timeout on every request."""
    client = _clients.get(provider)
    loaded_at = client.server_metadata.get("_loaded_at") if client else None
    if client is None or (loaded_at and time.time() - loaded_at > METADATA_MAX_AGE):
        oauth = OAuth()
        client = oauth.register(
            name=provider.name,
            client_id=provider.client_id,
            client_secret=provider.client_secret,
            server_metadata_url=provider.metadata_url,
            client_kwargs={
                "scope": provider.scopes,
                "code_challenge_method": "S256",
                "token_endpoint_auth_method": provider.token_auth_method,
                "default_timeout": TIMEOUT,
            },
        )
        _clients[provider] = client
    return client


def metadata(provider):
    """The provider's discovery document, checked to be the configured issuer's own (OpenID
    Connect Discovery 1.0, section 4.3)."""
    document = client_for(provider).load_server_metadata()
    if document.get("issuer") != provider.issuer:
        _clients.pop(provider, None)
        raise MetadataError(
            f"the discovery document names issuer {document.get('issuer')!r}, "
            f"not {provider.issuer!r}"
        )
    return document
