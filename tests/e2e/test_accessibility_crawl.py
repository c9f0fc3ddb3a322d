"""Every page reachable by links, as each role, passes both rule engines (axe-core and IBM's) and
the checks no engine makes (issue 17): no page-level sideways scroll, one h1 and no skipped
heading levels, and a title of its own.

Each role (coordinator, directorate user, reader, admin) starts from the home page and follows
the application's same-origin links, visiting one address per URL pattern (and a page's
editing mode, `?rediger=1`, which links to its items' forms), with the seeded plans, an open
report round with contributions and a finalised version, so that the report's pages exist.
Links are followed with GET only, which changes nothing here; signing out, file downloads and
the Django admin are left out. Everything is checked in bokmål and in English, at 1280 px wide
and again at 320 px (400 % zoom), since a layout that reflows may hide or move content. To keep
the time down, the engines do not check again a page whose main content another role's crawl
has already had checked at that width in that language (each role's header and footer are
still checked, on its home page and on every page whose content differs). All problems are
collected and reported together.
"""

import re
from hashlib import sha256
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import Resolver404, resolve

from tests.e2e.conftest import ace_results, axe_violations, sign_in
from tests.factories import (
    PASSWORD,
    REPORTED_PLAN,
    deliver_contributions,
    final_report,
    open_round,
)

# Pages each role's crawl must reach (URL names): the report's pages and the editing forms among
# them, so that a crawl cut short by a changed link does not pass unnoticed.
COMMON = {"home", "measure-detail", "plan-detail", "final-report", "report-round", "accessibility"}
REACHED = {
    "leser": COMMON,
    "avdir": COMMON | {"my-directorate", "contribution", "occurrence-status", "report-preview"},
    "koordinator": COMMON
    | {"report-preview", "report-compile", "contribution", "measure-update", "milestone-update"},
    "administrator": COMMON | {"user-list", "user-update", "report-preview", "milestone-update"},
}
DOWNLOADS = (".pdf", ".docx", ".xlsx", ".csv", ".ics")
# Route names that are not pages to check: signing out, the language switch (both POST only).
SKIPPED_ROUTES = {"logout", "set_language"}

# The headings in the order of the page (those not rendered, as in a closed dialog or details,
# and those hidden from screen readers aside), the document's title, the links to follow and
# the main content.
PAGE_FACTS = """() => {
    const headings = [...document.querySelectorAll("h1, h2, h3, h4, h5, h6, [role=heading]")]
        .filter(h => h.getClientRects().length > 0 && !h.closest("[aria-hidden=true]"))
        .map(h => ({
            level: h.getAttribute("aria-level")
                ? Number(h.getAttribute("aria-level"))
                : Number(h.tagName.slice(1)),
            text: h.textContent.trim().replace(/\\s+/g, " ").slice(0, 60),
        }));
    const links = [...document.querySelectorAll("a[href]")]
        .filter(a => !a.hasAttribute("download"))
        .map(a => a.href);
    const main = document.querySelector("main");
    return {headings, title: document.title, links, main: main ? main.outerHTML : ""};
}"""
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def heading_problems(headings):
    """Exactly one h1; no heading more than one level below the one before it (the first
    heading is the h1)."""
    problems = []
    ones = [h["text"] for h in headings if h["level"] == 1]
    if len(ones) != 1:
        problems.append(f"{len(ones)} h1: {ones}")
    previous = 0
    for heading in headings:
        if heading["level"] > previous + 1:
            problems.append(f"h{previous} → h{heading['level']} at {heading['text']!r}")
        previous = heading["level"]
    return problems


def route_of(path, query=""):
    """The URL pattern of `path` (its route and name, and whether the page is in its editing
    mode, which has links of its own), or None where it is not a page to check."""
    if path.startswith(("/admin/", "/static/", "/media/")) or path.endswith(DOWNLOADS):
        return None
    match = resolve(path)
    if match.url_name in SKIPPED_ROUTES:
        return None
    editing = " editing" if "rediger" in parse_qs(query) else ""
    return f"{match.route} ({match.url_name}{editing})"


class Crawl:
    """The checks of every page, the problems found, and the pages whose main content both
    engines have already passed at a width in a language: another role's identical page is not
    checked by them again (the header and footer, which differ by role, are checked on each
    role's home page and on every page whose content differs)."""

    def __init__(self, origin):
        self.origin = origin
        self.problems = []
        self.checked = set()

    def crawl(self, page, user, language):
        """Visit one address per URL pattern reachable from the home page by links, checking
        each at the page's current width; {route: (address, title)}."""
        visited = {}
        queue = ["/"]
        routes = {route_of("/")}
        while queue:
            url = queue.pop(0)
            response = page.goto(url)
            if response.status != 200:
                self.problems.append(f"{user} {language} {url}: HTTP {response.status}")
                continue
            facts = self.check(page, user, language, url)
            parts = urlsplit(url)
            visited[route_of(parts.path, parts.query)] = (url, facts["title"])
            for link in facts["links"]:
                parts = urlsplit(link)
                if f"{parts.scheme}://{parts.netloc}" != self.origin or "tabell" in parts.query:
                    continue  # another site, or a table's CSV download
                try:
                    route = route_of(parts.path, parts.query)
                except Resolver404:
                    self.problems.append(f"{user} {language} {url}: a link to no page: {link}")
                    continue
                if route is not None and route not in routes:
                    routes.add(route)
                    queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
        return visited

    def check(self, page, user, language, url, engines=True):
        """The page's headings, sideways scroll and (with `engines`) both engines' violations,
        added to the problems; the page's facts (headings, title, links, main content)."""
        facts = page.evaluate(PAGE_FACTS)
        width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        found = heading_problems(facts["headings"])
        if width[0] > width[1]:
            found.append(f"scrolls sideways: {width[0]} px wide in {width[1]}")
        content = CSRF_TOKEN.sub("", facts["main"])
        key = (language, width[1], sha256(content.encode()).hexdigest())
        if engines and (urlsplit(url).path == "/" or key not in self.checked):
            self.checked.add(key)
            found += axe_violations(page) + ace_results(page)
        self.problems += [f"{user} {language} {url} at {width[1]} px: {p}" for p in found]
        return facts


def title_problems(visited, user, language):
    """Two patterns' pages with the same title (a page in its editing mode is the same page)."""
    pages_by_title = {}
    for route, (url, title) in visited.items():
        if not route.endswith(" editing)"):
            pages_by_title.setdefault(title, []).append(url)
    return [
        f"{user} {language}: the title {title!r} on {urls}"
        for title, urls in pages_by_title.items()
        if len(urls) > 1
    ]


@pytest.fixture
def report_pages(seeded_plans, coordinator, directorate_user, final_reports_removed_after):
    """A finalised 2019 version of the 2018–2020 plan's report, and an open 2020 round with
    every contribution delivered but the directorate user's own on measure 6 (so that both
    the contribution form and delivered contributions can be reached)."""
    final_report()
    round = open_round(seeded_plans[REPORTED_PLAN], coordinator, year=2020)
    deliver_contributions(round, coordinator, leave_out={("6", "AVdir")})
    return round


@pytest.mark.django_db(transaction=True)
def test_every_page_passes_both_engines_in_both_languages_at_1280_and_320_px(
    browser, live_server, coordinator, directorate_user, reader, admin_user, report_pages
):
    crawl = Crawl(live_server.url)
    for user in (coordinator, directorate_user, reader, admin_user):
        visited = {}
        for language in ("nb", "en"):
            context = browser.new_context(bypass_csp=True, base_url=live_server.url)
            page = context.new_page()
            page.set_viewport_size({"width": 1280, "height": 900})
            sign_in(page, user.username, PASSWORD)
            context.add_cookies(
                [{"name": "django_language", "value": language, "url": live_server.url}]
            )
            visited[language] = crawl.crawl(page, user, language)
            crawl.problems += title_problems(visited[language], user, language)
            page.set_viewport_size({"width": 320, "height": 800})
            for url, _title in visited[language].values():
                page.goto(url)
                crawl.check(page, user, language, url)
            context.close()
        assert visited["nb"].keys() == visited["en"].keys(), f"{user}: the languages differ"
        reached = {route.split("(")[1].rstrip(")") for route in visited["nb"]}
        assert REACHED[user.username] <= reached, reached

    assert crawl.problems == [], "\n".join(crawl.problems)


@pytest.mark.parametrize(
    ("levels", "problems"),
    [
        ([1, 2, 3, 2, 2, 3], []),
        ([1, 3], ["h1 → h3 at 'h3'"]),
        ([2, 1, 2], ["h0 → h2 at 'h2'"]),
        ([1, 2, 1], ["2 h1: ['h1', 'h1']"]),
        ([2], ["0 h1: []", "h0 → h2 at 'h2'"]),
    ],
)
def test_the_heading_check_finds_a_missing_extra_or_skipped_level(levels, problems):
    assert heading_problems([{"level": n, "text": f"h{n}"} for n in levels]) == problems


def test_the_title_check_finds_two_patterns_with_one_title():
    visited = {
        "tiltak/<int:pk>/ (measure-detail)": ("/tiltak/1/", "Tiltak 1"),
        "tiltak/<int:pk>/ (measure-detail editing)": ("/tiltak/1/?rediger=1", "Tiltak 1"),
        "tiltak/<int:pk>/endre/ (measure-update)": ("/tiltak/1/endre/", "Tiltak 1"),
    }
    assert title_problems(visited, "leser", "nb") == [
        "leser nb: the title 'Tiltak 1' on ['/tiltak/1/', '/tiltak/1/endre/']"
    ]
