from copy import copy

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from tiltak.forms import OccurrenceStatusForm
from tiltak.models import Occurrence, Plan
from tiltak.permissions import can_update_status, require
from tiltak.selectors import (
    changes_since,
    measure_for_page,
    plan_outline,
    plans_with_counts,
    status_history,
)
from tiltak.services import StatusConflict, occurrence_update_status


def home(request):
    return render(request, "tiltak/home.html", {"plans": plans_with_counts()})


def plan_detail(request, slug):
    plan = get_object_or_404(Plan, slug=slug)
    return render(request, "tiltak/plan_detail.html", {"plan": plan, "parts": plan_outline(plan)})


def measure_detail(request, pk):
    measure = measure_for_page(pk)
    updatable = set(
        Occurrence.objects.updatable_by(request.user)
        .filter(milestone__measure=measure)
        .values_list("pk", flat=True)
    )
    context = {
        "measure": measure,
        "updatable": updatable,
        "history": status_history(measure),
        "saved": request.GET.get("lagret", ""),
    }
    return render(request, "tiltak/measure_detail.html", context)


def occurrence_status(request, pk):
    """The status form of one occurrence: a page of its own, or a fragment for htmx."""
    occurrence = get_object_or_404(
        Occurrence.objects.select_related("milestone__measure__plan", "milestone__responsible"),
        pk=pk,
    )
    require(can_update_status(request.user, occurrence))
    form = OccurrenceStatusForm(request.POST or None, instance=occurrence)
    context = {"occurrence": occurrence, "form": form}
    status = 200
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data["version"]
        try:
            occurrence_update_status(
                occurrence_id=occurrence.pk,
                user=request.user,
                expected_version=version,
                values=form.cleaned_data,
            )
        except StatusConflict as conflict:
            context = _conflict_context(request, conflict.current, version)
            status = 409
        else:
            messages.success(request, _("The status is saved."))
            return _back_to_measure(request, occurrence)
    elif form.is_bound:
        status = 422
    template = (
        "tiltak/includes/status_form.html" if is_htmx(request) else "tiltak/occurrence_status.html"
    )
    return render(request, template, context, status=status)


def _conflict_context(request, current, version):
    """Someone saved first: what they changed, and the user's own values ready to apply again."""
    theirs = changes_since(current, version)
    data = request.POST.copy()
    data["version"] = current.version
    # A bound form writes its values onto its instance when validated: give it a copy.
    form = OccurrenceStatusForm(data, instance=copy(current))
    return {"occurrence": current, "form": form, "conflict": True, "theirs": theirs}


def _back_to_measure(request, occurrence):
    # The query makes this a new page load even from the measure page itself, and marks the row.
    url = f"{occurrence.milestone.measure.get_absolute_url()}?lagret={occurrence.pk}#occurrence-{occurrence.pk}"
    if is_htmx(request):
        return HttpResponse(status=204, headers={"HX-Redirect": url})
    return redirect(url)


def is_htmx(request):
    return request.headers.get("HX-Request") == "true"
