from django.urls import path

from tiltak import views

urlpatterns = [
    path("", views.home, name="home"),
    path("planer/<slug:slug>/", views.plan_detail, name="plan-detail"),
    path("tiltak/<int:pk>/", views.measure_detail, name="measure-detail"),
    path("forekomster/<int:pk>/status/", views.occurrence_status, name="occurrence-status"),
]
