"""How long a sign-in lasts (WCAG 2.2.1 Timing adjustable, ASVS V7.3 session timeout).

A session ends SESSION_IDLE_TIMEOUT seconds after its last request, and SESSION_ABSOLUTE_TIMEOUT
seconds after signing in whatever happens; the server enforces both (SessionTimeMiddleware), the
page only warns (static/js/app.js, templates/includes/session_warning.html). The page learns the
time left from the server: from the dialog's data attributes, and before warning from
`session_status`, which does not count as activity; `session_extend` is the warning's one action.

A form sent after the session ended is not lost: its fields (not passwords or the CSRF token) are
kept in the new, anonymous session on the server, bound to the user whose session ended, and after
that user signs in again the page the form was on is shown with them filled in and a notice that
nothing is saved yet (tiltak/form_refill.py). Never saved for them: the user has not seen the
form since, someone may have changed the record meanwhile, and the form may delete or finalise.
"""

import time
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bolig.views import read_only
from tiltak.form_refill import refill

SIGNED_IN_AT = "_signed_in_at"
LAST_SEEN = "_last_seen"
# In the new, anonymous session once a session has ended: whose it was, and the form it kept.
ENDED_FOR = "_session_ended_for"
KEPT = "_kept_form"
NEVER_KEPT = {"csrfmiddlewaretoken"}


def remaining(session, now=None):
    """Seconds left until the session ends for want of activity, and until its maximum."""
    now = time.time() if now is None else now
    idle = settings.SESSION_IDLE_TIMEOUT - (now - session.get(LAST_SEEN, now))
    absolute = settings.SESSION_ABSOLUTE_TIMEOUT - (now - session.get(SIGNED_IN_AT, now))
    return idle, absolute


def timing(session):
    """What the page needs to warn in time: seconds left, and how long before to warn."""
    idle, absolute = remaining(session)
    return {
        "idle": max(int(idle), 0),
        "absolute": max(int(absolute), 0),
        "warning": settings.SESSION_WARNING_BEFORE,
    }


def touch(session, *, force=False):
    """A request of the user: the idle time starts again. Written at most once a minute (less
    with short timeouts), so that pages do not write the session at every request; the time
    the page is told is the stored one, so it is never later than the server's."""
    now = time.time()
    every = min(60, settings.SESSION_IDLE_TIMEOUT / 30)
    if force or now - session.get(LAST_SEEN, 0) >= every:
        session[LAST_SEEN] = now
        session.setdefault(SIGNED_IN_AT, now)


def signed_in(sender, request, user, **kwargs):
    """`user_logged_in`: both clocks start; a form kept for someone else is dropped."""
    session = request.session
    now = time.time()
    session[SIGNED_IN_AT] = session[LAST_SEEN] = now
    session.pop(ENDED_FOR, None)
    kept = session.get(KEPT)
    if kept and kept["user"] != session.get(SESSION_KEY):
        del session[KEPT]


def session_passive(view):
    """A view whose requests do not count as activity (the page asking how long is left)."""
    view.session_passive = True
    return view


class SessionTimeMiddleware:
    """Signs out a session past either limit, keeps a form sent after that, counts every other
    request as activity, and fills the kept form in again after signing in.

    After AuthenticationMiddleware and before LoginRequiredMiddleware: it must sign out before
    the latter sends the user to sign in, and keep the form before it is lost."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        user_id = session.get(SESSION_KEY)
        if user_id is not None:
            idle, absolute = remaining(session)
            if min(idle, absolute) <= 0:
                logout(request)
                session[ENDED_FOR] = user_id
                request.session_ended = "absolute" if absolute <= 0 else "idle"
        response = self.get_response(request)
        kept = getattr(request, "refilling", None)
        if kept is not None:
            notice = render_to_string("includes/form_refilled.html", request=request)
            refill(response, request.path, kept["action"], kept["data"], notice)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        session = request.session
        ended = getattr(request, "session_ended", None)
        if ended == "idle":
            messages.warning(request, _("You were signed out because you were inactive too long."))
        elif ended == "absolute":
            messages.warning(
                request, _("You were signed out because the session reached its maximum length.")
            )
        if SESSION_KEY in session:
            if not getattr(view_func, "session_passive", False):
                touch(session)
            if KEPT in session and request.method == "GET" and not _is_htmx(request):
                kept = session.pop(KEPT)
                if kept["user"] == session[SESSION_KEY] and kept["next"] == request.get_full_path():
                    request.refilling = kept
            return None
        ended_for = session.get(ENDED_FOR)
        if (
            ended_for is not None
            and request.method == "POST"
            and getattr(view_func, "login_required", True)
        ):
            return _keep(request, ended_for)
        return None


def _keep(request, user_id):
    """Keep the form's fields for `user_id` and send them to sign in, back to the form's page.
    The CSRF check has passed (CsrfViewMiddleware comes first), so a forged form is not kept."""
    data = {
        name: values
        for name, values in request.POST.lists()
        if name not in NEVER_KEPT and "password" not in name.lower()
    }
    next_url = _form_page(request)
    if data:
        request.session[KEPT] = {
            "user": user_id,
            "action": request.path,
            "next": next_url,
            "data": data,
        }
        messages.info(
            request,
            _(
                "What you typed has been kept, not saved. Sign in again to get the form back "
                "filled in."
            ),
        )
    if _is_htmx(request):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = redirect_to_login(next_url)["Location"]
        return response
    return redirect_to_login(next_url)


def _form_page(request):
    """The page the form was sent from (this site's Referer), where it is filled in again; the
    form's own address for a form opened in place (htmx), which shows it alone."""
    referer = urlsplit(request.headers.get("Referer", ""))
    if not _is_htmx(request) and referer.netloc == request.get_host() and referer.path:
        return referer.path + (f"?{referer.query}" if referer.query else "")
    return request.get_full_path()


def _is_htmx(request):
    return request.headers.get("HX-Request") == "true"


@session_passive
@read_only
def session_status(request):
    """How long the session has left, without extending it: asked before warning, so that a
    request in another tab is seen."""
    return JsonResponse(timing(request.session))


@transaction.non_atomic_requests
@require_POST
def session_extend(request):
    """ "Stay signed in": the idle time starts again (up to the maximum)."""
    touch(request.session, force=True)
    return JsonResponse(timing(request.session))
