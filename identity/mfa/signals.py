"""At every local sign-in: the step it has left (identity.mfa.middleware)."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django_otp import DEVICE_ID_SESSION_KEY

from identity.mfa import services


@receiver(user_logged_in, dispatch_uid="identity.mfa.signed_in")
def signed_in(sender, request, user, **kwargs):
    """Every sign-in decides its step (so that pages ask nothing more of the database) and
    starts unverified (Django keeps the session's data when the same user signs in again)."""
    if request is not None and getattr(user, "otp_device", None) is None:
        request.session[services.STEP_KEY] = services.required_step(user)
        request.session.pop(DEVICE_ID_SESSION_KEY, None)
