from django.shortcuts import render
from django.views.decorators.http import require_safe

from rapportering.dashboards import default_year, overview
from rapportering.forms import OverviewForm
from tiltak.models import Occurrence, Plan


@require_safe
def overview_page(request):
    """The overview of a plan and year; without a choice, the newest plan and its current year."""
    form = OverviewForm(request.GET)
    chosen = form.cleaned_data if form.is_valid() else {}
    plan = chosen.get("plan") or Plan.objects.order_by("-start").first()
    if plan is None:
        return render(request, "rapportering/overview.html", {"form": form, "data": None})
    year = chosen.get("ar")
    if year not in plan.years:
        year = default_year(plan)
    updatable = Occurrence.objects.updatable_by(request.user).filter(
        milestone__measure__plan=plan, year=year
    )
    context = {
        "form": form,
        "data": overview(plan=plan, year=year),
        "years": plan.years,
        "updatable": set(updatable.values_list("pk", flat=True)),
        "saved": request.GET.get("lagret", ""),
    }
    return render(request, "rapportering/overview.html", context)
