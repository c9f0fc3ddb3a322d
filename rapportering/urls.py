from django.urls import path

from rapportering import views

urlpatterns = [
    path("oversikt/", views.overview_page, name="overview"),
    path("oversikt/mal/", views.goal_overview_page, name="goal-overview"),
    path("oversikt/tidslinje/", views.timeline_page, name="timeline"),
]
