from django.core.paginator import Paginator


def key_page(ordered, number, per_page):
    """Page `number` of the keys of the queryset `ordered`, as `Paginator.get_page` gives it."""
    return Paginator(ordered.values_list("pk", flat=True), per_page).get_page(number)


def read_rows(pages, rows):
    """Put on each of the key pages `pages` its rows, read from the queryset `rows` in one
    query for them all."""
    found = rows.in_bulk([key for page in pages for key in page.object_list])
    for page in pages:
        page.object_list = [found[key] for key in page.object_list]


def page_by_keys(ordered, rows, number, per_page):
    """Page `number` of the queryset `ordered` (as `Paginator.get_page`), its rows read from
    the queryset `rows`, which holds the joins, annotations and prefetches the page shows.

    Paginating `ordered` itself would sort every match with all its joined columns; here
    the database counts the matches and sorts their keys only, and reads whole rows for
    this page alone."""
    page = key_page(ordered, number, per_page)
    read_rows([page], rows)
    return page
