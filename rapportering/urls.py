from django.urls import path

from rapportering import views

urlpatterns = [
    path("oversikt/", views.overview_page, name="overview"),
]
