"""A finalised version's page and the record of its dispatch, in a real browser: the files
first, the form with its checkboxes in a fieldset, the error summary, the record on the page;
axe-core and no sideways scroll at 320 px on each."""

import re

import pytest

from rapportering.models import Dispatch
from rapportering.services import report_finalise
from tests.e2e.conftest import assert_accessible_and_fitting, sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("width", [1280, 320])
def test_a_coordinator_records_the_dispatch_of_a_version(
    page, ready_round, coordinator, final_reports_removed_after, width
):
    final = report_finalise(round_id=ready_round.pk, user=coordinator)
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, "koordinator", PASSWORD)

    page.goto(final.get_absolute_url())
    files = page.locator("#files a")
    assert [re.sub(r"\s+", " ", t) for t in files.all_inner_texts()] == [
        "Last ned PDF",
        "Last ned Word",
        "Last ned Excel",
        "Last ned CSV",
    ]
    assert re.fullmatch(
        r"\d+(,\d)?\xa0(KB|MB)", page.locator("#files .file-size").first.inner_text()
    )
    assert_accessible_and_fitting(page)

    page.locator("#dispatch a.ds-button").click()
    page.wait_for_url(re.compile(r"/utsendelse/$"))
    boxes = page.locator("fieldset input[type=checkbox]")
    assert boxes.count() == 5
    assert all(boxes.nth(i).is_checked() for i in range(5))
    assert_accessible_and_fitting(page)

    for i in range(5):
        boxes.nth(i).uncheck()
    page.locator("form.dispatch-form button[type=submit]").click()
    summary = page.locator(".ds-error-summary")
    assert summary.is_visible()
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "id_recipients_0"
    assert_accessible_and_fitting(page)

    page.get_by_label("Arbeids- og sosialdepartementet (ASD)").check()
    page.get_by_label("Kommunal- og moderniseringsdepartementet (KMD)").check()
    page.locator("#id_reference").fill("19/4711-3")
    page.locator("form.dispatch-form button[type=submit]").click()
    page.wait_for_url(re.compile(re.escape(final.get_absolute_url()) + "$"))
    assert "19/4711-3" in page.locator("#dispatch").inner_text()
    assert_accessible_and_fitting(page)
    assert list(Dispatch.objects.get().recipients.values_list("short_name", flat=True)) == [
        "ASD",
        "KMD",
    ]
    page.screenshot(path=f"/tmp/final-{width}.png", full_page=False)
