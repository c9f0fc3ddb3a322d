"""A form that comes back with errors (WCAG 2.4.3, 3.3.1): 422, a page title that begins
"Feil:" ("Error:" in English) so that a screen reader says so first, and an error summary at
the top of the form, which app.js focuses (see tests/e2e/test_error_focus.py)."""

import re

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, contribution_url, open_round

pytestmark = pytest.mark.django_db

PREFIX = {"nb": "Feil: ", "en": "Error: "}


def title(response):
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1)


def assert_failed(response, language="nb"):
    assert response.status_code == 422
    assert title(response).startswith(PREFIX[language])
    page = response.content.decode()
    assert page.count('class="ds-error-summary" role="alert" tabindex="-1"') == 1


@pytest.mark.parametrize("language", ["nb", "en"])
def test_a_refused_sign_in_says_error_in_the_title_and_sums_it_up(client, coordinator, language):
    client.cookies["django_language"] = language

    response = client.post(reverse("login"), {"username": "koordinator", "password": "feil"})

    assert_failed(response, language)
    page = response.content.decode()
    assert 'aria-invalid="true" aria-describedby="form-errors"' in page
    assert "_auth_user_id" not in client.session


def test_an_empty_sign_in_names_each_field_in_the_summary_and_by_the_field(client, db):
    response = client.post(reverse("login"), {"username": "", "password": ""})

    assert_failed(response)
    page = response.content.decode()
    for field in ("username", "password"):
        assert f'<a class="ds-link" href="#id_{field}">' in page
        assert f'id="id_{field}_error">' in page
        assert f'aria-describedby="id_{field}_error"' in page


def test_a_signed_in_page_and_a_good_sign_in_say_no_error(client, coordinator):
    assert not title(client.get(reverse("login"))).startswith(PREFIX["nb"])
    response = client.post(
        reverse("login"), {"username": "koordinator", "password": PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert not title(response).startswith(PREFIX["nb"])
    assert "ds-error-summary" not in response.content.decode()


def test_a_plan_saved_without_a_title(client, seeded_plans, coordinator):
    client.force_login(coordinator)
    url = reverse("tiltak:plan-update", args=["handlingsplan-2018-2020"])
    form = client.get(url)
    assert not title(form).startswith(PREFIX["nb"])

    response = client.post(
        url, {"title": "", "slug": "handlingsplan-2018-2020", "start": "", "end": ""}
    )

    assert_failed(response)


def test_a_contribution_delivered_without_its_assessment(
    client, reported, coordinator, directorate_user
):
    round = open_round(reported, coordinator)
    client.force_login(directorate_user)
    empty = {"status_assessment": "", "deviation_handling": "", "challenges": "", "lever": "1"}

    response = client.post(contribution_url(round, "6", "AVdir"), empty)

    assert_failed(response)


def test_a_compilation_over_its_length(client, reported, coordinator):
    round = open_round(reported, coordinator)
    client.force_login(coordinator)

    response = client.post(
        reverse("rapportering:report-compile", args=[round.pk]),
        {"summary": "x" * 10_001, "challenges": "", "challenge_actions": ""},
    )

    assert_failed(response)


@pytest.mark.parametrize("language", ["nb", "en"])
def test_a_user_created_without_a_name(client, seeded_plans, admin_user, language):
    client.force_login(admin_user)
    client.cookies["django_language"] = language

    response = client.post(reverse("tiltak:user-create"), {"username": "", "role": "reader"})

    assert_failed(response, language)


def test_a_password_change_with_the_wrong_password(client, coordinator):
    client.force_login(coordinator)

    response = client.post(
        reverse("password-change"),
        {"old_password": "feil", "new_password1": "x", "new_password2": "x"},
    )

    assert_failed(response)


def test_a_report_that_cannot_be_finalised_yet_says_error_and_marks_its_alert(
    client, reported, coordinator
):
    round = open_round(reported, coordinator)
    client.force_login(coordinator)
    url = reverse("rapportering:report-finalise", args=[round.pk])

    shown, refused = client.get(url), client.post(url)

    assert not title(shown).startswith(PREFIX["nb"])
    assert "data-focus-on-load" not in shown.content.decode()
    assert refused.status_code == 422
    assert title(refused).startswith(PREFIX["nb"])
    assert 'role="alert" tabindex="-1" data-focus-on-load' in refused.content.decode()
