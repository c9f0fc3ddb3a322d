"""The language of parts (WCAG 3.1.2) and dates in the English pages: the plans' Norwegian
texts are marked lang="nb" where the page is in English, and nowhere in the Norwegian pages;
English dates are day first ("29 Nov 2026", "29.11.2026"), never American."""

import re
from datetime import date, datetime

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from tests.factories import measure, open_round

pytestmark = pytest.mark.django_db

TITLE_3 = "Regelverksendringer for å forbedre arbeidsprosessene der det er behov"


def measure_page(client, number, language):
    client.cookies["django_language"] = language
    return client.get(reverse("tiltak:measure-detail", args=[measure(number).pk])).content.decode()


def marked_elements(page):
    """The names of the elements that carry lang="nb"."""
    return re.findall(r'<(\w+)\b[^>]*\slang="nb"', page)


def test_the_english_measure_page_marks_its_norwegian_texts(client, seeded_plans, reader):
    client.force_login(reader)

    page = measure_page(client, "3", "en")

    assert '<html lang="en"' in page
    assert f'Measure 3: <span lang="nb">{TITLE_3}</span></h1>' in page
    assert '<div class="prose" lang="nb"><p>' in page  # the purpose, paragraphs and all
    milestone = measure("3").milestones.first()
    assert f'<caption><span lang="nb">{milestone.text}</span>' in page
    assert '<dd><span lang="nb">' in page  # the part
    assert '<span lang="nb">IMDi</span> – contributes' in page


def test_the_norwegian_measure_page_has_no_language_marks_of_its_own(client, seeded_plans, reader):
    client.force_login(reader)

    page = measure_page(client, "3", "nb")

    assert f"Tiltak 3: {TITLE_3}</h1>" in page
    assert marked_elements(page) == ["html", "option"]  # the page, and Norsk in the switch


def test_the_english_status_form_and_work_lists_mark_the_milestone(
    client, reported, directorate_user
):
    client.force_login(directorate_user)
    client.cookies["django_language"] = "en"

    page = client.get(reverse("tiltak:my-directorate")).content.decode()

    assert '<span lang="nb">' in page
    assert not re.search(r'="[^"]*<span lang', page)  # never inside an attribute


def test_the_filter_escapes_and_keeps_what_is_already_safe():
    template = Template(
        "{% load content_language %}{{ text|nb }}|{{ text|linebreaksbr|nb }}|<p{% nb_lang %}>"
    )
    context = Context({"text": "a <b>\nc"})
    with translation.override("en"):
        english = template.render(context)
    with translation.override("nb"):
        norwegian = template.render(context)

    assert english == (
        '<span lang="nb">a &lt;b&gt;\nc</span>|<span lang="nb">a &lt;b&gt;<br>c</span>|'
        '<p lang="nb">'
    )
    assert norwegian == "a &lt;b&gt;\nc|a &lt;b&gt;<br>c|<p>"


def test_english_dates_are_day_first():
    day, moment = date(2026, 11, 29), datetime(2026, 11, 29, 14, 5)
    with translation.override("en"):
        assert date_format(day) == "29 Nov 2026"
        assert date_format(day, "SHORT_DATE_FORMAT") == "29.11.2026"
        assert date_format(moment, "DATETIME_FORMAT") == "29 Nov 2026 14:05"
        assert date_format(moment, "SHORT_DATETIME_FORMAT") == "29.11.2026 14:05"


def test_the_english_pages_write_no_american_dates(client, reported, coordinator):
    round = open_round(reported, coordinator)
    client.force_login(coordinator)
    client.cookies["django_language"] = "en"

    round_page = client.get(round.get_absolute_url()).content.decode()
    measure_6 = client.get(reverse("tiltak:measure-detail", args=[measure("6").pk]))
    page = round_page + measure_6.content.decode()

    assert "1 Sep 2019" in round_page  # the internal deadline, DATE_FORMAT
    assert "31.03.2020 (first planned" in page  # a due label, SHORT_DATE_FORMAT
    assert not re.search(r"\b\d{1,2}/\d{1,2}/\d{4}\b", page)
    assert not re.search(r"\b(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\. \d", page)
