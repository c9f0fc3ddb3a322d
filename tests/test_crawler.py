"""A crawler with bad input: every page, as each role, with nasty values in every query
parameter it reads, every form field it reads and every text part of its address.
No answer may be a server error.

Which parameters and fields a page reads is found by asking it: each page is requested once per
role with its usual body (the permission matrix's), and every name it looks up in
`request.GET` or `request.POST` (a filterset's or form's fields, a page number, `tabell` …) is
recorded. Then each of those names gets each nasty value in turn, the role rotating among the
roles the page reads it for, so that each of them meets every parameter with several values.
Each text part of the address (`<str:…>`, `<slug:…>`) gets every value as every role. Every
request runs in a savepoint that is rolled back, so a plan deleted or a report finalised by one
request is there for the next. The Django admin's own pages are left out.
"""

import itertools
from copy import deepcopy
from urllib.parse import quote

import pytest
from django.db import transaction
from django.http import QueryDict
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve
from django.urls.converters import StringConverter

from tests.test_permissions import MATRIX

pytestmark = pytest.mark.django_db

NASTY = [
    "abc",
    "",
    "1 OR 1=1",
    "²",  # a digit to str.isdigit(), not to int()
    "9" * 40,  # beyond every database integer
    "-1",
    "\x00",
    "x" * 10_000,
    " ".join(f"ord{n}" for n in range(500)),
    "../../etc/passwd",
    "<script>alert(1)</script>",
]
ROLES = {
    "anonymous": None,
    "reader": "reader",
    "directorate user": "directorate_user",
    "coordinator": "coordinator",
    "admin": "admin_user",
}


READ = {"GET": set(), "POST": set()}


class RecordingQueryDict(QueryDict):
    """A QueryDict that notes, in READ[method], every name looked up in it, present or not."""

    method = "GET"

    def __getitem__(self, key):
        READ[self.method].add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        READ[self.method].add(key)
        return super().__contains__(key)

    def get(self, key, default=None):
        READ[self.method].add(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        READ[self.method].add(key)
        return super().getlist(key, default)


class RecordingPostDict(RecordingQueryDict):
    method = "POST"


class RecordReadsMiddleware:
    """Puts recording copies of the query and the form data on the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.GET = RecordingQueryDict(request.GET.urlencode())
        if request.method == "POST":
            request.POST = RecordingPostDict(request.POST.urlencode())
        return self.get_response(request)


@pytest.fixture
def clients(request, settings, seeded_plans, coordinator):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.test_crawler.RecordReadsMiddleware"]
    by_role = {}
    for role, fixture in ROLES.items():
        client = Client(raise_request_exception=False)
        if fixture:
            client.force_login(request.getfixturevalue(fixture))
        by_role[role] = client
    return by_role


def send(client, method, url, data):
    """One request in a savepoint that is rolled back, the client's cookies (its sign-in and
    language) kept whatever the page does to them (sign out, switch language)."""
    cookies = deepcopy(client.cookies)
    READ["GET"].clear()
    READ["POST"].clear()
    with transaction.atomic():
        response = client.get(url, data) if method == "GET" else client.post(url, data)
        transaction.set_rollback(True)
    client.cookies = cookies
    return response, set(READ[method])


def text_path_variants(url):
    """The address with each nasty value in place of each of its text parts (`<str:…>`,
    `<slug:…>`): the parts a path converter does not already keep to digits."""
    match = resolve(url)
    pattern = next(p for p in _patterns(get_resolver().url_patterns) if p.name == match.url_name)
    for name, converter in pattern.pattern.converters.items():
        if isinstance(converter, StringConverter):
            head, _part, tail = url.rpartition(str(match.kwargs[name]))
            for value in NASTY:
                if value:
                    yield head + quote(value, safe="") + tail


def _patterns(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern.url_patterns)
        else:
            yield pattern


PAGES = sorted(name for name in MATRIX if name != "admin:")


@pytest.mark.parametrize("name", PAGES)
def test_no_server_error_on_bad_input(clients, name):
    url_of, body_of, _expected = MATRIX[name]
    url, body = url_of(), body_of()
    failures = []

    def check(role, method, target, data):
        response, _read = send(clients[role], method, target, data)
        if response.status_code >= 500:
            failures.append((role, method, target[:120], {k: str(v)[:40] for k, v in data.items()}))

    # Which names each role's request reads, with the page's usual body.
    get_params, post_fields = {}, {}
    for role, client in clients.items():
        # Not empty: django-filter reads an empty query as no data at all.
        _response, read = send(client, "GET", url, {"crawler": "1"})
        get_params[role] = sorted(read - {"crawler"})
        _response, read = send(client, "POST", url, body)
        post_fields[role] = sorted(read | set(body))
        if not read:
            del post_fields[role]  # refused before the body is read

    # Every parameter with every value, the role rotating.
    turn = itertools.count()
    for role_names, method in ((get_params, "GET"), (post_fields, "POST")):
        fields = sorted({field for names in role_names.values() for field in names})
        for field, value in itertools.product(fields, NASTY):
            readers = [r for r, names in role_names.items() if field in names]
            role = readers[next(turn) % len(readers)]
            data = {field: value} if method == "GET" else {**body, field: value}
            check(role, method, url, data)

    for target, role in itertools.product(text_path_variants(url), ROLES):
        check(role, "GET", target, {})

    assert not failures, "server errors:\n" + "\n".join(map(str, failures))
