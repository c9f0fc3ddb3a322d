from django.core.paginator import Paginator


def page_by_keys(ordered, rows, number, per_page):
    """Page `number` of the queryset `ordered` (as `Paginator.get_page`), its rows read from
    the queryset `rows`, which holds the joins, annotations and prefetches the page shows.

    Paginating `ordered` itself would sort every match with all its joined columns; here
    the database counts the matches and sorts their keys only, and reads whole rows for
    this page alone."""
    page = Paginator(ordered.values_list("pk", flat=True), per_page).get_page(number)
    found = rows.in_bulk(page.object_list)
    page.object_list = [found[key] for key in page.object_list]
    return page
