"""Personal calendar feeds of a directorate's milestones."""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tiltak.history import historical_records
from tiltak.models import Actor


def new_token():
    return secrets.token_urlsafe(32)


class CalendarFeedQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class CalendarFeed(models.Model):
    """A secret address at which a calendar program (Outlook) reads a directorate's
    milestones. Whoever knows the address can read the feed, so it can be revoked."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="calendar_feeds",
        verbose_name=_("user"),
    )
    directorate = models.ForeignKey(
        Actor,
        models.CASCADE,
        related_name="+",
        limit_choices_to={"kind": Actor.Kind.DIRECTORATE},
        verbose_name=_("directorate"),
    )
    token = models.CharField(
        _("secret"), max_length=64, unique=True, default=new_token, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    history = historical_records(excluded_fields=["token"])
    objects = CalendarFeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.user} – {self.directorate}"

    def get_absolute_url(self):
        return reverse("calendar-feed", args=[self.token])

    def revoke(self):
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])
