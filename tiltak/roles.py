"""The four roles. A user's role is the auth group of the same name."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    DIRECTORATE = "directorate", _("Directorate user")
    READER = "reader", _("Reader")
    ADMIN = "admin", _("Administrator")


def role_of(user):
    """The user's role, or None for a user with no role (who may only sign in)."""
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return Role.ADMIN
    names = {group.name for group in user.groups.all()}
    for role in Role:
        if role.value in names:
            return role
    return None
