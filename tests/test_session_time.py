"""Session time (WCAG 2.2.1, ASVS V7.3): the idle and absolute timeouts enforced by the server,
the status and extend endpoints, and a form sent after the end kept through signing in again.

Time is moved by editing the session's stored timestamps, not by waiting."""

import json
import time

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, measure, occurrence
from tiltak.form_refill import refill
from tiltak.models import Measure
from tiltak.session_time import KEPT, LAST_SEEN, SIGNED_IN_AT

pytestmark = pytest.mark.django_db

IDLE = settings.SESSION_IDLE_TIMEOUT
ABSOLUTE = settings.SESSION_ABSOLUTE_TIMEOUT


def set_times(client, *, idle_for=0, signed_in_for=0):
    """As if the last request was `idle_for` seconds ago and the sign-in `signed_in_for`."""
    session = client.session
    now = time.time()
    session[LAST_SEEN] = now - idle_for
    session[SIGNED_IN_AT] = now - max(signed_in_for, idle_for)
    session.save()


def signed_in(client):
    return "_auth_user_id" in client.session


@pytest.fixture
def client(client):
    """In English, so that the tests read the messages as written in the code."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_defaults_are_30_minutes_idle_and_a_working_day_at_most():
    assert (IDLE, ABSOLUTE, settings.SESSION_WARNING_BEFORE) == (1800, 28800, 300)


def test_signing_in_starts_both_clocks(client, coordinator):
    client.post(reverse("login"), {"username": "koordinator", "password": PASSWORD})

    session = client.session
    assert time.time() - 5 < session[SIGNED_IN_AT] == session[LAST_SEEN] <= time.time()


def test_a_session_idle_too_long_is_signed_out(client, seeded_plans, coordinator):
    client.force_login(coordinator)
    set_times(client, idle_for=IDLE - 60)
    assert client.get(reverse("tiltak:plan-list")).status_code == 200

    set_times(client, idle_for=IDLE + 1)
    response = client.get(reverse("tiltak:plan-list"), follow=True)

    assert response.redirect_chain[0][0].startswith(f"{reverse('login')}?next=")
    assert not signed_in(client)
    assert "You were signed out because you were inactive too long." in response.content.decode()


def test_a_session_past_its_maximum_is_signed_out_though_active(client, seeded_plans, coordinator):
    client.force_login(coordinator)
    set_times(client, idle_for=0, signed_in_for=ABSOLUTE - 60)
    assert client.get(reverse("tiltak:plan-list")).status_code == 200

    set_times(client, idle_for=0, signed_in_for=ABSOLUTE + 1)
    response = client.get(reverse("tiltak:plan-list"))

    assert response.status_code == 302
    assert not signed_in(client)


def test_every_request_starts_the_idle_time_again(client, seeded_plans, coordinator):
    client.force_login(coordinator)
    set_times(client, idle_for=IDLE - 60, signed_in_for=IDLE)

    client.get(reverse("tiltak:plan-list"))

    assert time.time() - client.session[LAST_SEEN] < 5
    assert time.time() - client.session[SIGNED_IN_AT] >= IDLE  # the maximum counts on


def test_the_page_is_told_the_time_left(client, seeded_plans, coordinator):
    client.force_login(coordinator)

    page = client.get(reverse("tiltak:plan-list")).content.decode()

    assert 'role="alertdialog"' in page
    assert f'data-idle="{IDLE}"' in page or f'data-idle="{IDLE - 1}"' in page
    assert 'data-warning="300"' in page


def test_asking_the_time_left_does_not_extend_the_session(client, coordinator):
    client.force_login(coordinator)
    set_times(client, idle_for=600)

    answer = client.get(reverse("tiltak:session-status")).json()

    assert IDLE - 605 <= answer["idle"] <= IDLE - 600
    assert answer["warning"] == 300
    assert time.time() - client.session[LAST_SEEN] >= 600


def test_stay_signed_in_extends_the_session_but_not_past_its_maximum(client, coordinator):
    client.force_login(coordinator)
    set_times(client, idle_for=IDLE - 120, signed_in_for=ABSOLUTE - 600)

    answer = client.post(reverse("tiltak:session-extend")).json()

    assert answer["idle"] >= IDLE - 5
    assert 595 <= answer["absolute"] <= 600
    assert time.time() - client.session[LAST_SEEN] < 5
    assert client.get(reverse("tiltak:session-extend")).status_code == 405


def test_stay_signed_in_needs_the_csrf_token(coordinator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)

    assert client.post(reverse("tiltak:session-extend")).status_code == 403


def test_stay_signed_in_after_the_end_is_refused(client, coordinator):
    client.force_login(coordinator)
    set_times(client, idle_for=IDLE + 1)

    response = client.post(reverse("tiltak:session-extend"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not signed_in(client)
    assert KEPT not in client.session  # nothing typed to keep


# A form sent after the end keeps what was typed.


def measure_form(**changes):
    m = measure()
    return {
        "number": m.number,
        "title": m.title,
        "part": m.part_id,
        "position": m.position,
        "purpose": m.purpose,
        "contributions": m.contributions,
        "goals": list(m.goals.values_list("pk", flat=True)),
        **changes,
    }


TYPED = 'Et nytt formål\nover to linjer, med <b>tegn</b> & "sitater"'


def send_after_the_end(client, user):
    client.force_login(user)
    url = reverse("tiltak:measure-update", args=[measure().pk])
    client.get(url)
    set_times(client, idle_for=IDLE + 1)
    response = client.post(url, measure_form(purpose=TYPED), HTTP_REFERER=f"http://testserver{url}")
    return url, response


def test_a_form_sent_after_the_end_is_filled_in_again_after_signing_in(
    client, seeded_plans, coordinator
):
    before = measure().purpose
    url, response = send_after_the_end(client, coordinator)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"
    assert Measure.objects.get(pk=measure().pk).purpose == before  # not saved
    signing_in = client.get(response["Location"]).content.decode()
    assert "What you typed has been kept, not saved." in signing_in

    signed = client.post(
        reverse("login"), {"username": "koordinator", "password": PASSWORD, "next": url}
    )
    assert signed["Location"] == url
    page = client.get(url).content.decode()

    assert "&lt;b&gt;tegn&lt;/b&gt; &amp; &quot;sitater&quot;" not in page  # a textarea's text
    assert 'over to linjer, med &lt;b&gt;tegn&lt;/b&gt; &amp; "sitater"</textarea>' in page
    assert "it is not saved yet" in page
    assert Measure.objects.get(pk=measure().pk).purpose == before  # still not saved
    # Once only: the next visit shows what is saved.
    assert "over to linjer" not in client.get(url).content.decode()


def test_a_kept_form_is_not_shown_to_another_user(client, seeded_plans, coordinator, admin_user):
    url, _response = send_after_the_end(client, coordinator)

    client.post(reverse("login"), {"username": "administrator", "password": PASSWORD, "next": url})

    assert KEPT not in client.session
    assert "over to linjer" not in client.get(url).content.decode()


def test_a_form_is_kept_also_when_sent_after_the_page_saw_the_end(
    client, seeded_plans, coordinator
):
    """The warning's own check may sign out first; a form sent after that is kept as well."""
    client.force_login(coordinator)
    url = reverse("tiltak:measure-update", args=[measure().pk])
    set_times(client, idle_for=IDLE + 1)
    client.get(reverse("tiltak:session-status"))  # signed out here
    assert not signed_in(client)

    client.post(url, measure_form(purpose=TYPED), HTTP_REFERER=f"http://testserver{url}")

    assert client.session[KEPT]["data"]["purpose"] == [TYPED]


def test_passwords_and_the_csrf_token_are_never_kept(seeded_plans, coordinator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    url = reverse("password-change")
    token = client.get(url).context["csrf_token"]
    set_times(client, idle_for=IDLE + 1)

    client.post(
        url,
        {
            "csrfmiddlewaretoken": str(token),
            "old_password": PASSWORD,
            "new_password1": "x",
            "new_password2": "x",
        },
    )

    assert KEPT not in client.session  # nothing else was typed


def test_a_forged_form_is_not_kept(seeded_plans, coordinator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    url = reverse("tiltak:measure-update", args=[measure().pk])
    set_times(client, idle_for=IDLE + 1)

    response = client.post(url, measure_form(purpose=TYPED))

    assert response.status_code == 403
    assert KEPT not in client.session


def test_a_form_in_place_sends_the_whole_page_to_sign_in(client, seeded_plans, directorate_user):
    client.force_login(directorate_user)
    url = reverse("tiltak:occurrence-status", args=[occurrence().pk])
    set_times(client, idle_for=IDLE + 1)

    response = client.post(
        url,
        {"version": 0, "status": "completed", "comment": "Ferdig i går"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 204
    assert response["HX-Redirect"] == f"{reverse('login')}?next={url}"
    assert client.session[KEPT]["data"]["comment"] == ["Ferdig i går"]


# Filling a page's form in again.

PAGE = """<!DOCTYPE html><html><body><main id="main">
<form method="get" action="/sok/"><input name="title" value="søk"></form>
<form method="post" action="/endre/">
<input type="hidden" name="csrfmiddlewaretoken" value="ny">
<input name="title" value="gammel" maxlength="20">
<input type="password" name="secret" value="">
<textarea name="purpose" rows="3">
gammel</textarea>
<select name="part"><option value="1" selected>En</option><option value="2">To</option></select>
<input type="checkbox" name="goals" value="7" checked><input type="checkbox" name="goals" value="8">
<input type="radio" name="kind" value="a" checked><input type="radio" name="kind" value="b">
</form></main></body></html>"""


def refilled(data, action="/endre/"):
    from django.http import HttpResponse

    response = HttpResponse(PAGE)
    found = refill(response, "/side/", action, data, "<p>NOTICE</p>")
    return found, response.content.decode()


def test_refill_fills_the_fields_of_the_forms_posting_to_the_address():
    found, page = refilled(
        {
            "title": ['ny "tittel"'],
            "secret": ["hemmelig"],
            "csrfmiddlewaretoken": ["gammel"],
            "purpose": ["\nny <tekst>"],
            "part": ["2"],
            "goals": ["8"],
            "kind": ["b"],
        }
    )

    assert found
    assert '<main id="main"><p>NOTICE</p>' in page
    assert '<input name="title" value="søk">' in page  # another form: untouched
    assert '<input name="title" maxlength="20" value="ny &quot;tittel&quot;">' in page
    assert 'name="secret" value=""' in page
    assert "hemmelig" not in page
    assert 'name="csrfmiddlewaretoken" value="ny"' in page
    assert '<textarea name="purpose" rows="3">\n\nny &lt;tekst&gt;</textarea>' in page
    assert '<option value="1">En</option><option value="2" selected>To</option>' in page
    assert '<input type="checkbox" name="goals" value="7">' in page
    assert '<input type="checkbox" name="goals" value="8" checked>' in page
    assert '<input type="radio" name="kind" value="b" checked>' in page


def test_refill_leaves_a_page_without_the_form_as_it_was():
    found, page = refilled({"title": ["ny"]}, action="/annet/")

    assert not found
    assert page == PAGE


def test_the_status_answer_is_json_with_no_store(client, coordinator):
    client.force_login(coordinator)

    response = client.get(reverse("tiltak:session-status"))

    assert set(json.loads(response.content)) == {"idle", "absolute", "warning"}
    assert "no-store" in response["Cache-Control"]
