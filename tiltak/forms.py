from copy import copy
from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from tiltak.models import Occurrence

EARLIEST_NEW_DATE = date(2000, 1, 1)
LATEST_NEW_DATE = date(2100, 12, 31)


class OccurrenceStatusForm(forms.ModelForm):
    """A status update of one occurrence. Where the result is a deviation (overdue,
    postponed, cancelled or red), its cause, consequence and corrective action are
    required, and a new date unless it is cancelled."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    class Meta:
        model = Occurrence
        fields = [*Occurrence.STATUS_FIELDS]
        widgets = {
            "new_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "comment": forms.Textarea(attrs={"rows": 3}),
            "deviation_cause": forms.Textarea(attrs={"rows": 3}),
            "deviation_consequence": forms.Textarea(attrs={"rows": 3}),
            "corrective_action": forms.Textarea(attrs={"rows": 3}),
        }

    DEVIATION_FIELDS = (
        "deviation_cause",
        "deviation_consequence",
        "corrective_action",
        "new_date",
        "needs_ministry_decision",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessment"].required = False
        self.fields["assessment"].choices = [
            ("", _("Not assessed")),
            *Occurrence.Assessment.choices,
        ]
        for name in self.DEVIATION_FIELDS:
            self.fields[name].conditional = True  # required with a deviation, see clean()
        for field in self.fields.values():
            if not field.widget.is_hidden:
                field.widget.attrs.setdefault("class", "ds-input")
        if not self.is_bound:
            self.initial["version"] = self.instance.version

    def clean_new_date(self):
        new_date = self.cleaned_data.get("new_date")
        if new_date and not EARLIEST_NEW_DATE <= new_date <= LATEST_NEW_DATE:
            raise forms.ValidationError(_("Give a date between 2000 and 2100."))
        return new_date

    def clean(self):
        cleaned = super().clean()
        candidate = copy(self.instance)
        for name in Occurrence.STATUS_FIELDS:
            if name in cleaned:
                setattr(candidate, name, cleaned[name])
        if candidate.has_deviation():
            required = ["deviation_cause", "deviation_consequence", "corrective_action"]
            if candidate.status != Occurrence.Status.CANCELLED:
                required.append("new_date")
            for name in required:
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, _("Required when the milestone has a deviation."))
        return cleaned
