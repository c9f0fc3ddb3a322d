from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from bolig.views import read_only, saved_row
from rapportering.calendar import calendar_bytes
from rapportering.charts import bar_chart
from rapportering.dashboards import overview, per_goal, timeline
from rapportering.forms import CalendarFeedForm, OverviewForm, TimelineForm
from rapportering.models import CalendarFeed
from rapportering.selectors import feed_by_token, newest_plan, user_feeds
from rapportering.tables import csv_response, goal_table, overview_tables, timeline_table
from tiltak.models import Occurrence
from tiltak.permissions import can_read_feed, followable_directorates, updatable


def _chosen(request, form_class=OverviewForm):
    """The plan, year, directorate and date in the address; the newest plan and its current
    year where none (or a year outside the plan) is given."""
    form = form_class(request.GET)
    form.is_valid()  # what is invalid is left out and shown with its error
    chosen = form.cleaned_data
    plan = chosen.get("plan") or newest_plan()
    year = chosen.get("ar")
    if plan is not None:
        if year not in plan.years:
            year = plan.default_year()
        form.show(plan, year)
    return form, plan, year, chosen.get("direktorat"), chosen.get("per")


@read_only
def overview_page(request):
    """The overview of a plan and year, for all directorates or one, now or as of a date."""
    form, plan, year, directorate, as_of = _chosen(request)
    if plan is None:
        return render(request, "rapportering/overview.html", {"form": form, "data": None})
    shown = Occurrence.objects.filter(milestone__measure__plan=plan, year=year)
    data = overview(plan=plan, year=year, directorate=directorate, as_of=as_of)
    if "tabell" in request.GET:
        return _download(request, overview_tables(data), _filename(plan, year, directorate, as_of))
    context = {
        "form": form,
        "data": data,
        "status_chart": bar_chart("status", _("Milestones by status"), data.by_status),
        "assessment_chart": bar_chart(
            "assessment", _("Milestones by assessment"), data.by_assessment
        ),
        "years": plan.years,
        "updatable": set(updatable(request.user, shown, as_of=as_of).values_list("pk", flat=True)),
        "saved": saved_row(request),
    }
    return render(request, "rapportering/overview.html", context)


@read_only
def goal_overview_page(request):
    """The same counts, grouped by the strategy's goals."""
    form, plan, year, _directorate, as_of = _chosen(request)
    rows = per_goal(plan=plan, year=year, as_of=as_of) if plan else []
    if plan and "tabell" in request.GET:
        return _download(request, {"mal": goal_table(rows)}, _filename(plan, year, None, as_of))
    context = {
        "form": form,
        "plan": plan,
        "year": year,
        "as_of": as_of,
        "years": plan.years if plan else [],
        "rows": rows,
    }
    return render(request, "rapportering/goal_overview.html", context)


def _filename(plan, year, directorate, as_of):
    parts = [
        plan.slug,
        str(year),
        directorate.short_name.lower() if directorate else "",
        as_of.isoformat() if as_of else "",
    ]
    return "-".join(part for part in parts if part)


def _download(request, tables, filename):
    """One of the page's tables as CSV, with the page's own filters."""
    name = request.GET["tabell"]
    if name not in tables:
        raise Http404
    return csv_response(tables[name], f"{filename}-{name}.csv")


@read_only
def timeline_page(request):
    """The plan's measures down and quarters across, now or as of a date."""
    form, plan, _year, directorate, as_of = _chosen(request, TimelineForm)
    health = form.cleaned_data.get("helse")
    data = (
        timeline(plan=plan, as_of=as_of, directorate=directorate, health=health) if plan else None
    )
    if data and "tabell" in request.GET:
        return _download(
            request, {"tidslinje": timeline_table(data)}, _filename(plan, "", None, as_of)
        )
    return render(request, "rapportering/timeline.html", {"form": form, "data": data})


@require_http_methods(["GET", "POST"])
def calendar_page(request):
    """The user's calendar addresses: make one for a directorate, or revoke one."""
    directorates = followable_directorates(request.user)
    form = CalendarFeedForm(
        request.POST if request.method == "POST" else None,
        user=request.user,
        directorates=directorates,
    )
    status = 200
    if form.is_bound:
        if form.is_valid():
            if form.cleaned_data["revoke"]:
                form.cleaned_data["revoke"].revoke()
                messages.success(
                    request,
                    _("The address is revoked; calendars that used it get nothing more."),
                )
            else:
                CalendarFeed.objects.create(
                    user=request.user,
                    directorate=form.cleaned_data["directorate"],
                    role=request.user.role,
                )
                messages.success(request, _("A new calendar address is ready."))
            return redirect("rapportering:calendar")
        for error in form.non_field_errors():
            messages.error(request, error)
        status = 404  # no such address or directorate among the user's
    context = {
        "feeds": user_feeds(request.user),
        "directorates": directorates,
        "site_url": request.build_absolute_uri("/")[:-1],
    }
    return render(request, "rapportering/calendar.html", context, status=status)


@login_not_required
@read_only
def calendar_feed(request, token):
    """The feed behind a secret address; 404 once it is revoked, and once its owner has lost
    the right to it (deactivated, or another role or directorate)."""
    feed = feed_by_token(token)
    if not can_read_feed(feed):
        raise Http404
    body = calendar_bytes(feed, request.build_absolute_uri("/")[:-1])
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")
