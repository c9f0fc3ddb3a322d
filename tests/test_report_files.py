"""The report's PDF and Word files read back as a reader's tools read them: the PDF tagged, in
Norwegian and titled, the charts in both with their figures as text, Word's headings in heading
styles, and a title page that names the plan once and keeps a period such as 2018–2020 on one
line."""

import dataclasses
import io
import itertools
import re
import subprocess

import pytest
from django.core.management import call_command
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from rapportering.exports import in_report_language, report_docx, report_pdf
from rapportering.report import build_report
from tests.factories import deliver_contributions, open_round

pytestmark = pytest.mark.django_db

PLAN = "handlingsplan-2018-2020"
PLAN_NAME = "Handlingsplan Bolig for velferd 2018–2020"
TITLE = f"Felles rapport om status og avvik 2019 – {PLAN_NAME}"
# Titles whose line would break after the dash of 2018–2020, were it allowed to: (version,
# plan name).
BREAKING_TITLES = [
    (1, PLAN_NAME),
    (None, "Handlingsplan for Bolig for velferd i kommunene og fylkene 2018–2020"),
    (None, "Handlingsplan Bolig for velferd, tiltak for barnefamilier 2018–2020"),
    (None, "Handlingsplan Bolig for velferd for de mest vanskeligstilte 2018–2020"),
]
BARE_PERIOD = re.compile(r"\d{4}[-–]\d{4}")
WORD_JOINER = "\u2060"


@pytest.fixture
def report(reported):
    """The 2019 report of the 2018–2020 plan as a finalised version would be (version 1)."""
    with in_report_language():
        return build_report(plan=reported, year=2019, version=1)


@pytest.fixture
def contributed(reported, coordinator):
    """The 2019 round with every directorate's contribution delivered."""
    deliver_contributions(open_round(reported, coordinator), coordinator)
    return reported


def render(renderer, report, **changes):
    with in_report_language():
        return renderer(dataclasses.replace(report, **changes))


def draft_file(tmp_path, fmt):
    """The draft as export_report writes it."""
    path = tmp_path / f"rapport.{fmt}"
    call_command("export_report", PLAN, "2019", "--format", fmt, "--output", str(path), verbosity=0)
    return path


def pdfinfo(path):
    """What poppler's pdfinfo says of the file, as a dict."""
    output = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return {
        key.strip(): value.strip()
        for key, value in (line.split(":", 1) for line in output.stdout.splitlines())
    }


def structure(reader):
    """The PDF's structure elements, in reading order: (type, alternative text)."""
    elements = []

    def walk(node):
        node = node.get_object()
        if isinstance(node, dict) and node.get("/Type") == "/StructElem":
            elements.append((str(node["/S"]), node.get("/Alt")))
            for kid in node.get("/K", []):
                walk(kid)

    for kid in reader.trailer["/Root"]["/StructTreeRoot"]["/K"]:
        walk(kid)
    return elements


def chart_texts(report):
    """What each chart shows, as the alternative text should say it."""
    return [
        f"{chart.title}: " + "; ".join(f"{t.label}: {t.count}" for t in chart.tallies)
        for chart in report.charts
    ]


def first_page_lines(pdf):
    return PdfReader(io.BytesIO(pdf)).pages[0].extract_text().splitlines()


@pytest.mark.parametrize("version", [None, 1], ids=["draft", "finalised"])
def test_the_pdf_is_tagged_in_norwegian_and_titled(tmp_path, report, version):
    path = tmp_path / "rapport.pdf"
    path.write_bytes(render(report_pdf, report, version=version))
    title = TITLE if version else f"UTKAST: {TITLE}"

    info = pdfinfo(path)
    assert info["Tagged"] == "yes"
    assert info["Title"] == title
    reader = PdfReader(path)
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "nb"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"]  # viewers show it, not the file name
    assert reader.xmp_metadata.dc_title["x-default"] == title
    kinds = [kind for kind, _ in structure(reader)]
    assert kinds.count("/H1") == 1
    assert kinds.count("/H2") >= 6  # the contents and the five sections
    assert "/Table" in kinds


def test_the_pdf_of_export_report_is_tagged(tmp_path, reported):
    info = pdfinfo(draft_file(tmp_path, "pdf"))

    assert info["Tagged"] == "yes"
    assert info["Title"] == f"UTKAST: {TITLE}"


def test_the_pdf_charts_are_figures_that_say_their_figures(report):
    reader = PdfReader(io.BytesIO(render(report_pdf, report)))

    figures = [alt for kind, alt in structure(reader) if kind == "/Figure"]
    assert figures == chart_texts(report)
    assert figures[0].startswith("Milepæler etter status: Ikke startet: ")
    assert "Rød: avvik: 1" in figures[1]  # measure 6's red assessment


def test_the_word_file_has_both_charts_as_pictures_with_their_figures_as_text(report):
    document = Document(io.BytesIO(render(report_docx, report)))

    pictures = document.inline_shapes
    assert len(pictures) == 2
    for picture, chart, text in zip(pictures, report.charts, chart_texts(report), strict=True):
        properties = picture._inline.docPr
        assert properties.get("title") == chart.title
        assert properties.get("descr") == text
        blip = picture._inline.graphic.graphicData.pic.blipFill.blip
        image = document.part.related_parts[blip.embed]
        assert image.content_type == "image/png"
        assert image.blob.startswith(b"\x89PNG")
    assert "Ikke startet: " in pictures[0]._inline.docPr.get("descr")


def test_the_word_file_has_headings_in_heading_styles_and_no_level_skipped(contributed):
    with in_report_language():
        document = Document(io.BytesIO(report_docx(build_report(plan=contributed, year=2019))))

    levels = [
        int(p.style.name.removeprefix("Heading "))
        for p in document.paragraphs
        if p.style.name.startswith("Heading ")
    ]
    assert levels[0] == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), levels
    by_style = {}
    for paragraph in document.paragraphs:
        by_style.setdefault(paragraph.style.name, []).append(paragraph.text)
    assert "Milepæler etter status" in by_style["Heading 2"]
    assert "Vurdering av status og måloppnåelse" in by_style["Heading 4"]
    assert "Avvik og hvordan de håndteres" in by_style["Heading 4"]
    bold_only = [p.text for p in document.paragraphs if p.runs and all(r.bold for r in p.runs)]
    assert bold_only == []


def test_the_word_file_is_in_norwegian(report):
    document = Document(io.BytesIO(render(report_docx, report)))

    defaults = document.styles.element.find(qn("w:docDefaults"))
    language = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:lang"))
    assert language.get(qn("w:val")) == "nb-NO"
    assert document.core_properties.language == "nb-NO"
    assert document.core_properties.title == TITLE  # without word joiners


def test_the_pdf_title_page_names_the_plan_once(report):
    page = " ".join(" ".join(first_page_lines(render(report_pdf, report))).split())

    assert page.count("Handlingsplan Bolig for velferd") == 1


def test_the_word_title_page_names_the_plan_once_and_holds_its_period_together(report):
    document = Document(io.BytesIO(render(report_docx, report)))

    title_page = []
    for paragraph in document.paragraphs:
        if paragraph.style.name == "Heading 1":
            break
        title_page.append(paragraph.text)
    text = "\n".join(title_page)
    assert text.replace(WORD_JOINER, "").count(PLAN_NAME) == 1
    assert f"2018{WORD_JOINER}–{WORD_JOINER}2020" in text
    assert not BARE_PERIOD.search(text)


@pytest.mark.parametrize(("version", "plan_name"), BREAKING_TITLES)
def test_the_pdf_title_never_breaks_a_period(report, version, plan_name):
    lines = first_page_lines(render(report_pdf, report, version=version, plan=plan_name))

    assert not [line for line in lines if re.search(r"\d{4}[-–]$", line)], lines
    assert any("2018–2020" in line for line in lines), lines
    assert any("(2014–2020)" in line for line in lines), lines
