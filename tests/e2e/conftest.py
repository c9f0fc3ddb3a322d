"""Browser tests: Playwright driving Debian's Chromium, with two rule engines (axe-core and IBM's
Equal Access engine, accessibility-checker-engine) on every page visited.

They skip where /usr/bin/chromium is missing, unless CI is set: in CI they must run.
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = Path(__file__).resolve().parent.parent / "vendor" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
ACE = AXE.with_name("ace.js")
ACE_POLICY = "WCAG_2_1"  # IBM's rule set for WCAG 2.1 A and AA
# IBM's results carry [VIOLATION|RECOMMENDATION|INFORMATION, FAIL|POTENTIAL|MANUAL|PASS]; the
# checker's tools call them "violation", "potentialviolation", "recommendation" and so on.
ACE_RUN = """async policy => {
    const report = await new ace.Checker().check(document, [policy]);
    const levels = {FAIL: "", POTENTIAL: "potential", MANUAL: "manual"};
    return report.results
        .filter(r => r.value[1] !== "PASS")
        .map(r => ({
            level: r.value[1] === "MANUAL" ? "manual" : levels[r.value[1]] + r.value[0].toLowerCase(),
            rule: r.ruleId,
            message: r.message,
            path: r.path.dom,
            snippet: r.snippet,
        }));
}"""

# Playwright's sync API runs an event loop in this thread; the test's own database
# work stays synchronous, so Django's guard against async use does not apply.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing in CI: .ci/run should have installed it")
        pytest.skip("Chromium (/usr/bin/chromium) is not installed: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(bypass_csp=True, base_url=live_server.url, locale="nb-NO")
    page = context.new_page()
    yield page
    context.close()


def axe_violations(page):
    """axe-core's WCAG 2.1 A/AA violations on the page, one line each."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return [
        f"axe {v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']]}"
        for v in result["violations"]
    ]


def ace_results(page, levels=("violation",)):
    """IBM's engine on the page with its WCAG 2.1 rule set: the results of `levels`
    ("violation", "potentialviolation", "recommendation", "potentialrecommendation",
    "manual"), one line each."""
    if not page.evaluate("typeof ace !== 'undefined'"):
        page.add_script_tag(path=str(ACE))
    return [
        f"ace {r['rule']} ({r['level']}): {r['message']} — {r['path']} {r['snippet']}"
        for r in page.evaluate(ACE_RUN, ACE_POLICY)
        if r["level"] in levels
    ]


def assert_accessible(page):
    """Run axe-core and IBM's engine on the page and fail on any WCAG 2.1 A/AA violation
    either finds (IBM's "potential violations" and recommendations are left to people)."""
    problems = axe_violations(page) + ace_results(page)
    assert problems == [], f"{page.url}:\n" + "\n".join(problems)


def assert_no_sideways_scroll(page):
    """Reflow (WCAG 1.4.10): the page does not scroll sideways at its viewport's width."""
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{page.url} scrolls sideways: {width}"


def assert_accessible_and_fitting(page):
    """Neither rule engine finds anything, and the page does not scroll sideways."""
    assert_accessible(page)
    assert_no_sideways_scroll(page)


def sign_in(page, username, password):
    page.goto("/")
    page.get_by_label("Brukernavn").fill(username)
    page.get_by_label("Passord").fill(password)
    page.get_by_role("button", name="Logg inn").click()


@pytest.fixture
def final_reports_removed_after(transactional_db):
    """Finalised reports refuse DELETE in the database; a browser test that makes one removes
    it before the database is emptied for the next test, with the triggers lifted meanwhile."""
    yield
    from django.db import connection, transaction

    from rapportering.models import Dispatch, FinalReport, FinalReportFile
    from rapportering.records import install_sql, remove_sql

    with transaction.atomic(), connection.cursor() as cursor:
        for statement in remove_sql(connection.vendor):
            cursor.execute(statement)
        Dispatch.objects.all().delete()  # protects the version it records
        FinalReportFile.objects.all().delete()
        for final in FinalReport.objects.order_by(
            "-version"
        ):  # a correction before what it replaces
            final.delete()
        for statement in install_sql(connection.vendor):
            cursor.execute(statement, None)
