from django import forms
from django.utils import timezone
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

    per = forms.DateField(
        label=_("As of"),
        required=False,
        help_text=_("Show the state as it stood at the end of that day. Empty: as it is now."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean_per(self):
        as_of = self.cleaned_data["per"]
        if as_of and as_of > timezone.localdate():
            raise forms.ValidationError(_("Choose today or a day before."))
        return as_of

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "ds-input"
