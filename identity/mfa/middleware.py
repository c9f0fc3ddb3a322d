"""The second step of a local sign-in: until it is done, a session reaches only the pages of
that step (and those open to everyone, sign-out and the session's time)."""

from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

from identity.mfa import services

OPEN = {"logout", "tiltak:session-status", "tiltak:session-extend"}
# The pages of each step. The own page and setting up a method recompute the step on every
# visit, so that a session cannot change methods set up elsewhere without verifying.
VERIFY_PAGES = {"mfa-verify", "mfa-passkey-verify-begin", "mfa-passkey-verify-complete"}
ENROL_PAGES = {
    "mfa-overview",
    "mfa-app-add",
    "mfa-app-qr",
    "mfa-recovery-codes",
    "mfa-passkey-register-begin",
    "mfa-passkey-register-complete",
}


def pending_step(request, *, recheck=False):
    """The step the signed-in local session has left (services.VERIFY or ENROL), or None."""
    if not services.is_local(request):
        return None
    step = None if recheck else request.session.get(services.STEP_KEY)
    if step is None:
        step = services.required_step(request.user)
        request.session[services.STEP_KEY] = step
    if step == services.NONE or request.user.is_verified():
        return None
    return step


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        name = request.resolver_match.view_name
        if name in OPEN or not getattr(view_func, "login_required", True):
            return None
        step = pending_step(request, recheck=name in ENROL_PAGES)
        if step is None or name in (VERIFY_PAGES if step == services.VERIFY else ENROL_PAGES):
            return None
        target = "mfa-verify" if step == services.VERIFY else "mfa-overview"
        return redirect_to_login(request.get_full_path(), reverse(target))
