"""Security settings, sign-in throttling and escaping of what users write."""

import json
import os
import runpy
import subprocess
import sys
import time
from datetime import timedelta
from importlib import import_module

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, ROOT, open_round

pytestmark = pytest.mark.django_db

PRODUCTION_ENV = {
    "BOLIG_ENV": "production",
    "SECRET_KEY": "a-production-like-secret-key-of-sufficient-length-and-variety-9f8e7d6c5b4a",
    "DATABASE_URL": "sqlite:///:memory:",
    "ALLOWED_HOSTS": "bolig.example.no",
}


@pytest.fixture(autouse=True)
def _production_static_files(collected_static, monkeypatch):
    monkeypatch.setitem(PRODUCTION_ENV, "STATIC_ROOT", str(collected_static))


def run_in_production(*args):
    env = {**os.environ, **PRODUCTION_ENV}
    # Not what production has: the test settings module, and the browser tests' async switch.
    for name in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(name, None)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


def test_the_production_settings_pass_the_deployment_checks():
    result = run_in_production("manage.py", "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


HEADERS_SCRIPT = """
import json, django, os
os.environ["DJANGO_SETTINGS_MODULE"] = "bolig.settings"
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
response = Client().get("/login/", secure=True, headers={"host": "bolig.example.no"})
plain = Client().get("/login/", headers={"host": "bolig.example.no"})
print("ANSWER", json.dumps({"status": response.status_code, "headers": dict(response.headers),
                  "plain": plain.status_code, "location": plain.get("Location", "")}))
"""


def test_production_sends_hsts_csp_and_frame_options_and_redirects_to_https():
    result = run_in_production("-c", HEADERS_SCRIPT)
    # The answer's line, among the request log's lines (production logs every request).
    [line] = [line for line in result.stdout.splitlines() if line.startswith("ANSWER ")]
    answer = json.loads(line.removeprefix("ANSWER "))

    headers = answer["headers"]
    assert answer["status"] == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert (answer["plain"], answer["location"]) == (301, "https://bolig.example.no/login/")


def test_every_page_has_a_content_security_policy_without_inline_script_or_style(client):
    policy = client.get(reverse("login"))["Content-Security-Policy"]

    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"


def test_the_session_cookie_is_http_only_and_expires_after_a_working_day(client, coordinator):
    client.post(reverse("login"), {"username": "koordinator", "password": PASSWORD})

    cookie = client.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["max-age"] == 8 * 60 * 60


def sign_in(client, username, password, address="10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_repeated_failures_lock_out_that_user_from_that_address_only(
    client, coordinator, directorate_user
):
    for _attempt in range(4):
        assert sign_in(client, "avdir", "feil").status_code == 422
    assert sign_in(client, "avdir", "feil").status_code == 429  # the fifth locks

    locked = sign_in(client, "avdir", PASSWORD)

    assert locked.status_code == 429
    page = locked.content.decode()
    assert "For mange mislykkede innlogginger" in page
    assert "Prøv igjen om 15 minutter." in page
    assert "_auth_user_id" not in client.session
    # The same user from another address, and another user from the same address, still can.
    assert sign_in(client, "avdir", PASSWORD, address="10.0.0.2").status_code == 302
    client.logout()
    assert sign_in(client, "koordinator", PASSWORD).status_code == 302


def test_the_lockout_ends_after_the_cool_off(client, directorate_user, settings):
    settings.AXES_COOLOFF_TIME = timedelta(seconds=1)
    for _attempt in range(5):
        sign_in(client, "avdir", "feil")
    assert sign_in(client, "avdir", PASSWORD).status_code == 429

    time.sleep(1.2)

    assert sign_in(client, "avdir", PASSWORD).status_code == 302


@pytest.fixture
def behind_one_proxy(settings, monkeypatch):
    """The client-address settings that bolig/settings.py makes of AXES_PROXY_COUNT=1."""
    monkeypatch.setenv("AXES_PROXY_COUNT", "1")
    made = runpy.run_path(str(ROOT / "bolig" / "settings.py"))
    for name, value in made.items():
        if name.startswith(("AXES_IPWARE_", "IPWARE_")):
            setattr(settings, name, value)


PROXY = "10.0.0.1"
CLIENT_A, CLIENT_B = "203.0.113.10", "203.0.113.20"


def sign_in_forwarded(client, username, password, forwarded_for):
    """A sign-in relayed by the proxy, which appends the address it was reached from."""
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_behind_a_proxy_the_lockout_is_of_the_client_not_of_the_proxy(
    client, directorate_user, behind_one_proxy
):
    for _attempt in range(5):
        sign_in_forwarded(client, "avdir", "feil", CLIENT_A)
    # Client A is locked out, even when it writes another address into the header itself.
    assert sign_in_forwarded(client, "avdir", PASSWORD, CLIENT_A).status_code == 429
    spoofed = f"{CLIENT_B}, {CLIENT_A}"
    assert sign_in_forwarded(client, "avdir", PASSWORD, spoofed).status_code == 429

    # Client B, through the same proxy, signs in as the same user.
    assert sign_in_forwarded(client, "avdir", PASSWORD, CLIENT_B).status_code == 302


def test_without_a_proxy_a_client_cannot_dodge_the_lockout_with_a_forwarded_header(
    client, directorate_user
):
    for _attempt in range(5):
        sign_in_forwarded(client, "avdir", "feil", CLIENT_A)

    assert sign_in_forwarded(client, "avdir", PASSWORD, CLIENT_B).status_code == 429


def test_deactivating_a_user_in_the_admin_ends_their_sessions(client, admin_user, directorate_user):
    signed_in = Client()
    assert sign_in(signed_in, "avdir", PASSWORD).status_code == 302
    session_key = signed_in.session.session_key
    sessions = import_module(settings.SESSION_ENGINE).SessionStore
    assert sessions().exists(session_key)

    client.force_login(admin_user)
    change = reverse("admin:tiltak_user_change", args=[directorate_user.pk])
    response = client.post(
        change,
        {
            "username": "avdir",
            "first_name": "",
            "last_name": "",
            "email": "",
            # is_active left out: unticked
            "groups": [directorate_user.groups.get().pk],
            "directorate": directorate_user.directorate_id,
            "date_joined_0": "2026-01-01",
            "date_joined_1": "08:00:00",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors

    assert not sessions().exists(session_key)
    answer = signed_in.get(reverse("tiltak:plan-list"))
    assert answer.status_code == 302
    assert answer["Location"].startswith(reverse("login"))


PAYLOAD = '<script>alert("x")</script><b onmouseover="x()">fet</b>'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"


@pytest.fixture
def hostile_text(reported, coordinator, directorate_user, client):
    """Script and markup in every text a user can write: plans, measures, milestones,
    status and deviations, contributions and the report's compilation."""
    from tiltak.models import Measure, Occurrence, Part

    reported.title = f"Plan {PAYLOAD}"
    reported.source = PAYLOAD
    reported.save()
    Part.objects.filter(plan=reported).update(title=f"Del {PAYLOAD}")
    measure = Measure.objects.get(plan=reported, number="6")
    measure.title = f"Tiltak {PAYLOAD}"
    measure.save()
    occurrence = Occurrence.objects.filter(milestone__measure=measure, year=2019).first()
    milestone = occurrence.milestone
    milestone.text = f"Milepæl {PAYLOAD}"
    milestone.save()
    client.force_login(coordinator)
    response = client.post(
        reverse("tiltak:occurrence-status", args=[occurrence.pk]),
        {
            "version": occurrence.version,
            "status": "postponed",
            "comment": PAYLOAD,
            "deviation_cause": PAYLOAD,
            "deviation_consequence": PAYLOAD,
            "corrective_action": PAYLOAD,
            "new_date": "2020-06-30",
        },
    )
    assert response.status_code == 302
    round = open_round(reported, coordinator)
    client.post(
        reverse("rapportering:report-compile", args=[round.pk]),
        {"summary": PAYLOAD, "challenges": PAYLOAD, "challenge_actions": PAYLOAD},
    )
    url = reverse(
        "rapportering:contribution", args=[round.pk, measure.pk, directorate_user.directorate_id]
    )
    assert (
        client.post(
            url,
            {"status_assessment": PAYLOAD, "deviation_handling": PAYLOAD, "challenges": PAYLOAD},
        ).status_code
        == 302
    )
    return round, measure, occurrence, url


def test_script_and_markup_written_by_users_is_shown_as_text_on_every_page(client, hostile_text):
    round, measure, occurrence, contribution_url = hostile_text
    pages = [
        reverse("tiltak:plan-list"),
        round.plan.get_absolute_url(),
        reverse("tiltak:measure-list"),
        measure.get_absolute_url(),
        reverse("tiltak:occurrence-status", args=[occurrence.pk]),
        reverse("tiltak:my-directorate"),
        f"{reverse('rapportering:overview')}?plan={round.plan.slug}&ar=2019",
        f"{reverse('rapportering:goal-overview')}?plan={round.plan.slug}&ar=2019",
        f"{reverse('rapportering:timeline')}?plan={round.plan.slug}",
        reverse("rapportering:report-rounds"),
        round.get_absolute_url(),
        reverse("rapportering:report-contributions", args=[round.pk]) + "?direktorat=AVdir",
        contribution_url,
        reverse("rapportering:report-compile", args=[round.pk]),
        reverse("rapportering:report-preview", args=[round.pk]),
    ]

    for url in pages:
        page = client.get(url).content.decode()
        assert "<script>alert" not in page, url
        assert "<b onmouseover" not in page, url
        assert ESCAPED in page or "&lt;b onmouseover" in page, url
