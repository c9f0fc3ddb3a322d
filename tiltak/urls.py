from django.urls import path

from tiltak import editing, session_time, user_admin, views

app_name = "tiltak"

urlpatterns = [
    path("tilgjengelighet/", views.accessibility_statement, name="accessibility"),
    path("helse/", views.health, name="health"),
    path("klar/", views.readiness, name="readiness"),
    path("okt/", session_time.session_status, name="session-status"),
    path("okt/forleng/", session_time.session_extend, name="session-extend"),
    path("mitt-direktorat/", views.my_directorate, name="my-directorate"),
    path("planer/", views.plan_list, name="plan-list"),
    path("planer/ny/", editing.PlanCreate.as_view(), name="plan-create"),
    path("planer/<slug:slug>/", views.plan_detail, name="plan-detail"),
    path("planer/<slug:slug>/endre/", editing.PlanUpdate.as_view(), name="plan-update"),
    path("planer/<slug:slug>/avslutt/", views.plan_close_view, name="plan-close"),
    path("planer/<slug:slug>/slett/", editing.PlanDelete.as_view(), name="plan-delete"),
    path("planer/<slug:slug>/deler/ny/", editing.PartCreate.as_view(), name="part-create"),
    path("planer/<slug:slug>/tiltak/ny/", editing.MeasureCreate.as_view(), name="measure-create"),
    path("deler/<int:pk>/endre/", editing.PartUpdate.as_view(), name="part-update"),
    path("deler/<int:pk>/slett/", editing.PartDelete.as_view(), name="part-delete"),
    path("tiltak/", views.measure_list, name="measure-list"),
    path("tiltak/<int:pk>/", views.measure_detail, name="measure-detail"),
    path("tiltak/<int:pk>/endre/", editing.MeasureUpdate.as_view(), name="measure-update"),
    path("tiltak/<int:pk>/slett/", editing.MeasureDelete.as_view(), name="measure-delete"),
    path(
        "tiltak/<int:pk>/ansvar/ny/",
        editing.ResponsibilityCreate.as_view(),
        name="responsibility-create",
    ),
    path(
        "tiltak/<int:pk>/milepaeler/ny/", editing.MilestoneCreate.as_view(), name="milestone-create"
    ),
    path(
        "ansvar/<int:pk>/endre/",
        editing.ResponsibilityUpdate.as_view(),
        name="responsibility-update",
    ),
    path(
        "ansvar/<int:pk>/slett/",
        editing.ResponsibilityDelete.as_view(),
        name="responsibility-delete",
    ),
    path("milepaeler/<int:pk>/endre/", editing.MilestoneUpdate.as_view(), name="milestone-update"),
    path("milepaeler/<int:pk>/slett/", editing.MilestoneDelete.as_view(), name="milestone-delete"),
    path("brukere/", user_admin.user_list, name="user-list"),
    path("brukere/ny/", user_admin.user_create, name="user-create"),
    path("brukere/<int:pk>/endre/", user_admin.user_update, name="user-update"),
    path("brukere/<int:pk>/deaktiver/", user_admin.user_deactivate_view, name="user-deactivate"),
    path("brukere/<int:pk>/aktiver/", user_admin.user_reactivate_view, name="user-reactivate"),
    path("forekomster/<int:pk>/status/", views.occurrence_status, name="occurrence-status"),
]
