from django.urls import path

from identity.sso import directorates, views

urlpatterns = [
    path("sso/<slug:name>/login/", views.sso_login, name="sso-login"),
    path("sso/<slug:name>/callback/", views.sso_callback, name="sso-callback"),
    path(
        "sso/<slug:name>/frontchannel-logout/",
        views.frontchannel_logout,
        name="sso-frontchannel-logout",
    ),
    path("direktorater/", directorates.directorate_list, name="sso-directorates"),
    path(
        "direktorater/<int:pk>/organisasjonsnummer/",
        directorates.directorate_org_number,
        name="sso-directorate-org-number",
    ),
]
