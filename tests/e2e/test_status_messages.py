"""Status messages (WCAG 4.1.3) and in-place updates (4.1.2) in a real browser: a save is said
once, in the live region of base.html, without moving focus, and its confirmation is in view
without scrolling, also at 320 px and when the page returns to the saved row further down."""

import re

import pytest

from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD, contribution_url, report_round
from tiltak.models import Measure

pytestmark = pytest.mark.django_db(transaction=True)

ANNOUNCER = "#announcer"
# Every live region of the page, but the announcer and the character counters' own.
OTHER_LIVE_REGIONS = """() => [...document.querySelectorAll(
  "[aria-live]:not(#announcer):not([id$='_counter_live']), [role='status'], [role='log']"
)].map((element) => element.outerHTML.slice(0, 120))"""
IN_VIEW = """(element) => {
  const box = element.getBoundingClientRect();
  return box.top >= 0 && box.left >= 0 && box.bottom <= window.innerHeight
    && box.right <= window.innerWidth && box.width > 0;
}"""


def announced(page):
    """What the live region says once the page has settled (it is filled a moment late)."""
    page.wait_for_function(
        "() => document.querySelector('#announcer').textContent !== ''", timeout=5000
    )
    page.wait_for_timeout(300)  # nothing more follows
    return page.locator(ANNOUNCER).inner_text()


def test_an_in_place_status_save_is_announced_once_in_the_live_region(
    page, seeded_plans, coordinator
):
    measure = Measure.objects.get(plan__slug="handlingsplan-2018-2020", number="8")
    sign_in(page, "koordinator", PASSWORD)
    page.goto(measure.get_absolute_url())
    assert page.locator(ANNOUNCER).inner_text() == ""

    page.get_by_role("link", name="Oppdater status").click()  # htmx: the form opens in place
    page.wait_for_function("document.activeElement.id === 'id_status'")
    # The swapped form is not inside a live region, which would read it whole.
    assert (
        page.locator("#id_status").evaluate(
            "field => field.closest('[aria-live], [role=status], [role=alert], [role=log]')"
        )
        is None
    )
    assert page.evaluate(OTHER_LIVE_REGIONS) == []

    # A failed save moves focus to the error summary, which is read: nothing more is said.
    page.get_by_label("Status Må fylles ut", exact=True).select_option("postponed")
    page.get_by_role("button", name="Lagre status").click()
    page.wait_for_function("document.activeElement.classList.contains('ds-error-summary')")
    page.wait_for_timeout(500)
    assert page.locator(ANNOUNCER).inner_text() == ""

    page.get_by_label("Status Må fylles ut", exact=True).select_option("completed")
    page.get_by_label("Vurdering").select_option("green")
    page.get_by_role("button", name="Lagre status").click()
    page.wait_for_url(re.compile(r"/tiltak/\d+/\?lagret=\d+#occurrence-\d+"))
    assert announced(page) == "Statusen er lagret."
    # Focus stays where the page put it: the live region takes nothing from it.
    assert page.evaluate("document.activeElement === document.body")


def test_after_a_save_the_confirmation_is_in_view_at_320_px(
    browser, live_server, seeded_plans, coordinator
):
    context = browser.new_context(
        base_url=live_server.url,
        locale="nb-NO",
        viewport={"width": 320, "height": 640},
        bypass_csp=True,
    )
    page = context.new_page()
    # Measure 9: one milestone a year, so the last one is far down the page.
    measure = Measure.objects.get(plan__slug="handlingsplan-2018-2020", number="9")
    last = list(measure.milestones.get().occurrences.all())[-1]
    sign_in(page, "koordinator", PASSWORD)
    page.goto(measure.get_absolute_url())
    # Chromium puts a space before the visually hidden part of the name ("Oppdater status : …").
    name = re.compile(rf"^Oppdater status ?: .*, {re.escape(last.due_label)}$")
    link = page.get_by_role("link", name=name)
    link.click()
    page.wait_for_function("document.activeElement.id === 'id_status'")
    page.get_by_label("Status Må fylles ut", exact=True).select_option("in_progress")
    page.get_by_label("Vurdering").select_option("green")
    page.get_by_role("button", name="Lagre status").click()

    page.wait_for_url(re.compile(rf"\?lagret={last.pk}#occurrence-{last.pk}$"))
    assert announced(page) == "Statusen er lagret."
    # The page returns to the saved row, far down: the row shows its own confirmation, in view.
    assert page.evaluate("window.scrollY") > 0
    saved = page.locator(f"#occurrence-{last.pk}").get_by_text("Lagret", exact=True)
    assert saved.evaluate(IN_VIEW), saved.evaluate("e => e.getBoundingClientRect().toJSON()")

    # The same row saved again from this very address: the page loads again and says it again.
    page.evaluate("window.before = true")
    page.locator(ANNOUNCER).evaluate("region => { region.textContent = ''; }")
    link.click()
    page.wait_for_function("document.activeElement.id === 'id_status'")
    page.get_by_label("Status Må fylles ut", exact=True).select_option("completed")
    page.get_by_role("button", name="Lagre status").click()
    page.wait_for_function("window.before === undefined")
    assert announced(page) == "Statusen er lagret."
    assert page.locator("#id_status").count() == 0  # the form is closed: the row shows it
    assert "Fullført" in page.locator(f"#occurrence-{last.pk}").inner_text()
    assert saved.evaluate(IN_VIEW), saved.evaluate("e => e.getBoundingClientRect().toJSON()")

    context.close()


def test_a_saved_contribution_is_confirmed_in_view_at_320_px(
    browser, live_server, seeded_plans, coordinator, directorate_user
):
    round = report_round()
    context = browser.new_context(
        base_url=live_server.url,
        locale="nb-NO",
        viewport={"width": 320, "height": 640},
        bypass_csp=True,
    )
    page = context.new_page()
    sign_in(page, "avdir", PASSWORD)
    page.goto(contribution_url(round, "6", "AVdir"))
    page.get_by_label("Vurdering av status").fill("Godt i gang")
    page.get_by_role("button", name="Lagre uten å levere").click()

    # Back on the list, at its top: the message is the first thing in main, in view.
    page.wait_for_url(re.compile(r"/bidrag/"))
    message = page.locator("main .ds-alert[role='status']")
    assert message.inner_text() == "Bidraget er lagret."
    assert message.evaluate(IN_VIEW), message.evaluate("e => e.getBoundingClientRect().toJSON()")
    assert page.locator(ANNOUNCER).inner_text() == ""  # read as part of the page, not again
    context.close()
