from django import template

from tiltak.models import Health

register = template.Library()


@register.filter
def as_health(value):
    """A `Health` from its stored value (as `with_health` annotates it) or itself."""
    return Health(value)
