"""Who a change is recorded against in the history.

A request records its signed-in user (simple-history's middleware). Code that runs
outside a request (imports, management commands, start-up data) says who acts with
`acting_as(user)`; where nobody does, the named system user is recorded, so that no
history row is ever without a user.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.contrib.auth import get_user_model
from simple_history.models import HistoricalRecords

SYSTEM_USERNAME = "system"

_acting_user = ContextVar("acting_user", default=None)


def system_user():
    """The user recorded for changes that no person makes. It cannot sign in."""
    user, created = get_user_model().objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"first_name": "System", "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


@contextmanager
def acting_as(user):
    token = _acting_user.set(user)
    try:
        yield user
    finally:
        _acting_user.reset(token)


def _history_user(instance, request=None, **kwargs):
    if request is not None:
        return request.user
    return _acting_user.get() or system_user()


def historical_records(**options):
    """HistoricalRecords that always record a user (see the module docstring)."""
    return HistoricalRecords(get_user=_history_user, **options)
