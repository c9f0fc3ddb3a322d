from django.urls import path

from tiltak import views

urlpatterns = [
    path("", views.home, name="home"),
    path("tilgjengelighet/", views.accessibility_statement, name="accessibility"),
    path("mitt-direktorat/", views.my_directorate, name="my-directorate"),
    path("planer/", views.plan_list, name="plan-list"),
    path("planer/<slug:slug>/", views.plan_detail, name="plan-detail"),
    path("tiltak/", views.measure_list, name="measure-list"),
    path("tiltak/<int:pk>/", views.measure_detail, name="measure-detail"),
    path("forekomster/<int:pk>/status/", views.occurrence_status, name="occurrence-status"),
]
