"""Editing plans in the browser: plans, parts, measures, responsibilities and milestones.

Only editors (tiltak.permissions.can_edit_plans) reach these views; everyone else gets 403.
Every save and delete is kept in the history with the signed-in user. Deleting asks for
confirmation first, and says how much reported status goes with it.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Max, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import CreateView, DeleteView, UpdateView

from tiltak.forms import MeasureForm, MilestoneForm, PartForm, PlanForm, ResponsibilityForm
from tiltak.models import Measure, Milestone, Occurrence, Part, Plan, Responsibility
from tiltak.permissions import can_edit_plans, refuse_if_closed, require
from tiltak.services import milestone_save


def next_position(queryset):
    return (queryset.aggregate(last=Max("position"))["last"] or 0) + 1


class EditorRequired:
    """Editors only, and never in a closed plan: `plan_key` is the lookup from Plan to the
    address's key (`slug`, or a pk such as `parts__pk`), None for a new plan."""

    template_name = "tiltak/edit_form.html"
    heading = ""
    plan_key = None

    def dispatch(self, request, *args, **kwargs):
        require(can_edit_plans(request.user))
        if self.plan_key:
            key = kwargs["slug"] if self.plan_key == "slug" else kwargs["pk"]
            plan = Plan.objects.filter(**{self.plan_key: key}).first()
            if plan:
                refuse_if_closed(plan)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=self.heading, back_url=self.get_success_url(), **kwargs
        )


class Saving(EditorRequired):
    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Saved."))
        return response

    def form_invalid(self, form):
        """The form again with its errors, as 422 like every other form of the application."""
        response = super().form_invalid(form)
        response.status_code = 422
        return response


class Deletion(EditorRequired):
    template_name = "tiltak/confirm_delete.html"

    def affected_occurrences(self):
        return Occurrence.objects.none()

    def refusal(self):
        """Why the object may not be deleted, or "" when it may."""
        return ""

    def get_context_data(self, **kwargs):
        affected = self.affected_occurrences()
        return super().get_context_data(
            occurrence_count=affected.count(),
            reported_count=affected.filter(updated_at__isnull=False).count(),
            refusal=self.refusal(),
            **kwargs,
        )

    def form_valid(self, form):
        if self.refusal():
            return self.render_to_response(self.get_context_data(), status=409)
        messages.success(self.request, _("Deleted: %(name)s") % {"name": self.object})
        return super().form_valid(form)


# Plans


class PlanCreate(Saving, CreateView):
    model = Plan
    form_class = PlanForm
    heading = gettext_lazy("New plan")

    def get_success_url(self):
        return self.object.get_absolute_url() if self.object else reverse("tiltak:plan-list")


class PlanUpdate(Saving, UpdateView):
    plan_key = "slug"
    model = Plan
    form_class = PlanForm
    heading = gettext_lazy("Edit plan")

    def get_success_url(self):
        return self.object.get_absolute_url()


class PlanDelete(Deletion, DeleteView):
    plan_key = "slug"
    model = Plan
    heading = gettext_lazy("Delete plan")

    def affected_occurrences(self):
        return Occurrence.objects.filter(milestone__measure__plan=self.object)

    def refusal(self):
        """A plan with report rounds stays. A finalised round is a record of what was sent to
        the ministries; an open one holds the directorates' contributions, which deleting the
        plan would throw away. A round opened by mistake, with no finalised version, can be
        deleted in the admin first."""
        years = list(self.object.report_rounds.order_by("year").values_list("year", flat=True))
        if not years:
            return ""
        return _(
            "The plan cannot be deleted: it has report rounds (%(years)s). Report rounds are "
            "records of the yearly reports to the ministries and are not deleted with a plan."
        ) % {"years": ", ".join(map(str, years))}

    def get_success_url(self):
        return reverse("tiltak:plan-list")


# Parts


class PartCreate(Saving, CreateView):
    plan_key = "slug"
    model = Part
    form_class = PartForm
    heading = gettext_lazy("New part")

    def get_form_kwargs(self):
        plan = get_object_or_404(Plan, slug=self.kwargs["slug"])
        return {
            **super().get_form_kwargs(),
            "instance": Part(plan=plan, position=next_position(plan.parts)),
        }

    def get_success_url(self):
        return reverse("tiltak:plan-detail", args=[self.kwargs["slug"]])


class PartUpdate(Saving, UpdateView):
    plan_key = "parts__pk"
    model = Part
    form_class = PartForm
    heading = gettext_lazy("Edit part")

    def get_success_url(self):
        return self.object.plan.get_absolute_url()


class PartDelete(Deletion, DeleteView):
    plan_key = "parts__pk"
    model = Part
    heading = gettext_lazy("Delete part")

    def affected_occurrences(self):
        return Occurrence.objects.filter(milestone__measure__part=self.object)

    def get_success_url(self):
        return self.object.plan.get_absolute_url()


# Measures


class MeasureCreate(Saving, CreateView):
    plan_key = "slug"
    model = Measure
    form_class = MeasureForm
    heading = gettext_lazy("New measure")

    def get_form_kwargs(self):
        plan = get_object_or_404(Plan, slug=self.kwargs["slug"])
        measure = Measure(plan=plan, position=next_position(plan.measures))
        return {**super().get_form_kwargs(), "instance": measure}

    def get_success_url(self):
        return (
            self.object.get_absolute_url()
            if self.object
            else reverse("tiltak:plan-detail", args=[self.kwargs["slug"]])
        )


class MeasureUpdate(Saving, UpdateView):
    plan_key = "measures__pk"
    model = Measure
    form_class = MeasureForm
    heading = gettext_lazy("Edit measure")

    def get_success_url(self):
        return self.object.get_absolute_url()


class MeasureDelete(Deletion, DeleteView):
    plan_key = "measures__pk"
    model = Measure
    heading = gettext_lazy("Delete measure")

    def affected_occurrences(self):
        return Occurrence.objects.filter(
            Q(milestone__measure=self.object) | Q(milestone__measure__parent=self.object)
        )

    def get_success_url(self):
        return self.object.plan.get_absolute_url()


# Responsibilities


class ResponsibilityCreate(Saving, CreateView):
    plan_key = "measures__pk"
    model = Responsibility
    form_class = ResponsibilityForm
    heading = gettext_lazy("New responsibility")

    def get_form_kwargs(self):
        measure = get_object_or_404(Measure, pk=self.kwargs["pk"])
        responsibility = Responsibility(
            measure=measure, position=next_position(measure.responsibilities)
        )
        return {**super().get_form_kwargs(), "instance": responsibility}

    def get_success_url(self):
        return reverse("tiltak:measure-detail", args=[self.kwargs["pk"]])


class ResponsibilityUpdate(Saving, UpdateView):
    plan_key = "measures__responsibilities__pk"
    model = Responsibility
    form_class = ResponsibilityForm
    heading = gettext_lazy("Edit responsibility")

    def get_success_url(self):
        return self.object.measure.get_absolute_url()


class ResponsibilityDelete(Deletion, DeleteView):
    plan_key = "measures__responsibilities__pk"
    model = Responsibility
    heading = gettext_lazy("Delete responsibility")

    def get_success_url(self):
        return self.object.measure.get_absolute_url()


# Milestones


class MilestoneSaving(EditorRequired):
    """Saves through tiltak.services.milestone_save, so the occurrences follow the dates."""

    def form_valid(self, form):
        try:
            self.object = milestone_save(
                milestone=form.save(commit=False),
                dates=form.cleaned_data["dates"],
                user=self.request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect(self.get_success_url())


class MilestoneCreate(MilestoneSaving, CreateView):
    plan_key = "measures__pk"
    model = Milestone
    form_class = MilestoneForm
    heading = gettext_lazy("New milestone")

    def get_form_kwargs(self):
        measure = get_object_or_404(Measure.objects.select_related("plan"), pk=self.kwargs["pk"])
        milestone = Milestone(measure=measure, position=next_position(measure.milestones))
        return {**super().get_form_kwargs(), "instance": milestone}

    def get_success_url(self):
        return reverse("tiltak:measure-detail", args=[self.kwargs["pk"]])


class MilestoneUpdate(MilestoneSaving, UpdateView):
    plan_key = "measures__milestones__pk"
    model = Milestone
    form_class = MilestoneForm
    heading = gettext_lazy("Edit milestone")

    def get_success_url(self):
        return self.object.measure.get_absolute_url()


class MilestoneDelete(Deletion, DeleteView):
    plan_key = "measures__milestones__pk"
    model = Milestone
    heading = gettext_lazy("Delete milestone")

    def affected_occurrences(self):
        return self.object.occurrences.all()

    def get_success_url(self):
        return self.object.measure.get_absolute_url()
