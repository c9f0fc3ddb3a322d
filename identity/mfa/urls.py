from django.urls import path

from identity.mfa import views

urlpatterns = [
    path("tofaktor/", views.overview, name="mfa-overview"),
    path("tofaktor/bekreft/", views.verify, name="mfa-verify"),
    path("tofaktor/app/", views.app_add, name="mfa-app-add"),
    path("tofaktor/app/qr.svg", views.app_qr, name="mfa-app-qr"),
    path("tofaktor/reservekoder/", views.recovery_codes, name="mfa-recovery-codes"),
    path("tofaktor/<str:kind>/<int:pk>/fjern/", views.method_remove, name="mfa-method-remove"),
    path(
        "tofaktor/passnokkel/ny/start/",
        views.PasskeyRegisterBegin.as_view(),
        name="mfa-passkey-register-begin",
    ),
    path(
        "tofaktor/passnokkel/ny/fullfor/",
        views.PasskeyRegisterComplete.as_view(),
        name="mfa-passkey-register-complete",
    ),
    path(
        "tofaktor/passnokkel/start/",
        views.PasskeyVerifyBegin.as_view(),
        name="mfa-passkey-verify-begin",
    ),
    path(
        "tofaktor/passnokkel/fullfor/",
        views.PasskeyVerifyComplete.as_view(),
        name="mfa-passkey-verify-complete",
    ),
    path("brukere/<int:pk>/tofaktor/", views.user_reset, name="user-mfa-reset"),
]
