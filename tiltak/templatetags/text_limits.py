"""The character counter below a text field with a limit (tiltak.free_text)."""

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

from tiltak.free_text import clean_text

register = template.Library()

# static/js/app.js puts the count where a counter's formats hold this.
COUNT = "{count}"


@register.simple_tag
def char_counter(field):
    """How many characters the field `field` holds of its limit ("12 av 1 500 tegn"), counted
    as the server counts them (after `clean_text`), and an empty polite live region. Nothing
    for a field without a limit.

    static/js/app.js keeps the count up to date while typing, and only near the limit says
    in the live region how many characters are left, so that a screen reader is not
    interrupted at every keystroke. The texts it writes are given here, translated, in
    `data-used` and `data-left`."""
    limit = field.field.max_length
    if not limit:
        return ""
    shown_limit = number_format(limit, force_grouping=True)

    def used(count):
        return _("%(count)s of %(limit)s characters") % {"count": count, "limit": shown_limit}

    count = len(clean_text(str(field.value() or "")))
    return format_html(
        '<p class="ds-paragraph muted char-counter" data-size="sm" id="{id}_counter" '
        'data-counter-for="{id}" data-limit="{limit}" data-used="{used}" data-left="{left}">'
        "{text}</p>"
        '<p class="visually-hidden" id="{id}_counter_live" aria-live="polite"></p>',
        id=field.auto_id,
        limit=limit,
        used=used(COUNT),
        left=_("Characters left: %(count)s") % {"count": COUNT},
        text=used(number_format(count, force_grouping=True)),
    )
