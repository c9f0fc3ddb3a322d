from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, reverse_lazy
from django.views.i18n import set_language

from bolig.signin import PasswordChange, SignInView
from identity.sso import views as sso_views
from rapportering.home import home
from tiltak.forms import StyledPasswordChangeForm

urlpatterns = [
    path("", home, name="home"),
    path("", include("tiltak.urls")),
    path("", include("rapportering.urls")),
    path("login/", SignInView.as_view(), name="login"),
    path("", include("identity.sso.urls")),
    path("", include("identity.mfa.urls")),
    path("logout/", sso_views.logout_view, name="logout"),  # and at the provider, after SSO
    path(
        "passord/",
        PasswordChange.as_view(
            form_class=StyledPasswordChangeForm,
            template_name="registration/change_password.html",
            success_url=reverse_lazy("password-changed"),
        ),
        name="password-change",
    ),
    path(
        "passord/endret/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="registration/password_changed.html"
        ),
        name="password-changed",
    ),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
]
