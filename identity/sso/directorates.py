"""The directorates' organisation numbers, for administrators (`can_manage_users`): a sign-in
through Ansattporten that names an organisation number belongs to the directorate with it."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from bolig.views import read_only
from identity.sso.forms import OrgNumberForm
from tiltak.models import Actor
from tiltak.permissions import can_manage_users, require


@read_only
def directorate_list(request):
    require(can_manage_users(request.user))
    directorates = Actor.objects.directorates().order_by("name")
    return render(request, "identity/sso/directorates.html", {"directorates": directorates})


@require_http_methods(["GET", "POST"])
def directorate_org_number(request, pk):
    require(can_manage_users(request.user))
    directorate = get_object_or_404(Actor.objects.directorates(), pk=pk)
    form = OrgNumberForm(request.POST or None, instance=directorate)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("Saved: %(name)s") % {"name": directorate})
            return redirect("sso-directorates")
        status = 422
    else:
        status = 200
    context = {"form": form, "directorate": directorate}
    return render(request, "identity/sso/directorate_form.html", context, status=status)
