"""Whether the page answers a submit that failed, for base.html to say so in its title.

A page that comes back with errors after a POST says so first in its <title> ("Feil: …"),
which screen readers read when the page loads (WCAG 3.3.1); app.js moves focus to its error
summary (2.4.3)."""

from django import template
from django.forms import BaseForm, BaseFormSet

register = template.Library()


@register.simple_tag(takes_context=True)
def failed_submit(context):
    """True when the request is a POST and a form or formset the page shows is bound and
    has errors, or when the view says so with `submit_failed` (a refusal without a form)."""
    values = context.flatten()
    if values.get("submit_failed"):
        return True
    request = values.get("request")
    if request is None or request.method != "POST":
        return False
    return any(
        isinstance(value, (BaseForm, BaseFormSet)) and value.is_bound and not value.is_valid()
        for value in values.values()
    )
