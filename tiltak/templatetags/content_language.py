"""The language of parts (WCAG 3.1.2): the plans, their measures and milestones, status
comments, contributions and reports are written in Norwegian bokmål, whatever the language of
the interface. Where the page is in another language, the element that holds such text says
so with `lang="nb"`, so that a screen reader pronounces it as Norwegian.

    {% load content_language %}
    <td>{{ milestone.text|nb }}</td>          → <span lang="nb">…</span> in the English pages
    <div class="prose"{% nb_lang %}>{{ measure.purpose|linebreaks }}</div>

In the Norwegian pages both give the text as it is, without any wrapper. `lang` does the same
for another language: `{{ value|lang:"en" }}`."""

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language

register = template.Library()

CONTENT_LANGUAGE = "nb"


def _differs(code):
    """Whether `code` is not the language of the page ("nb-NO" and "nb" are the same)."""
    page = (get_language() or "").split("-")[0].lower()
    return code.split("-")[0].lower() != page


@register.filter
def lang(value, code):
    """`value` in a <span lang="`code`"> when the page is in another language, else as it
    is. The value is escaped unless it is already safe (after `linebreaksbr`, say)."""
    if value in (None, "") or not _differs(code):
        return value
    return format_html('<span lang="{}">{}</span>', code, value)


@register.filter
def nb(value):
    """Norwegian content: `value` marked `lang="nb"` in pages in another language."""
    return lang(value, CONTENT_LANGUAGE)


@register.simple_tag
def nb_lang():
    """` lang="nb"` for the element holding Norwegian content, in pages in another
    language; nothing in the Norwegian pages."""
    return format_html(' lang="{}"', CONTENT_LANGUAGE) if _differs(CONTENT_LANGUAGE) else ""
