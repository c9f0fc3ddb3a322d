"""The filters of the measures list; every filter lives in the URL, so a link can be shared."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tiltak.forms import offer_plans, parse_key, style_inputs
from tiltak.models import Actor, Health, Measure, Occurrence, Part, Plan


class CheckboxFilter(django_filters.BooleanFilter):
    """A checkbox: ticked filters, unticked does not."""

    field_class = forms.BooleanField


SORTS = {
    "plan": (_("Plan and number"), ("-plan__start", "position")),
    "title": (_("Title"), ("title", "-plan__start")),
    "overdue": (_("Most overdue first"), ("-overdue_count", "-plan__start", "position")),
    "deviations": (_("Most deviations first"), ("-deviation_count", "-plan__start", "position")),
    "health": (_("Worst health first"), ("health_rank", "-plan__start", "position")),
}
COUNTED = ("overdue", "deviations")  # the sorts by MeasureQuerySet.with_counts
SEARCH_WORDS = 20  # a search uses this many words, and says so when it was given more


class MeasureFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    plan = django_filters.ModelChoiceFilter(
        label=_("Plan"),
        queryset=Plan.objects.all(),
        to_field_name="slug",
        empty_label=_("All plans"),
    )
    part = django_filters.ModelChoiceFilter(
        label=_("Part"), queryset=Part.objects.all(), method="in_part", empty_label=_("All parts")
    )
    directorate = django_filters.ModelChoiceFilter(
        label=_("Responsible directorate"),
        queryset=Actor.objects.directorates(),
        to_field_name="short_name",
        method="involving",
        empty_label=_("All directorates"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Has a milestone with status"),
        choices=Occurrence.Status.choices,
        method="with_status",
        empty_label=_("Any status"),
    )
    assessment = django_filters.ChoiceFilter(
        label=_("Has a milestone assessed"),
        choices=Occurrence.Assessment.choices,
        method="with_assessment",
        empty_label=_("Any assessment"),
    )
    health = django_filters.ChoiceFilter(
        label=_("Health this plan year"),
        choices=Health.choices,
        method="with_health",
        empty_label=_("Any health"),
    )
    deviation = CheckboxFilter(label=_("Only measures with a deviation"), method="with_deviation")
    overdue = CheckboxFilter(
        label=_("Only measures with an overdue milestone"), method="with_overdue"
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=[(key, label) for key, (label, _order) in SORTS.items()],
        method="sort_by",
        empty_label=None,
    )

    class Meta:
        model = Measure
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.ignored_words = []
        offer_plans(self.form.fields["plan"], self.data.get("plan"))
        self._offer_parts_of_one_plan()
        style_inputs(self.form.fields)

    def _offer_parts_of_one_plan(self):
        """Offer the parts of the chosen plan, or of the chosen part's plan; without either,
        none: the parts of every plan would be hundreds of look-alike names. Any part is
        still accepted (see `in_part`)."""
        field = self.form.fields["part"]
        plan, part = self.data.get("plan"), parse_key(self.data.get("part", ""))
        if plan:
            offered = Part.objects.filter(plan__slug=plan)
        elif part is not None:
            offered = Part.objects.filter(plan__parts=part)
        else:
            offered = Part.objects.none()
            field.help_text = _("Choose a plan to filter by its parts.")
        field.widget.choices = [("", field.empty_label), *((p.pk, str(p)) for p in offered)]

    def filter_queryset(self, queryset):
        """The counts of each measure are worked out only where a filter or the sort uses them."""
        chosen = self.form.cleaned_data
        if chosen.get("deviation") or chosen.get("overdue") or chosen.get("sort") in COUNTED:
            queryset = queryset.with_counts()
        if chosen.get("health") or chosen.get("sort") == "health":
            queryset = queryset.with_health()
        return super().filter_queryset(queryset)

    @property
    def qs(self):
        queryset = super().qs
        if not self.form.cleaned_data.get("sort"):
            queryset = queryset.order_by(*SORTS["plan"][1])
        return queryset

    def search(self, queryset, name, value):
        """Measures with every word of `value` (its first SEARCH_WORDS) in a text, or as
        their number. More words would make the query too deep for SQLite."""
        words = Q()
        given = value.split()
        self.ignored_words = given[SEARCH_WORDS:]
        for word in given[:SEARCH_WORDS]:
            words &= (
                Q(number__iexact=word)
                | Q(title__icontains=word)
                | Q(purpose__icontains=word)
                | Q(contributions__icontains=word)
                | Q(milestones__text__icontains=word)
            )
        return queryset.filter(pk__in=Measure.objects.filter(words).values("pk"))

    def in_part(self, queryset, name, part):
        plan = self.form.cleaned_data.get("plan")
        if plan and part.plan_id != plan.pk:
            return queryset  # left over from the plan chosen before: the plan decides
        return queryset.filter(part=part)

    def involving(self, queryset, name, value):
        return queryset.involving(value)

    def with_status(self, queryset, name, value):
        return queryset.having(Occurrence.objects.filter(status=value))

    def with_assessment(self, queryset, name, value):
        return queryset.having(Occurrence.objects.filter(assessment=value))

    def with_health(self, queryset, name, value):
        return queryset.filter(health=value)

    def with_deviation(self, queryset, name, value):
        return queryset.filter(deviation_count__gt=0) if value else queryset

    def with_overdue(self, queryset, name, value):
        return queryset.filter(overdue_count__gt=0) if value else queryset

    def sort_by(self, queryset, name, value):
        return queryset.order_by(*SORTS[value][1])
