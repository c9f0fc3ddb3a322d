from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    """Signing in beyond the password form: single sign-on over OpenID Connect
    (identity.sso) and two-factor authentication for local accounts (identity.mfa)."""

    name = "identity"
    verbose_name = _("Sign-in")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from identity.mfa import signals  # noqa: F401 (connects the sign-in receiver)
