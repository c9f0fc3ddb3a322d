from copy import copy
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from bolig.views import local_path, read_only, saved_row
from tiltak import accessibility
from tiltak.filters import SEARCH_WORDS, MeasureFilter
from tiltak.forms import OccurrenceStatusForm, PlanCloseForm
from tiltak.models import DUE_SOON_DAYS, Measure, Occurrence, Plan
from tiltak.permissions import (
    can_close_plans,
    can_edit_plans,
    refuse_if_closed,
    require,
    updatable,
)
from tiltak.selectors import (
    changes_since,
    directorate_work,
    measure_for_page,
    measures_page,
    occurrence_for_form,
    plan_open_occurrences,
    plan_outline,
    plans_with_counts,
    status_history,
)
from tiltak.services import (
    StatusConflict,
    occurrence_update_status,
    plan_close,
    plan_close_refusal,
)


@login_not_required
@read_only
def accessibility_statement(request):
    context = {
        "made": accessibility.MADE,
        "reviewed": accessibility.REVIEWED,
        "not_met": accessibility.NOT_MET,
        "supervisor_url": accessibility.SUPERVISOR_URL,
        "contact": settings.ACCESSIBILITY_CONTACT,
    }
    return render(request, "tiltak/accessibility.html", context)


@login_not_required
@read_only
def health(request):
    """For load balancers and monitoring: 200 "ok" when the database answers, else 503. The
    benchmark uses it as the trivial page that every other page is compared with."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


@login_not_required
@read_only
def readiness(request):
    """For the platform's readiness probe: 200 "ready" when the database answers and its
    schema has every migration of this release applied (deploy/release has run), else 503
    saying which. An instance that is not ready gets no requests; `/helse/` (liveness) stays
    200 meanwhile, so that the platform does not restart it for waiting on the release."""
    try:
        executor = MigrationExecutor(connection)
        unapplied = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    if unapplied:
        return HttpResponse(
            f"{len(unapplied)} migration(s) not applied: run deploy/release",
            status=503,
            content_type="text/plain",
        )
    return HttpResponse("ready", content_type="text/plain")


@read_only
def plan_list(request):
    plans = list(plans_with_counts())
    return render(
        request,
        "tiltak/home.html",
        {
            "plans": [p for p in plans if not p.is_closed],
            "closed_plans": [p for p in plans if p.is_closed],
        },
    )


@read_only
def my_directorate(request):
    """What the user's directorate must follow up first, then all its measures."""
    directorate = request.user.directorate
    if directorate is None:
        return render(request, "tiltak/my_directorate.html", {"directorate": None})
    context = {
        "directorate": directorate,
        "due_soon_days": DUE_SOON_DAYS,
        **directorate_work(directorate, request.user, request.GET, with_measures=True),
        "saved": saved_row(request),
    }
    return render(request, "tiltak/my_directorate.html", context)


@read_only
def plan_detail(request, slug):
    plan = get_object_or_404(Plan, slug=slug)
    # A closed plan is read-only: its page offers no editing.
    can_edit = can_edit_plans(request.user) and not plan.is_closed
    editing = _editing(request, can_edit)
    context = {
        "plan": plan,
        "parts": plan_outline(plan),
        "editing": editing,
        "edit_actions": _edit_actions(
            can_edit,
            editing,
            plan.get_absolute_url(),
            edit=(_("Edit plan"), reverse("tiltak:plan-update", args=[plan.slug])),
            adds=[
                (_("New part"), reverse("tiltak:part-create", args=[plan.slug])),
                (_("New measure"), reverse("tiltak:measure-create", args=[plan.slug])),
            ],
            items=(_("Edit or delete parts"), _("Hide the parts' editing")),
            delete=(_("Delete plan"), reverse("tiltak:plan-delete", args=[plan.slug])),
        ),
        "can_close": can_close_plans(request.user) and not plan_close_refusal(plan),
    }
    return render(request, "tiltak/plan_detail.html", context)


def _editing(request, can_edit):
    """Whether the page shows the edit and delete links of each of its items: only on asking
    (`?rediger=1`), so that the page reads as content, its editing grouped above it."""
    return can_edit and request.GET.get("rediger") == "1"


@dataclass
class EditAction:
    """One action of a page's editing toolbar (tiltak/includes/edit_toolbar.html)."""

    label: str
    url: str
    kind: str = "button"  # or "link", or "delete"


def _edit_actions(can_edit, editing, page_url, *, edit, adds, items, delete):
    """The toolbar of a page that edits one thing: `edit` and `delete` it, the (label, url) of
    `adds`, and `items` (the labels that show and hide its items' editing)."""
    if not can_edit:
        return []
    show, hide = items
    return [
        EditAction(*edit),
        *(EditAction(label, url) for label, url in adds),
        EditAction(hide, page_url, "link") if editing else EditAction(show, "?rediger=1", "link"),
        EditAction(*delete, "delete"),
    ]


@require_http_methods(["GET", "POST"])
def plan_close_view(request, slug):
    """Close a plan: a final status with its reason for each open occurrence, then closed."""
    require(can_close_plans(request.user))
    plan = get_object_or_404(Plan, slug=slug)
    refusal = plan_close_refusal(plan)
    occurrences = list(plan_open_occurrences(plan)) if not refusal else []
    form = PlanCloseForm(request.POST or None, plan=plan, occurrences=occurrences)
    status = 409 if refusal else 200
    if request.method == "POST" and not refusal:
        if form.is_valid():
            try:
                plan_close(plan=plan, user=request.user, final_statuses=form.final_statuses())
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The plan is closed."))
                return redirect(plan)
        status = 422
    context = {"plan": plan, "form": form, "refusal": refusal}
    return render(request, "tiltak/plan_close.html", context, status=status)


@read_only
def measure_list(request):
    filters = MeasureFilter(request.GET, queryset=Measure.objects.all())
    page = measures_page(filters.qs, request.GET.get("side"))
    context = {"filters": filters, "page": page, "search_words": SEARCH_WORDS}
    return render(request, "tiltak/measure_list.html", context)


@read_only
def measure_detail(request, pk):
    measure = measure_for_page(pk)
    shown = Occurrence.objects.filter(milestone__measure=measure)
    can_edit = can_edit_plans(request.user) and not measure.plan.is_closed
    editing = _editing(request, can_edit)
    context = {
        "measure": measure,
        "editing": editing,
        "edit_actions": _edit_actions(
            can_edit,
            editing,
            measure.get_absolute_url(),
            edit=(_("Edit measure"), reverse("tiltak:measure-update", args=[measure.pk])),
            adds=[
                (
                    _("Add responsibility"),
                    reverse("tiltak:responsibility-create", args=[measure.pk]),
                ),
                (_("New milestone"), reverse("tiltak:milestone-create", args=[measure.pk])),
            ],
            items=(
                _("Edit or delete responsibilities and milestones"),
                _("Hide the editing of responsibilities and milestones"),
            ),
            delete=(_("Delete measure"), reverse("tiltak:measure-delete", args=[measure.pk])),
        ),
        "updatable": set(updatable(request.user, shown).values_list("pk", flat=True)),
        "history": status_history(measure),
        "saved": saved_row(request),
    }
    return render(request, "tiltak/measure_detail.html", context)


@require_http_methods(["GET", "POST"])
def occurrence_status(request, pk):
    """The status form of one occurrence: a page of its own, or a fragment for htmx."""
    occurrence = occurrence_for_form(pk)
    refuse_if_closed(occurrence.milestone.measure.plan)
    require(updatable(request.user, Occurrence.objects.filter(pk=occurrence.pk)).exists())
    form = OccurrenceStatusForm(request.POST or None, instance=occurrence)
    context = {"occurrence": occurrence, "form": form, "next": next_url(request)}
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
            context = {
                **_conflict_context(request, conflict.current, version),
                "next": context["next"],
            }
            status = 409
        else:
            messages.success(request, _("The status is saved."))
            return _back(request, occurrence, context["next"])
    elif form.is_bound:
        status = 422
    # In place (htmx), the form names the milestone it edits; its own page has a heading.
    in_place = is_htmx(request)
    template = "tiltak/includes/status_form.html" if in_place else "tiltak/occurrence_status.html"
    return render(request, template, {**context, "in_place": in_place}, status=status)


def _conflict_context(request, current, version):
    """Someone saved first: what they changed, and the user's own values ready to apply again."""
    theirs = changes_since(current, version)
    data = request.POST.copy()
    data["version"] = current.version
    # A bound form writes its values onto its instance when validated: give it a copy.
    form = OccurrenceStatusForm(data, instance=copy(current))
    return {"occurrence": current, "form": form, "conflict": True, "theirs": theirs}


def next_url(request):
    """Where to return after saving, when the form was opened from a list (`neste`): a path on
    this site, nothing else."""
    return local_path(request, request.POST.get("neste") or request.GET.get("neste") or "")


def _back(request, occurrence, next_url):
    """To the list the form was opened from (with its page numbers and filters), or the
    measure's page, at the saved row, or at the place `next_url` names (a to-do list the row
    leaves once saved). The `lagret` query marks that row and makes this a new page load even
    from the same page."""
    address, _sep, fragment = next_url.partition("#")
    path, _sep, query = (address or occurrence.milestone.measure.get_absolute_url()).partition("?")
    params = QueryDict(query, mutable=True)
    params["lagret"] = occurrence.pk
    url = f"{path}?{params.urlencode()}#{fragment or f'occurrence-{occurrence.pk}'}"
    if is_htmx(request):
        return HttpResponse(status=204, headers={"HX-Redirect": url})
    return redirect(url)


def is_htmx(request):
    return request.headers.get("HX-Request") == "true"
