from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tiltak.models import UserSession


class ProviderIdentity(models.Model):
    """A user's identity at an OpenID provider: the provider's stable subject for the person
    (Entra ID: tenant and object id; Ansattporten: `sub`), never the email address, which
    people change and providers do not guarantee to be theirs."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="provider_identities",
        verbose_name=_("user"),
    )
    provider = models.CharField(_("provider"), max_length=50)
    issuer = models.URLField(_("issuer"), max_length=300)
    subject = models.CharField(_("subject"), max_length=255)
    created_at = models.DateTimeField(_("first signed in"), auto_now_add=True)
    last_signed_in_at = models.DateTimeField(_("last signed in"), null=True, blank=True)

    class Meta:
        verbose_name = _("identity at a provider")
        verbose_name_plural = _("identities at providers")
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "subject"],
                name="one_user_per_provider_subject",
                violation_error_message=_("This identity at the provider is another user's."),
            )
        ]

    def __str__(self):
        return f"{self.provider}: {self.subject}"


class ProviderSession(models.Model):
    """Our session of a single sign-on, with the provider's session id (`sid`), so that the
    provider's front-channel logout ends it. It goes with the session: signing out, expiry
    (clearsessions) and deactivation delete both."""

    session = models.OneToOneField(
        UserSession, models.CASCADE, primary_key=True, related_name="provider_session"
    )
    issuer = models.URLField(_("issuer"), max_length=300)
    sid = models.CharField(_("provider's session id"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("single sign-on session")
        verbose_name_plural = _("single sign-on sessions")
        indexes = [models.Index(fields=["issuer", "sid"], name="provider_session_sid")]

    def __str__(self):
        return f"{self.issuer} {self.sid}"
