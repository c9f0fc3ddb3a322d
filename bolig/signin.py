"""The sign-in form and pages, and the answer to a sign-in refused by django-axes (see AXES_*
in settings)."""

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView, PasswordChangeView
from django.core.exceptions import PermissionDenied
from django.core.validators import MaxLengthValidator
from django.shortcuts import render


class SignInForm(AuthenticationForm):
    """Django's sign-in form, refusing a user name longer than any user's before trying it.

    Django's form only tells the browser the limit; django-axes then records the failed
    sign-in's user name, which PostgreSQL refuses beyond its column (a 500)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))


class Unprocessable:
    """A form that comes back with its errors answers 422, like every other form of the
    application."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 422
        return response


class SignInView(Unprocessable, LoginView):
    """Django's sign-in page with our form; a refused sign-in answers 422. With
    LOCAL_LOGIN=False the page offers single sign-on only and refuses the password form
    (403) without trying it."""

    authentication_form = SignInForm

    def post(self, request, *args, **kwargs):
        if not settings.LOCAL_LOGIN:
            context = self.get_context_data(form=None)
            return self.render_to_response(context, status=403)
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "local_login": settings.LOCAL_LOGIN}


class LocalLoginSwitch:
    """With LOCAL_LOGIN=False no password is accepted anywhere (the admin's sign-in page
    too): raising PermissionDenied stops Django's authenticate() before the password check.
    It signs no one in, so it has no get_user (force_login and sessions skip it)."""

    def authenticate(self, request, password=None, **credentials):
        if password is not None and not settings.LOCAL_LOGIN:
            raise PermissionDenied
        return None


class PasswordChange(Unprocessable, PasswordChangeView):
    """Django's page to change one's password; a refused change answers 422."""


def locked_out(request, original_response=None, credentials=None):
    """429 with a page that says what happened, for how long, and that others are unaffected."""
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "registration/locked_out.html", context, status=429)
