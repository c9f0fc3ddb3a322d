from django.urls import path

from rapportering import report_views, views

app_name = "rapportering"

urlpatterns = [
    path("oversikt/", views.overview_page, name="overview"),
    path("oversikt/mal/", views.goal_overview_page, name="goal-overview"),
    path("oversikt/tidslinje/", views.timeline_page, name="timeline"),
    path("kalender/", views.calendar_page, name="calendar"),
    path("kalender/<slug:token>.ics", views.calendar_feed, name="calendar-feed"),
    path("rapport/", report_views.round_list, name="report-rounds"),
    path("rapport/ny/", report_views.round_create, name="report-round-create"),
    path("rapport/<int:pk>/", report_views.round_detail, name="report-round"),
    path("rapport/<int:pk>/bidrag/", report_views.contribution_list, name="report-contributions"),
    path(
        "rapport/<int:pk>/bidrag/<int:measure_pk>/<int:directorate_pk>/",
        report_views.contribution_edit,
        name="contribution",
    ),
    path(
        "rapport/<int:pk>/bidrag/<int:measure_pk>/<int:directorate_pk>/returner/",
        report_views.contribution_return_view,
        name="contribution-return",
    ),
    path("rapport/<int:pk>/paminnelse/", report_views.round_remind, name="report-remind"),
    path("rapport/<int:pk>/sammenstilling/", report_views.round_compile, name="report-compile"),
    path("rapport/<int:pk>/forhandsvisning/", report_views.round_preview, name="report-preview"),
    path("rapport/<int:pk>/ferdigstill/", report_views.round_finalise, name="report-finalise"),
    path("rapport/<int:pk>/rettelse/", report_views.round_correct, name="report-correct"),
    path(
        "rapport/<int:pk>/utkast.<slug:format>", report_views.round_download, name="report-download"
    ),
    path("rapport/versjon/<int:pk>/", report_views.final_report, name="final-report"),
    path(
        "rapport/versjon/<int:pk>/utsendelse/",
        report_views.final_report_dispatch,
        name="final-report-dispatch",
    ),
    path(
        "rapport/versjon/<int:pk>/fil.<slug:format>",
        report_views.final_report_file,
        name="final-report-file",
    ),
]
