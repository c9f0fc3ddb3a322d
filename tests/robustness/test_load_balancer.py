"""Two production instances (deploy/start) behind a real load balancer (haproxy with
deploy/haproxy.cfg, ending TLS) on loopback, on PostgreSQL. A coordinator signs in through the
balancer, reads pages and saves status updates, served by both instances; then one instance is
killed mid-run and the other goes on serving, the session too. Requests fail only while the
balancer notices (they are counted and reported), and every update that was answered is in
the history once: none lost, none saved twice."""

import os
import re
import signal
import threading
import time
from contextlib import ExitStack, suppress
from dataclasses import dataclass
from urllib.parse import quote

import pytest
import requests
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from bench.run import (
    HAPROXY,
    balancer,
    free_address,
    instance,
    production_environment,
    self_signed_certificate,
)
from tests.factories import PASSWORD, REPORTED_PLAN
from tiltak.models import Occurrence

pytestmark = pytest.mark.django_db(transaction=True)

REQUEST_SECONDS = 15  # the longest any one request may take
MOST_FAILED = 5  # requests that may fail while the balancer notices (inter 1s, fall 2)
NOTICE_SECONDS = 20  # the balancer must mark the killed instance down within this
PAGES = [
    "/",
    "/tiltak/",
    f"/oversikt/?plan={REPORTED_PLAN}&ar=2019",
    f"/oversikt/tidslinje/?plan={REPORTED_PLAN}",
]
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')


@pytest.fixture
def postgresql_and_haproxy():
    if connection.vendor != "postgresql":
        pytest.skip(
            "the instances share the test database with the test, and SQLite's is in memory; "
            "CI runs this on PostgreSQL"
        )
    if HAPROXY is None:
        if os.environ.get("CI"):
            pytest.fail("haproxy is not installed: .ci/run installs Debian's package")
        pytest.skip("haproxy is not installed (Debian's package `haproxy`; .ci/run installs it)")


def database_url():
    """The test database, for the instances (the data of this test is committed)."""
    settings = connection.settings_dict
    password = f":{quote(settings['PASSWORD'], safe='')}" if settings["PASSWORD"] else ""
    host, port = settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
    return f"postgres://{settings['USER']}{password}@{host}:{port}/{settings['NAME']}"


@pytest.fixture
def cluster(postgresql_and_haproxy, collected_static, tmp_path):
    """Two instances (app1, app2: 2 gunicorn workers each, the same SECRET_KEY) and haproxy in
    front of them with a certificate made for 127.0.0.1; every process is stopped afterwards,
    whatever happened."""
    certificate = self_signed_certificate(tmp_path)
    addresses = {"app1": free_address(), "app2": free_address()}
    front = free_address()
    with ExitStack() as stack:
        processes = {
            name: stack.enter_context(
                instance(
                    production_environment(database_url(), collected_static, address),
                    tmp_path / f"{name}.log",
                )
            )
            for name, address in addresses.items()
        }
        haproxy_log = tmp_path / "haproxy.log"
        stack.enter_context(balancer(list(addresses.values()), certificate, front, haproxy_log))
        yield {
            "base": f"https://{front}",
            "certificate": certificate[0],
            "processes": processes,
            "haproxy_log": haproxy_log,
        }


@dataclass
class Answer:
    method: str
    path: str
    started: float
    ended: float
    status: int | None  # None: no answer (the connection failed)
    served_by: str | None
    problem: str | None  # why it failed: no answer, or an answer of 5xx

    @property
    def failed(self):
        return self.problem is not None


class Browser:
    """A browser through the balancer: its session cookie, the generated certificate trusted,
    Origin and Referer as a browser sends them (Django's CSRF check over https), and every
    answer kept."""

    def __init__(self, base, certificate):
        self.base = base
        self.certificate = str(certificate)
        self.session = requests.Session()
        self.session.headers.update({"Origin": base, "Referer": f"{base}/"})
        self.answers = []

    def request(self, method, path, **data):
        started = time.monotonic()
        try:
            response = self.session.request(
                method,
                self.base + path,
                data=data or None,
                allow_redirects=False,
                timeout=REQUEST_SECONDS,
                # Given with each request: a session's `verify` loses to REQUESTS_CA_BUNDLE.
                verify=self.certificate,
            )
        except requests.RequestException as error:
            response, problem = None, type(error).__name__
        else:
            problem = f"status {response.status_code}" if response.status_code >= 500 else None
        self.answers.append(
            Answer(
                method,
                path,
                started,
                time.monotonic(),
                response.status_code if response is not None else None,
                response.headers.get("X-Served-By") if response is not None else None,
                problem,
            )
        )
        return response

    def sign_in(self, username, password):
        form = self.request("GET", "/login/")
        token = TOKEN.search(form.text).group(1)
        return self.request(
            "POST", "/login/", username=username, password=password, csrfmiddlewaretoken=token
        )

    def read_and_update(self, number, occurrence, comment):
        """Read a page, open `occurrence`'s status form and save it with `comment`: the
        answer to the save, or None when it was not sent (the form did not open)."""
        self.request("GET", PAGES[number % len(PAGES)])
        url = f"/forekomster/{occurrence}/status/"
        form = self.request("GET", url)
        if form is None or form.status_code != 200:
            return None
        return self.request(
            "POST",
            url,
            csrfmiddlewaretoken=TOKEN.search(form.text).group(1),
            version=VERSION.search(form.text).group(1),
            status="completed",
            assessment="green",
            comment=comment,
        )


def marked_down(log, name):
    """Whether haproxy has written that it took the instance `name` out."""
    return f"/{name} is DOWN" in log.read_text(errors="replace")


def test_both_instances_serve_and_one_killed_mid_run_loses_nothing(
    cluster, seeded_plans, coordinator, record_property
):
    # The instances hash as production does; the tests' fast hasher is not among theirs.
    hasher = PBKDF2PasswordHasher()
    coordinator.password = hasher.encode(PASSWORD, hasher.salt())
    coordinator.save(update_fields=["password"])
    occurrences = list(
        Occurrence.objects.filter(milestone__measure__plan__slug=REPORTED_PLAN)
        .order_by("pk")
        .values_list("pk", flat=True)[:200]
    )
    browser = Browser(cluster["base"], cluster["certificate"])
    sent = {}  # comment → (occurrence, the answer to its save, None when not sent)

    def update(number):
        comment = f"Oppdatering {number} gjennom lastbalansereren"
        sent[comment] = (
            occurrences[number],
            browser.read_and_update(number, occurrences[number], comment),
        )

    signed_in = browser.sign_in("koordinator", PASSWORD)
    assert signed_in.status_code == 302
    assert signed_in.headers["Location"] != "/login/"

    # Both instances serve pages (only to a signed-in user) and saves: the session and the
    # form's token made by one are good on the other.
    for number in range(12):
        update(number)
    before = list(browser.answers)
    assert [a.status for a in before] == [200, 302] + [200, 200, 302] * 12, before
    served = {(a.method, a.served_by) for a in before[2:]}
    assert served == {("GET", "app1"), ("GET", "app2"), ("POST", "app1"), ("POST", "app2")}

    # app1 (gunicorn's master and its workers) is killed while the coordinator goes on.
    killed_at = []

    def kill():
        killed_at.append(time.monotonic())
        with suppress(ProcessLookupError):  # the test has already ended
            os.killpg(cluster["processes"]["app1"].pid, signal.SIGKILL)

    killer = threading.Timer(0.3, kill)
    killer.start()
    deadline = time.monotonic() + NOTICE_SECONDS
    noticed_at = first_after_notice = None
    number = 12
    while first_after_notice is None or len(browser.answers) - first_after_notice < 15:
        assert time.monotonic() < deadline, "haproxy did not take the killed instance out"
        assert number < len(occurrences), "too few occurrences for the run"
        update(number)
        number += 1
        if noticed_at is None and killed_at and marked_down(cluster["haproxy_log"], "app1"):
            noticed_at, first_after_notice = time.monotonic(), len(browser.answers)
    killer.join(timeout=5)

    since_kill = [a for a in browser.answers if a.ended > killed_at[0]]
    failed = [a for a in browser.answers if a.failed]
    noticed_s = noticed_at - killed_at[0]
    report = (
        f"{len(failed)} of the {len(since_kill)} requests answered since one instance was "
        f"killed failed; the balancer took it out {noticed_s:.1f} s after the kill. "
        f"Failed: {[f'{a.method} {a.path}: {a.problem}' for a in failed]}"
    )
    print(f"\n{report}")
    record_property("requests_failed_while_the_balancer_noticed", len(failed))
    record_property("seconds_until_the_balancer_noticed", round(noticed_s, 1))
    assert len(failed) <= MOST_FAILED, report
    assert not [a for a in browser.answers[first_after_notice:] if a.failed], report
    # Only app2 answers what was asked after the kill: pages with the session, and saves.
    asked_since = [a for a in browser.answers if a.started > killed_at[0] and not a.failed]
    assert {a.served_by for a in asked_since} == {"app2"}, report
    assert {a.status for a in asked_since} == {200, 302}, report

    # Every save answered 302 is in the history once; one whose answer was lost, at most once.
    for comment, (occurrence, answer) in sent.items():
        saved = Occurrence.history.filter(id=occurrence, comment=comment).count()
        if answer is not None and answer.status_code == 302:
            assert saved == 1, (comment, saved)
        else:
            assert saved <= 1, (comment, saved)
