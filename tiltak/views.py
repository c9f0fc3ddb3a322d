from django.shortcuts import get_object_or_404, render

from tiltak.models import Plan
from tiltak.selectors import plan_outline, plans_with_counts


def home(request):
    return render(request, "tiltak/home.html", {"plans": plans_with_counts()})


def plan_detail(request, slug):
    plan = get_object_or_404(Plan, slug=slug)
    return render(request, "tiltak/plan_detail.html", {"plan": plan, "parts": plan_outline(plan)})
