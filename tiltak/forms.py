from datetime import date, datetime

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import router
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from tiltak.models import (
    Actor,
    FinalStatus,
    Goal,
    Measure,
    Milestone,
    Occurrence,
    Part,
    Plan,
    Responsibility,
)
from tiltak.roles import Role
from tiltak.schedule import DueTextError, interpret_due_text
from tiltak.selectors import PLANS_OFFERED, offered_plans

RESERVED_SLUGS = {"ny"}  # "planer/ny/" is the address of a new plan
EARLIEST_NEW_DATE = date(2000, 1, 1)
LATEST_NEW_DATE = date(2100, 12, 31)
LARGEST_KEY = 2**63 - 1  # the databases' largest integer


def parse_key(value):
    """`value` as a row's key (ASCII digits, within the databases' integers), else None.

    `str.isdigit()` and `int()` accept more ("²", "٣", " 7", a 40-digit number), and a number
    beyond the database's integers makes SQLite raise OverflowError instead of finding nothing.
    """
    text = str(value)
    if text.isascii() and text.isdigit() and int(text) <= LARGEST_KEY:
        return int(text)
    return None


class KeysChoiceField(forms.ModelMultipleChoiceField):
    """A choice of several rows that refuses a value that is no key before asking the database
    (Django's own field lets a huge number through to SQLite)."""

    def _check_values(self, value):
        for key in value:
            if parse_key(key) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": key},
                )
        return super()._check_values(value)


class CheckboxList(forms.CheckboxSelectMultiple):
    """Checkboxes whose field's id is its first box's, so that the error summary's link to
    the field lands on a box (Django gives the group no id). Rendered as a fieldset with a
    legend by templates/includes/field.html."""

    def id_for_label(self, id_, index="0"):
        return f"{id_}_{index}" if id_ else id_


def style_inputs(fields):
    """Give the inputs among the form `fields` Designsystemet's class (not hidden inputs, nor
    a list of checkboxes, which is laid out by its template)."""
    for field in fields.values():
        if not field.widget.is_hidden and not isinstance(
            field.widget, forms.CheckboxSelectMultiple
        ):
            field.widget.attrs.setdefault("class", "ds-input")


def offer_plans(field, chosen_slug=None):
    """Offer in the plan select `field` (a ModelChoiceField by slug) the plans of
    `offered_plans`, each closed or draft one marked so, and say where the others are. Any
    plan is still accepted: a link to a closed plan's page of the list keeps working."""
    empty = [] if field.empty_label is None else [("", field.empty_label)]
    field.widget.choices = empty + [
        (plan.slug, plan_label(plan)) for plan in offered_plans(chosen_slug)
    ]
    field.help_text = format_html(
        _("The {count} newest plans not closed. Every plan is in the <a {link}>plan list</a>."),
        count=PLANS_OFFERED,
        link=format_html('class="ds-link" href="{}"', reverse("tiltak:plan-list")),
    )


def plan_label(plan):
    """A plan as a choice: its title, and its state unless it is active."""
    if plan.state == Plan.State.ACTIVE:
        return str(plan)
    return f"{plan} ({plan.get_state_display().lower()})"


class OccurrenceStatusForm(forms.ModelForm):
    """A status update of one occurrence. Where the result is a deviation (overdue,
    postponed, cancelled or red), its cause, consequence and corrective action are
    required, and a new date unless it is cancelled: the model's rule
    (`Occurrence.deviation_errors`), whose errors show by their fields."""

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
            self.fields[name].conditional = True  # required with a deviation
        style_inputs(self.fields)
        if not self.is_bound:
            self.initial["version"] = self.instance.version

    @property
    def deviation_reasons(self):
        """Why the occurrence, as entered, is in deviation (`Occurrence.deviation_reasons`)."""
        return self.instance.deviation_reasons()

    @property
    def deviation_required(self):
        """The deviation fields required of the occurrence as entered."""
        return self.instance.deviation_required_fields()

    def clean_new_date(self):
        new_date = self.cleaned_data.get("new_date")
        if new_date and not EARLIEST_NEW_DATE <= new_date <= LATEST_NEW_DATE:
            raise forms.ValidationError(_("Give a date between 2000 and 2100."))
        return new_date


class ConstraintsMixin:
    """For a ModelForm whose instance holds fields the form does not show (a part's or a
    measure's plan, a responsibility's measure): validates the model's constraints with those
    fields too. Django checks a constraint only when all its fields are in the form, so
    "unique within the plan" would otherwise wait for the database to refuse the save. A
    violation shows by the constraint's field in the form, in the constraint's own message."""

    def validate_unique(self):
        super().validate_unique()
        shown = set(self.fields)
        using = router.db_for_write(type(self.instance), instance=self.instance)
        for model, constraints in self.instance.get_constraints():
            for constraint in constraints:
                fields = set(getattr(constraint, "fields", ()))
                on_form = fields & shown
                if not on_form or fields <= shown or on_form & set(self.errors):
                    continue  # not the form's, checked by Django, or a field of it is wrong
                try:
                    constraint.validate(model, self.instance, using=using)
                except ValidationError as error:
                    self.add_error(on_form.pop() if len(on_form) == 1 else None, error)


class StyledModelForm(forms.ModelForm):
    """A ModelForm whose inputs carry Designsystemet's class."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_inputs(self.fields)


class StyledForm(forms.Form):
    """A form whose inputs carry Designsystemet's class."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_inputs(self.fields)


class StyledPasswordChangeForm(PasswordChangeForm):
    """Django's form for changing one's own password, rendered as the site's other forms:
    Designsystemet's class, no autofocus (as on the sign-in page), and the password rules as
    plain help text."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_inputs(self.fields)
        for field in self.fields.values():
            field.widget.attrs.pop("autofocus", None)
        self.fields["new_password1"].help_text = " ".join(
            password_validation.password_validators_help_texts()
        )


class PlanForm(StyledModelForm):
    class Meta:
        model = Plan
        fields = ["title", "slug", "start", "end", "source"]
        widgets = {
            "start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {"slug": _("Used in addresses and plan files: a–z, 0–9 and hyphens.")}

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(
                _("«%(slug)s» is reserved; choose another.") % {"slug": slug}
            )
        return slug


class PartForm(ConstraintsMixin, StyledModelForm):
    class Meta:
        model = Part
        fields = ["code", "title", "position"]


class MeasureForm(ConstraintsMixin, StyledModelForm):
    class Meta:
        model = Measure
        fields = [
            "number",
            "title",
            "part",
            "parent",
            "position",
            "purpose",
            "contributions",
            "goals",
        ]
        field_classes = {"goals": KeysChoiceField}
        widgets = {
            "goals": CheckboxList(attrs={"class": "ds-input"}),
            "purpose": forms.Textarea(attrs={"rows": 8}),
            "contributions": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plan = self.instance.plan
        self.fields["part"].queryset = plan.parts.all()
        self.fields["parent"].queryset = plan.measures.exclude(pk=self.instance.pk)
        self.fields["goals"].queryset = Goal.objects.select_related("parent")


class ResponsibilityForm(ConstraintsMixin, StyledModelForm):
    class Meta:
        model = Responsibility
        fields = ["actor", "role", "position"]


class MilestoneForm(StyledModelForm):
    """A milestone; its due text is interpreted on save unless its dates are given."""

    dates = forms.CharField(
        label=_("Dates"),
        required=False,
        help_text=_(
            "Leave empty to interpret the due text. Otherwise one date a line, such as 31.01.2015, "
            "for a due text the application cannot read or reads wrongly."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = Milestone
        fields = ["text", "due_text", "dates", "due_note", "responsible", "position"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "due_note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            planned = [o.planned_date for o in self.instance.occurrences.all() if o.planned_date]
            interpreted = self._interpret(self.instance.due_text)
            if interpreted is None or list(interpreted) != planned:
                self.initial["dates"] = "\n".join(day.strftime("%d.%m.%Y") for day in planned)

    def _interpret(self, due_text):
        try:
            return interpret_due_text(due_text, years=self.instance.measure.plan.years).dates
        except DueTextError:
            return None

    def clean_dates(self):
        lines = [line.strip() for line in self.cleaned_data["dates"].splitlines() if line.strip()]
        dates = []
        for line in lines:
            try:
                day = datetime.strptime(line, "%d.%m.%Y").date()
            except ValueError:
                try:
                    day = date.fromisoformat(line)
                except ValueError:
                    raise forms.ValidationError(
                        _("«%(line)s» is not a date; write it as 31.01.2015.") % {"line": line}
                    ) from None
            if not EARLIEST_NEW_DATE <= day <= LATEST_NEW_DATE:
                raise forms.ValidationError(_("Give a date between 2000 and 2100."))
            dates.append(day)
        if len(set(dates)) != len(dates):
            raise forms.ValidationError(_("A date is given twice."))
        return sorted(dates)

    def clean(self):
        cleaned = super().clean()
        if "due_text" in cleaned and "dates" in cleaned and not cleaned["dates"]:
            interpreted = self._interpret(cleaned["due_text"])
            if interpreted is None:
                self.add_error(
                    "due_text",
                    _(
                        "The application cannot read this due text. Write it differently, or give its dates below."
                    ),
                )
            else:
                cleaned["dates"] = list(interpreted)
        return cleaned


class UserFilterForm(StyledForm):
    """The user list's filters, in the address: ?rolle=directorate&direktorat=AVdir."""

    rolle = forms.ChoiceField(
        label=_("Role"), choices=[("", _("All roles")), *Role.choices], required=False
    )
    direktorat = forms.ModelChoiceField(
        label=_("Directorate"),
        queryset=Actor.objects.directorates(),
        to_field_name="short_name",
        empty_label=_("All directorates"),
        required=False,
    )


class WorkFilterForm(StyledForm):
    """The work lists' filters, in the address: ?plan=<slug>&rolle=lead. The plan select
    offers the plans of `offer_plans`."""

    plan = forms.ModelChoiceField(
        Plan.objects.all(),
        label=_("Plan"),
        to_field_name="slug",
        empty_label=_("All active plans"),
        required=False,
    )
    rolle = forms.ChoiceField(
        label=_("Our role"),
        choices=[("", _("Any role")), *Responsibility.Role.choices],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        offer_plans(self.fields["plan"], self.data.get("plan"))

    @property
    def chosen(self):
        """{"plan": a Plan or None, "role": a role or ""}, leaving out what is not valid."""
        self.is_valid()
        return {
            "plan": self.cleaned_data.get("plan"),
            "role": self.cleaned_data.get("rolle", ""),
        }


class UserForm(forms.Form):
    """A user as the administrator sets it up; saved by `tiltak.services.user_provision`, which
    checks the role's directorate and the password (its errors show by these fields). The
    user name is given when the user is created and is not changed after."""

    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Letters, digits and @ . + - _ only. It cannot be changed later."),
    )
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("Email"),
        required=False,
        help_text=_("Reminders of contributions to the yearly report are sent here."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=[("", _("Choose a role")), *Role.choices])
    directorate = forms.ModelChoiceField(
        label=_("Directorate"),
        queryset=Actor.objects.directorates(),
        required=False,
        empty_label=_("No directorate"),
        help_text=_(
            "Required for a directorate user. A coordinator belongs to Husbanken; readers and "
            "administrators have none."
        ),
    )
    password = forms.CharField(
        label=_("Password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "Leave empty and the user cannot sign in until a password is set here. %(rules)s"
        ),
    )

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        if user is not None:
            kwargs.setdefault(
                "initial",
                {
                    "username": user.username,
                    "first_name": user.first_name,
                    "last_name": user.last_name,
                    "email": user.email,
                    "role": user.role,
                    "directorate": user.directorate_id if user.role == Role.DIRECTORATE else None,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["directorate"].conditional = True  # required for some roles: not "optional"
        rules = " ".join(password_validation.password_validators_help_texts())
        if user is not None:
            del self.fields["username"]
            self.fields["password"].label = _("New password")
            self.fields["password"].help_text = _(
                "Leave empty to keep the current password. %(rules)s"
            ) % {"rules": rules}
        else:
            self.fields["password"].help_text = self.fields["password"].help_text % {"rules": rules}
        style_inputs(self.fields)

    def clean(self):
        """Tell the administrator that readers and administrators have no directorate, rather
        than let `user_provision` drop the one chosen."""
        data = super().clean()
        if data.get("directorate") and data.get("role") in (Role.READER, Role.ADMIN):
            self.add_error(
                "directorate", _("Only directorate users and coordinators have a directorate.")
            )
        return data

    def clean_username(self):
        username = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise ValidationError(_("A user with this user name exists already."))
        return username


class PlanCloseForm(forms.Form):
    """A final status, a reason and (for a carry-over) a plan for each open occurrence of a
    plan being closed; `final_statuses()` gives them as `plan_close` takes them."""

    def __init__(self, *args, plan, occurrences, **kwargs):
        super().__init__(*args, **kwargs)
        self.occurrences = occurrences
        # Read once for every row's choice, not once a row.
        self.targets = {
            p.pk: p for p in Plan.objects.exclude(pk=plan.pk).exclude(state=Plan.State.CLOSED)
        }
        target_choices = [("", "---------"), *((pk, str(p)) for pk, p in self.targets.items())]
        for occurrence in occurrences:
            key = occurrence.pk
            # Each label names its occurrence, so the error summary says which one lacks what.
            which = {
                "number": occurrence.milestone.measure.number,
                "due": occurrence.due_label,
            }
            self.fields[f"final_{key}"] = forms.ChoiceField(
                label=_("Measure %(number)s, %(due)s: final status") % which,
                choices=[("", "---------"), *FinalStatus.choices],
            )
            self.fields[f"target_{key}"] = forms.TypedChoiceField(
                label=_("Measure %(number)s, %(due)s: carried over to") % which,
                choices=target_choices,
                coerce=int,
                empty_value=None,
                required=False,
            )
            self.fields[f"target_{key}"].conditional = True
            # The comment it becomes: cleaned and limited as the comment is everywhere.
            self.fields[f"reason_{key}"] = Occurrence._meta.get_field("comment").formfield(
                label=_("Measure %(number)s, %(due)s: reason") % which,
                required=True,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        style_inputs(self.fields)

    def rows(self):
        """(occurrence, final field, target field, reason field) for each open occurrence."""
        return [
            (o, self[f"final_{o.pk}"], self[f"target_{o.pk}"], self[f"reason_{o.pk}"])
            for o in self.occurrences
        ]

    def clean(self):
        data = super().clean()
        for occurrence in self.occurrences:
            key = occurrence.pk
            if data.get(f"final_{key}") == FinalStatus.CARRIED_OVER and not data.get(
                f"target_{key}"
            ):
                self.add_error(f"target_{key}", _("Choose the plan it is carried over to."))
        return data

    def final_statuses(self):
        data = self.cleaned_data
        return {
            o.pk: (
                data[f"final_{o.pk}"],
                data[f"reason_{o.pk}"],
                self.targets.get(data.get(f"target_{o.pk}")),
            )
            for o in self.occurrences
        }
