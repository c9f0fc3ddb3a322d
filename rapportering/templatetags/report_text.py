"""Text of the printed report: a period such as 2018–2020 is never split over two lines."""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()

PERIOD = re.compile(r"\d{4}\s*[-–]\s*\d{4}")


@register.filter
def nowrap_periods(text):
    """`text`, escaped, with every period in a `<span class="nowrap">`: otherwise the line
    may break after the dash of 2018–2020."""
    return mark_safe(PERIOD.sub(r'<span class="nowrap">\g<0></span>', escape(text)))
