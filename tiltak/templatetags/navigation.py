from django import template
from django.urls import reverse
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def menu_link(context, url_name, label):
    """A link of the main menu, marked `aria-current="page"` on its own page and the pages
    under it (the measures list on a measure's page)."""
    url = reverse(url_name)
    path = context["request"].path
    if path == url or (url != "/" and path.startswith(url)):
        return format_html('<a class="ds-link" href="{}" aria-current="page">{}</a>', url, label)
    return format_html('<a class="ds-link" href="{}">{}</a>', url, label)
