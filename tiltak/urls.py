from django.urls import path

from tiltak import views

urlpatterns = [
    path("", views.home, name="home"),
    path("planer/<slug:slug>/", views.plan_detail, name="plan-detail"),
]
