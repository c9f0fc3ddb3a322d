"""The home page (`/`): for each role, what needs it now."""

from django.shortcuts import render

from bolig.views import read_only, saved_row
from rapportering.rounds import directorate_round_tasks, rounds_progress
from rapportering.selectors import latest_final_reports, plans_health
from tiltak.forms import WorkFilterForm
from tiltak.models import DUE_SOON_DAYS
from tiltak.permissions import home_of
from tiltak.selectors import (
    directorate_work,
    overdue_by_directorate,
    plans_to_close,
    recent_status_changes,
    unexplained_deviations,
)


@read_only
def home(request):
    kind = home_of(request.user)
    if kind == "directorate":
        return _directorate_home(request)
    if kind == "coordination":
        return _coordination_home(request)
    return render(
        request,
        "home/reading.html",
        {"reports": latest_final_reports(), "plans": plans_health()},
    )


def _directorate_home(request):
    """The directorate's figures, its contributions to open rounds, then its work lists."""
    directorate = request.user.directorate
    filters = WorkFilterForm(request.GET)
    work = directorate_work(directorate, request.user, request.GET, **filters.chosen)
    tasks, open_count = directorate_round_tasks(directorate)
    context = {
        "directorate": directorate,
        "due_soon_days": DUE_SOON_DAYS,
        "filters": filters,
        **work,
        "tasks": tasks,
        "open_count": open_count,
        "undelivered": sum(task.expected - task.delivered for task in tasks),
        "saved": saved_row(request),
    }
    return render(request, "home/directorate.html", context)


def _coordination_home(request):
    rounds, open_count = rounds_progress()
    deviations, deviation_count = unexplained_deviations()
    context = {
        "rounds": rounds,
        "open_count": open_count,
        "deviations": deviations,
        "deviation_count": deviation_count,
        "overdue": overdue_by_directorate(),
        "changes": recent_status_changes(),
        "to_close": plans_to_close(),
    }
    return render(request, "home/coordination.html", context)
