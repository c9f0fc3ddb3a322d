"""The load mix: directorate and coordinator users reading pages and updating status.

Started by bench/run.py and tests/robustness/test_load.py against gunicorn; the occurrence
ids to update come in BENCH_OCCURRENCES (comma-separated), the password in BENCH_PASSWORD, and
through the load balancer on loopback, the certificate to trust in BENCH_CA_CERTIFICATE."""

import os
import random
import re

from locust import HttpUser, between, task

PLAN = "handlingsplan-2018-2020"
OCCURRENCES = [int(pk) for pk in os.environ.get("BENCH_OCCURRENCES", "").split(",") if pk]
PASSWORD = os.environ["BENCH_PASSWORD"]
# The balancer's self-signed certificate, made for this loopback run: trusted, so that TLS is
# verified as a browser would (locust's client ignores REQUESTS_CA_BUNDLE).
CA_CERTIFICATE = os.environ.get("BENCH_CA_CERTIFICATE")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')


class Coordinator(HttpUser):
    wait_time = between(0.05, 0.2)
    username = "koordinator"

    def on_start(self):
        if CA_CERTIFICATE:
            self.client.verify = CA_CERTIFICATE
        # As a browser sends them: over https, Django's CSRF check wants the form's origin.
        self.client.headers.update({"Origin": self.host, "Referer": f"{self.host}/"})
        page = self.client.get("/login/", name="login form")
        with self.client.post(
            "/login/",
            {
                "username": self.username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": TOKEN.search(page.text).group(1),
            },
            name="sign in",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302 or response.headers.get("Location") == "/login/":
                response.failure(f"not signed in (status {response.status_code})")

    def get(self, url, name):
        """A page that must answer 200 itself, not by a redirect to sign in."""
        with self.client.get(
            url, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                where = response.headers.get("Location", "")
                response.failure(f"status {response.status_code} {where}".strip())
        return response

    @task(3)
    def overview(self):
        self.get(f"/oversikt/?plan={PLAN}&ar=2019", "overview")

    @task(3)
    def measures(self):
        self.get("/tiltak/", "measures list")

    @task(2)
    def timeline(self):
        self.get(f"/oversikt/tidslinje/?plan={PLAN}", "timeline")

    @task(2)
    def my_directorate(self):
        self.get("/mitt-direktorat/", "my directorate")

    @task(2)
    def update_status(self):
        """Open a status form and save it; a 409 (someone saved first) is a right answer."""
        url = f"/forekomster/{random.choice(OCCURRENCES)}/status/"
        form = self.get(url, "status form")
        version = VERSION.search(form.text)
        if version is None:
            return  # the form did not open; its GET is already counted as a failure
        with self.client.post(
            url,
            {
                "csrfmiddlewaretoken": TOKEN.search(form.text).group(1),
                "version": version.group(1),
                "status": "completed",
                "assessment": "green",
                "comment": "Lasttest",
            },
            name="status update",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code in (302, 409):
                response.success()
            else:
                response.failure(f"status {response.status_code}")
