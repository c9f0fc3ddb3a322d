from django import forms
from django.utils.translation import gettext_lazy as _

from tiltak.models import Actor, Plan


class OverviewForm(forms.Form):
    """Which plan and year the overview shows; both in the address."""

    plan = forms.ModelChoiceField(
        label=_("Plan"),
        queryset=Plan.objects.order_by("-start"),
        to_field_name="slug",
        required=False,
    )
    ar = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2100)
    direktorat = forms.ModelChoiceField(
        label=_("Directorate"),
        queryset=Actor.objects.directorates(),
        to_field_name="short_name",
        required=False,
        empty_label=_("All directorates"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "ds-input"
