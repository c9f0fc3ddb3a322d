from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from rapportering.models import (
    CalendarFeed,
    Contribution,
    Dispatch,
    ReportRound,
    default_internal_deadline,
    default_ministry_deadline,
)
from rapportering.selectors import history_begins, ministries, newest_plan
from tiltak import clock
from tiltak.formatting import short_date
from tiltak.forms import (
    CheckboxList,
    KeysChoiceField,
    StyledModelForm,
    offer_plans,
    style_inputs,
)
from tiltak.models import Actor, Health, Plan


class OverviewForm(forms.Form):
    """Which plan and year the overview shows; both in the address."""

    plan = forms.ModelChoiceField(
        label=_("Plan"),
        queryset=Plan.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=None,
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
        if as_of and as_of > clock.today():
            raise forms.ValidationError(_("Choose today or a day before."))
        plan = self.cleaned_data.get("plan") or newest_plan()
        begins = history_begins(plan) if as_of and plan else None
        if begins and as_of < begins:
            raise forms.ValidationError(
                _("The history of %(plan)s begins %(day)s. Choose that day or a later one.")
                % {"plan": plan.title, "day": short_date(begins)}
            )
        return as_of

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_inputs(self.fields)

    def show(self, plan, year):
        """Show in the plan and year fields the plan and year the page shows, also where the
        address names none (or a year outside the plan) and the page chose them."""
        self.data = self.data.copy()
        self.data["plan"], self.data["ar"] = plan.slug, year
        offer_plans(self.fields["plan"], plan.slug)


class TimelineForm(OverviewForm):
    """The overview's choices, and a health to show only the measures of."""

    helse = forms.ChoiceField(
        label=_("Health"),
        choices=[("", _("Any health")), *Health.choices],
        required=False,
    )


class CalendarFeedForm(forms.Form):
    """The calendar page's two buttons: make an address for one of `directorates`, or revoke
    one of the user's own (`revoke`, a feed's key)."""

    directorate = forms.ModelChoiceField(
        queryset=Actor.objects.none(), to_field_name="short_name", required=False
    )
    revoke = forms.ModelChoiceField(queryset=CalendarFeed.objects.none(), required=False)

    def __init__(self, *args, user, directorates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["directorate"].queryset = directorates
        self.fields["revoke"].queryset = CalendarFeed.objects.active().filter(user=user)

    def clean(self):
        cleaned = super().clean()
        if "revoke" in self.data:
            if not cleaned.get("revoke"):
                raise forms.ValidationError(_("That address is not among your active ones."))
        elif not cleaned.get("directorate"):
            raise forms.ValidationError(_("Choose a directorate you may follow."))
        return cleaned


class ReportRoundForm(StyledModelForm):
    """Open a report round. Without deadlines, the usual ones of the year are set."""

    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)

    class Meta:
        model = ReportRound
        fields = ["plan", "year", "ministry_deadline", "internal_deadline"]
        widgets = {
            "ministry_deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "internal_deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "ministry_deadline": _("Empty: 1 October of the year."),
            "internal_deadline": _("Empty: 1 September of the year."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = Plan.objects.order_by("-start")
        self.fields["ministry_deadline"].required = False
        self.fields["internal_deadline"].required = False

    def clean(self):
        cleaned = super().clean()
        year = cleaned.get("year")
        if year:
            cleaned["ministry_deadline"] = cleaned.get(
                "ministry_deadline"
            ) or default_ministry_deadline(year)
            cleaned["internal_deadline"] = cleaned.get(
                "internal_deadline"
            ) or default_internal_deadline(year)
        return cleaned


class CompilationForm(StyledModelForm):
    """The coordinator's summary and challenges. Either may be saved unwritten while the
    report is compiled; the report is not finalised until both are written (the gate,
    `rapportering.rounds.missing_content`), and the form says so."""

    # What the gate requires of the compilation.
    REQUIRED_TO_FINALISE = ("summary", "challenges")

    class Meta:
        model = ReportRound
        fields = [*ReportRound.COMPILATION_FIELDS]
        widgets = {name: forms.Textarea(attrs={"rows": 8}) for name in fields}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.REQUIRED_TO_FINALISE:
            self.fields[name].conditional = True
            self.fields[name].help_text = _("Required before the report can be finalised.")


class ContributionForm(StyledModelForm):
    """A directorate's contribution on a measure. Delivering it needs the assessment, and
    the handling of the deviations when the measure has any in the year."""

    class Meta:
        model = Contribution
        fields = ["status_assessment", "deviation_handling", "challenges"]
        widgets = {name: forms.Textarea(attrs={"rows": 6}) for name in fields}

    def __init__(self, *args, deliver=False, has_deviations=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.deliver = deliver
        self.has_deviations = has_deviations
        self.fields["status_assessment"].conditional = True
        self.fields["status_assessment"].help_text = format_lazy(
            "{} {}", _("Required to deliver."), self.fields["status_assessment"].help_text
        )
        self.fields["deviation_handling"].conditional = has_deviations
        if has_deviations:
            self.fields["deviation_handling"].help_text = format_lazy(
                "{} {}",
                _("Required to deliver: the measure has a deviation this year."),
                self.fields["deviation_handling"].help_text,
            )

    def clean(self):
        cleaned = super().clean()
        if self.deliver:
            required = ["status_assessment"] + (
                ["deviation_handling"] if self.has_deviations else []
            )
            for name in required:
                if not (cleaned.get(name) or "").strip():
                    self.add_error(name, _("Required to deliver the contribution."))
        return cleaned


class ContributionReturnForm(forms.Form):
    """Why the coordinator sends a delivered contribution back to its directorate."""

    comment = Contribution._meta.get_field("return_comment").formfield(
        label=_("Why is the contribution returned?"),
        required=True,
        widget=forms.Textarea(attrs={"rows": 3, "class": "ds-input"}),
        help_text=_("The directorate's users get it by email and see it on the contribution."),
    )


class CorrectionForm(forms.Form):
    reason = ReportRound._meta.get_field("correction_reason").formfield(
        label=_("Reason for the correction"),
        required=True,
        widget=forms.Textarea(attrs={"rows": 4, "class": "ds-input"}),
        help_text=_("Stated in the corrected version, which links to the one it replaces."),
    )


class MinistryChoiceField(KeysChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.short_name})" if obj.short_name else obj.name


class DispatchForm(StyledModelForm):
    """The dispatch of a finalised version: the day it was sent (today unless told; the
    dates allowed are `Dispatch.clean`'s), the ministries (all of them unless told) and
    the archive's reference. Who records it is the signed-in user."""

    class Meta:
        model = Dispatch
        fields = ["sent_on", "recipients", "reference"]
        field_classes = {"recipients": MinistryChoiceField}
        widgets = {
            "sent_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "recipients": CheckboxList(attrs={"class": "ds-input"}),
            "reference": forms.TextInput,
        }
        error_messages = {
            "recipients": {"required": _("Choose the ministries it was sent to.")},
        }

    def __init__(self, *args, report, **kwargs):
        super().__init__(*args, instance=Dispatch(report=report), **kwargs)
        self.fields["recipients"].queryset = ministries()
        # The browser's date picker offers the days Dispatch.clean accepts.
        self.fields["sent_on"].widget.attrs.update(
            min=f"{timezone.localdate(report.finalised_at):%Y-%m-%d}",
            max=f"{clock.today():%Y-%m-%d}",
        )
        if not self.is_bound:
            self.initial["sent_on"] = clock.today()
            self.initial["recipients"] = self.fields["recipients"].queryset
