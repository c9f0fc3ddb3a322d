from django.core.paginator import Page, Paginator
from django.db.models import Count, Window


def page_by_keys(ordered, rows, number, per_page):
    """Page `number` of the queryset `ordered`, its rows read from the queryset `rows`; like
    `Paginator.get_page`, a number that is not a page gives the first or the last page.

    Two queries: the keys of this page in order with the number of matches beside them,
    then this page's rows by key from `rows`, which holds the joins, annotations and
    prefetches the page shows. Paginating `ordered` itself would sort every match with all
    its joined columns, and count them in a query of its own; at a few thousand matches
    that is most of a page's time."""
    try:
        number = max(int(number), 1)
    except (TypeError, ValueError):
        number = 1
    start = (number - 1) * per_page
    keys = list(
        ordered.annotate(matches=Window(Count("pk"))).values_list("pk", "matches")[
            start : start + per_page
        ]
    )
    paginator = Paginator([], per_page)
    paginator.count = keys[0][1] if keys else 0
    if not keys and number > 1:
        paginator.count = ordered.count()
        if paginator.count:
            return page_by_keys(ordered, rows, paginator.num_pages, per_page)
        number = 1
    found = rows.in_bulk([key for key, _matches in keys])
    return Page([found[key] for key, _matches in keys], number, paginator)
