"""The time left of the session, for the warning before it ends (includes/session_warning.html)."""

from django import template
from django.conf import settings

from tiltak.session_time import timing

register = template.Library()


@register.simple_tag(takes_context=True)
def session_timing(context):
    return {**timing(context["request"].session), "idle_timeout": settings.SESSION_IDLE_TIMEOUT}
