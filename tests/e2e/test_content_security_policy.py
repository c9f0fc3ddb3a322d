"""The pages work under their Content Security Policy: the browser blocks nothing."""

import pytest

from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD
from tiltak.models import Measure

pytestmark = pytest.mark.django_db(transaction=True)


def test_no_page_breaks_its_content_security_policy(
    browser, live_server, seeded_plans, coordinator
):
    context = browser.new_context(base_url=live_server.url, locale="nb-NO")  # CSP enforced
    page = context.new_page()
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    measure = Measure.objects.get(plan__slug="handlingsplan-2018-2020", number="8")

    sign_in(page, "koordinator", PASSWORD)
    for url in ["/", "/planer/", "/tiltak/", "/oversikt/", "/oversikt/tidslinje/", "/rapport/"]:
        page.goto(url)
    page.goto(measure.get_absolute_url())
    page.get_by_role("link", name="Oppdater status").click()  # htmx swaps the form in
    page.get_by_role("button", name="Lagre status").wait_for()
    assert page.evaluate("typeof htmx") == "object"  # the site's own scripts did load
    page.goto("/admin/")

    assert violations == []
    context.close()
