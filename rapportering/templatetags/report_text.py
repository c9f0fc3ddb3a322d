"""Text of the printed report: a period such as 2018–2020 is never split over two lines."""

import re

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()

PERIOD = re.compile(r"\d{4}\s*[-–]\s*\d{4}")


@register.filter
def nowrap_periods(text):
    """`text`, escaped, with every period in a `<span class="nowrap">`: otherwise the line
    may break after the dash of 2018–2020."""
    text, pieces, start = str(text), [], 0
    for period in PERIOD.finditer(text):
        pieces += [
            text[start : period.start()],
            format_html('<span class="nowrap">{}</span>', period[0]),
        ]
        start = period.end()
    pieces.append(text[start:])
    return format_html_join("", "{}", ((piece,) for piece in pieces))
