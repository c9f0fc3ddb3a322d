"""Audit events as structured log lines (logger `bolig.audit`): who did what, by ids, for the
security team's central logging. Sign-ins, failed sign-ins and lock-outs come from Django's and
django-axes' signals (connected in tiltak.apps); status changes, finalised reports and role
changes from the services that make them, once their transaction is committed.

The events: sign_in, sign_in_failed, lockout, status_changed, report_finalised, role_changed;
and single sign-on's own (identity.sso.views): sso_sign_in, sso_sign_in_refused, sign_out,
sso_frontchannel_logout, sso_logout_failed, sso_metadata_failed."""

import logging
from functools import partial

from django.contrib.auth import get_user_model
from django.db import transaction

logger = logging.getLogger("bolig.audit")


def audit(event, **fields):
    """Log `event` with `fields` (ids and codes, never names, passwords or tokens)."""
    details = " ".join(f"{key}={value}" for key, value in fields.items())
    logger.info("%s %s", event, details, extra={"event": event, **fields})


def audit_on_commit(event, **fields):
    """`audit` once the current transaction is committed: a change rolled back is no event."""
    transaction.on_commit(partial(audit, event, **fields))


def signed_in(sender, request, user, **kwargs):
    audit("sign_in", user_id=user.pk)


def sign_in_failed(sender, credentials, request=None, **kwargs):
    audit("sign_in_failed", user_id=_user_id(credentials.get("username")))


def locked_out(sender, request, username, ip_address, **kwargs):
    audit("lockout", user_id=_user_id(username))


def _user_id(username):
    """The id of the user named `username`, or None: the log keeps no names, and an attempt
    at a user name that does not exist says so by None."""
    if not username:
        return None
    return get_user_model().objects.filter(username=username).values_list("pk", flat=True).first()
