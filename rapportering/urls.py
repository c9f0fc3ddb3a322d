from django.urls import path

from rapportering import views

urlpatterns = [
    path("oversikt/", views.overview_page, name="overview"),
    path("oversikt/mal/", views.goal_overview_page, name="goal-overview"),
    path("oversikt/tidslinje/", views.timeline_page, name="timeline"),
    path("kalender/", views.calendar_page, name="calendar"),
    path("kalender/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
]
