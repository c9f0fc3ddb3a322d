from django.shortcuts import redirect


def home(request):
    return redirect("login")


def plan_detail(request, slug):
    return redirect("login")
