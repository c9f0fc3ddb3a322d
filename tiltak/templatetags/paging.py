from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_links(context, page, param="side"):
    """The page numbers to link to (the first, the last and two either side of the current,
    with None for a gap) and the address of each, keeping the rest of the query string."""
    return [
        (None, "")
        if number == page.paginator.ELLIPSIS
        else (number, page_query(context, number, param))
        for number in page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    ]


@register.simple_tag(takes_context=True)
def page_query(context, number, param="side"):
    """The query string for page `number`, keeping the rest."""
    query = context["request"].GET.copy()
    query[param] = number
    return query.urlencode()
