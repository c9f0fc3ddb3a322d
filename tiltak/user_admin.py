"""User administration in the application, for administrators (`can_manage_users`): the
list of users by role and directorate, creating a user, changing one, and deactivating and
reactivating. Every write goes through `tiltak.services`, so the history records the admin.
The Django admin stays for the rest."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from bolig.views import read_only
from tiltak.forms import UserFilterForm, UserForm
from tiltak.history import SYSTEM_USERNAME
from tiltak.permissions import can_manage_users, require
from tiltak.roles import Role
from tiltak.selectors import users_for_admin
from tiltak.services import deactivation_refusal, user_deactivate, user_provision, user_reactivate
from tiltak.views import next_url


@read_only
def user_list(request):
    require(can_manage_users(request.user))
    filters = UserFilterForm(request.GET)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    users = users_for_admin(role=chosen.get("rolle") or None, directorate=chosen.get("direktorat"))
    context = {"filters": filters, "users": users, "here": request.get_full_path()}
    return render(request, "tiltak/user_list.html", context)


@require_http_methods(["GET", "POST"])
def user_create(request):
    require(can_manage_users(request.user))
    form = UserForm(request.POST or None)
    return _save(request, form, heading=_("New user"))


@require_http_methods(["GET", "POST"])
def user_update(request, pk):
    require(can_manage_users(request.user))
    user = _person(pk)
    form = UserForm(request.POST or None, user=user)
    return _save(request, form, heading=_("Change user"), user=user)


@require_http_methods(["GET", "POST"])
def user_deactivate_view(request, pk):
    """A page that says what deactivating does, and on POST does it."""
    require(can_manage_users(request.user))
    user = _person(pk)
    context = {"person": user, "back_url": _back_url(request), "next": next_url(request)}
    if request.method == "POST":
        try:
            user_deactivate(user=user, by=request.user)
        except ValidationError as error:
            context["refusal"] = " ".join(error.messages)
            return render(request, "tiltak/user_deactivate.html", context, status=409)
        messages.success(request, _("%(name)s is deactivated.") % {"name": user})
        return redirect(context["back_url"])
    context["refusal"] = deactivation_refusal(user=user, by=request.user)
    context["feed_count"] = user.calendar_feeds.active().count()
    return render(request, "tiltak/user_deactivate.html", context)


@require_http_methods(["POST"])
def user_reactivate_view(request, pk):
    require(can_manage_users(request.user))
    user = _person(pk)
    user_reactivate(user=user, by=request.user)
    messages.success(request, _("%(name)s can sign in again.") % {"name": user})
    return redirect(_back_url(request))


def _person(pk):
    """A user who signs in; the system user is no one to administer."""
    return get_object_or_404(get_user_model().objects.exclude(username=SYSTEM_USERNAME), pk=pk)


def _back_url(request):
    """Back to the list as it was (its filters), when the page was opened from it."""
    return next_url(request) or reverse("tiltak:user-list")


def _save(request, form, *, heading, user=None):
    context = {
        "form": form,
        "heading": heading,
        "person": user,
        "back_url": _back_url(request),
        "next": next_url(request),
    }
    if request.method != "POST":
        return render(request, "tiltak/user_form.html", context)
    if form.is_valid():
        values = form.cleaned_data
        directorate = values["directorate"]
        try:
            saved, _created = user_provision(
                username=user.username if user else values["username"],
                role=Role(values["role"]),
                directorate_name=directorate.short_name if directorate else None,
                password=values["password"] or None,
                without_password=True,
                first_name=values["first_name"],
                last_name=values["last_name"],
                email=values["email"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved: %(name)s") % {"name": saved})
            return redirect(context["back_url"])
    return render(request, "tiltak/user_form.html", context, status=422)
