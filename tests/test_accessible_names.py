"""Names and groups (WCAG 1.3.1, 2.4.4, 4.1.2), read from the HTML every page sends.

On every page of the permission matrix, as each signed-in role: links that lead to different
places have different accessible names (a repeated "Update status" or "Edit" names what it
acts on, in visually hidden text inside the link); navigation landmarks and forms, where a page
has several, have names of their own; every label points at a field, and every group of
checkboxes or radio buttons is a fieldset with a legend.

The accessible name is computed as browsers do for the markup we write: aria-labelledby, then
aria-label, then the text inside (visually hidden text included, aria-hidden text left out).
"""

from collections import defaultdict
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import lxml.html
import pytest
from django.test import Client
from django.urls import reverse

from rapportering.models import FinalReport, FinalReportFile, ReportRound
from rapportering.report import build_report
from tests.factories import make_user, measure, occurrence, open_round
from tests.test_permissions import MATRIX
from tiltak.roles import Role

pytestmark = pytest.mark.django_db

ROLES = ["coordinator", "directorate_user", "reader", "admin_user"]
# The pages: every page of the matrix but the admin's, and a measure with several milestone
# dates (measure 9 of the 2018–2020 plan has one a year).
PAGES = sorted(name for name in MATRIX if name != "admin:")


NARROW_MENU = "ancestor::details[contains(@class, 'menu-narrow')]"
FIELDS = ".//select | .//textarea | .//input[not(@type='hidden')]"


def _text(element, document):
    """The text an element contributes to a name: aria-hidden parts left out."""
    if element.get("aria-hidden") == "true":
        return ""
    if element.get("aria-labelledby") or element.get("aria-label"):
        return accessible_name(element, document)
    if element.tag == "img":
        return element.get("alt", "")
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str):
            parts.append(_text(child, document))
        parts.append(child.tail or "")
    return "".join(parts)


def accessible_name(element, document):
    """The accessible name of a link, landmark or form (accname 1.2, as far as we use it)."""
    if element.get("aria-labelledby"):
        ids = element.get("aria-labelledby").split()
        return " ".join(
            _text(document.get_element_by_id(id), document) for id in ids if _found(document, id)
        ).strip()
    if element.get("aria-label"):
        return element.get("aria-label").strip()
    return " ".join(_text(element, document).split())


def _found(document, id):
    return bool(document.xpath("//*[@id=$id]", id=id))


def problems(html):
    """What is wrong with the names and groups of a page, as readable lines."""
    document = lxml.html.document_fromstring(html)
    found = []

    # 2.4.4: one name, one destination.
    destinations = defaultdict(set)
    for link in document.xpath("//a[@href]"):
        href = destination(link.get("href"))
        destinations[accessible_name(link, document).casefold()].add(href)
    for name, hrefs in destinations.items():
        if len(hrefs) > 1:
            found.append(f"links named {name!r} lead to {len(hrefs)} places: {sorted(hrefs)[:3]}")

    # 1.3.1 / 4.1.2: landmarks of one kind, and forms, are told apart by their names.
    for kind in ("nav", "form"):
        elements = document.xpath(f"//{kind}")
        if kind == "nav":  # the folded menu repeats the wide one, shown instead of it
            elements = [e for e in elements if not e.xpath(NARROW_MENU)]
        else:  # the forms of the page's content; a form of one button (sign out) is named by it
            elements = [e for e in elements if e.xpath(FIELDS) and e.xpath("ancestor::main")]
        names = [accessible_name(e, document) if _named(e) else "" for e in elements]
        if len(elements) > 1 and ("" in names or len(set(names)) < len(names)):
            found.append(f"{len(elements)} {kind} elements without distinct names: {names}")

    # 1.3.1: labels point at fields; groups of choices are fieldsets with legends.
    for label in document.xpath("//label[@for]"):
        if not label.get("for") or not _found(document, label.get("for")):
            found.append(f"label {accessible_name(label, document)!r} points at nothing")
    groups = defaultdict(list)
    for choice in document.xpath("//input[@type='checkbox' or @type='radio'][@name]"):
        forms = choice.xpath("ancestor::form")
        form = choice.get("form") or (forms[0].getroottree().getpath(forms[0]) if forms else "")
        groups[(form, choice.get("name"))].append(choice)
    for (_form, name), choices in groups.items():
        if len(choices) > 1 and not all(_in_named_fieldset(choice) for choice in choices):
            found.append(f"the {len(choices)} choices of {name!r} are not in a named fieldset")
    return found


def destination(href):
    """Where a link leads: its address without the fragment (an anchor on the page is the
    page) and without `neste`, the place a form returns to after saving."""
    address = urlsplit(href)
    query = [(key, value) for key, value in parse_qsl(address.query) if key != "neste"]
    return urlunsplit(address._replace(query=urlencode(query), fragment="")) or "#"


def _named(element):
    return bool(element.get("aria-label") or element.get("aria-labelledby"))


def _in_named_fieldset(element):
    fieldsets = element.xpath("ancestor::fieldset[1]")
    return bool(fieldsets and fieldsets[0].xpath("legend[normalize-space()]"))


def get(client, url):
    response = client.get(url)
    if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
        return None
    return response.content.decode()


@pytest.mark.parametrize("name", PAGES)
def test_every_page_names_its_links_landmarks_forms_and_groups(request, seeded_plans, name):
    users = {role: request.getfixturevalue(role) for role in ROLES}
    url_of, _body, _expected = MATRIX[name]
    url = url_of()
    failures = []
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        html = get(client, url)
        if html is not None:
            failures += [f"{role}: {problem}" for problem in problems(html)]
    assert not failures, f"{url}:\n" + "\n".join(failures)


def test_a_measure_with_several_dates_names_each_update_link(client, seeded_plans, coordinator):
    several = measure("9")
    client.force_login(coordinator)
    document = lxml.html.document_fromstring(client.get(several.get_absolute_url()).content)
    names = [
        accessible_name(link, document)
        for link in document.xpath("//a[starts-with(normalize-space(), 'Oppdater status')]")
    ]
    assert len(names) > 1
    assert len(set(names)) == len(names), names
    for occ in several.milestones.get().occurrences.all():
        assert f"Oppdater status: {occ.milestone.text}, {occ.due_label}" in names
    assert problems(client.get(several.get_absolute_url()).content.decode()) == []


def test_the_checker_finds_what_it_should():
    """The checker fails where it must (a test that cannot fail proves nothing)."""
    html = """<html><body>
      <a href="/a/">Endre</a><a href="/b/">Endre</a>
      <a href="/c/">Slett<span class="visually-hidden"> c</span></a>
      <a href="/d/">Slett<span class="visually-hidden"> d</span></a>
      <nav aria-label="Sider"></nav><nav aria-label="Sider"></nav>
      <main><form><input name="q"></form><form aria-label="Søk"><input name="q"></form></main>
      <label for="">Mål</label>
      <input type="checkbox" name="goals"><input type="checkbox" name="goals">
      <fieldset><legend>Roller</legend><input type="radio" name="r"><input type="radio" name="r">
      </fieldset></body></html>"""
    found = problems(html)
    assert len(found) == 5, found
    assert "links named 'endre' lead to 2 places" in found[0]
    assert "nav elements" in found[1]
    assert "form elements" in found[2]
    assert "label 'Mål' points at nothing" in found[3]
    assert "choices of 'goals'" in found[4]


def test_the_goals_of_the_measure_form_are_a_fieldset_with_a_legend(
    client, seeded_plans, coordinator
):
    client.force_login(coordinator)
    html = client.get(reverse("tiltak:measure-update", args=[occurrence().milestone.measure_id]))
    document = lxml.html.document_fromstring(html.content)
    fieldset = document.xpath("//input[@name='goals']/ancestor::fieldset[1]")
    assert fieldset, "the goals are not in a fieldset"
    assert fieldset[0].xpath("normalize-space(legend)").startswith("Mål")
    assert not document.xpath("//label[@for='']")


def _finalised(round, version=1):
    """A finalised version of `round` with a CSV and a PDF file, made directly."""
    report = build_report(plan=round.plan, year=round.year, round=round, version=version)
    final = FinalReport.objects.create(
        round=round,
        version=version,
        content=report.as_dict(),
        checksum="0" * 64,
        finalised_by=round.opened_by,
        finalised_at=f"{round.year}-09-30T12:00:00Z",
    )
    for fmt in ("csv", "pdf"):
        FinalReportFile.objects.create(report=final, format=fmt, data=b"x", checksum="0" * 64)
    round.state = ReportRound.State.FINALISED
    round.save()
    return final


def test_pages_with_many_items_name_each_link(
    request, ready_round, coordinator, directorate_user, reader, admin_user
):
    """Beyond the matrix's pages: lists long enough to repeat their links, editing shown."""
    plan = ready_round.plan
    several = measure("6")  # four milestones
    make_user("endres", Role.READER)
    pages = {
        "coordinator": [
            "/",
            ready_round.get_absolute_url(),
            reverse("rapportering:report-contributions", args=[ready_round.pk]),
            f"{several.get_absolute_url()}?rediger=1",
            f"{plan.get_absolute_url()}?rediger=1",
            reverse("rapportering:overview"),
            reverse("tiltak:measure-list"),
        ],
        "directorate_user": [
            "/",
            reverse("tiltak:my-directorate"),
            reverse("rapportering:report-contributions", args=[ready_round.pk]),
        ],
        "admin_user": [reverse("tiltak:user-list")],
    }
    failures = []
    for role, urls in pages.items():
        client = Client()
        client.force_login(request.getfixturevalue(role))
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            failures += [f"{role} {url}: {p}" for p in problems(response.content.decode())]

    # A reader's front page lists the finalised reports, each with its files.
    _finalised(ready_round)
    _finalised(open_round(plan, coordinator, year=2018))
    client = Client()
    client.force_login(reader)
    html = client.get("/").content.decode()
    failures += [f"reader /: {p}" for p in problems(html)]
    document = lxml.html.document_fromstring(html)
    pdf_links = [
        accessible_name(a, document)
        for a in document.xpath("//a[starts-with(normalize-space(), 'PDF')]")
    ]
    assert len(pdf_links) == 2, pdf_links
    assert not failures, "\n".join(failures)
