"""View helpers shared by the apps."""

from django.db import transaction
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_safe


def read_only(view):
    """A page or download that only reads: GET and HEAD only, and no transaction around it.

    Every other request is one transaction (ATOMIC_REQUESTS), and on SQLite a transaction
    takes the database's one write lock when it begins (transaction_mode IMMEDIATE in the
    settings), so that simultaneous saves wait for each other instead of failing. A view that
    writes nothing needs no transaction; outside one it reads beside a writer (WAL) instead of
    waiting for it: pages while others save, a download while a report is being finalised.
    """
    return require_safe(transaction.non_atomic_requests(view))


def saved_row(request):
    """The occurrence a list marks as just saved: the key in `?lagret=`, or None."""
    try:
        return int(request.GET.get("lagret", ""))
    except ValueError:
        return None


def local_path(request, url):
    """`url` if it is a path on this site (where to go back or on to), else ""."""
    safe = url.startswith("/") and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if safe else ""
