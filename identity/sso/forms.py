from django import forms

from tiltak.forms import StyledModelForm
from tiltak.models import Actor


class OrgNumberForm(StyledModelForm):
    """A directorate's organisation number: nine digits, unique, or empty (none)."""

    class Meta:
        model = Actor
        fields = ["org_number"]
        widgets = {
            "org_number": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})
        }
