from django.conf import settings


def sso(request):
    """The configured OpenID providers, for the sign-in page's buttons."""
    return {"sso_providers": list(settings.OIDC_PROVIDERS_CONFIG.values())}
