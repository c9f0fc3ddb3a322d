"""The production entry point as an operator runs it: deploy/start (check --deploy, then
gunicorn with deploy/gunicorn.conf.py) in production mode with LOG_FORMAT=json, on a database
of the suite's kind that only deploy/release migrates. Before the release step the instance
is alive (/helse/) but not ready (/klar/); after it, ready. The pages come with every CSS,
JavaScript and font file they name (whitenoise: hashed names, a year's caching, compressed),
and every line the instance writes is JSON: a line per request with its id, the user's id,
path, status and duration, and the audit events."""

import json
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from http.cookies import SimpleCookie
from urllib.parse import urljoin

import pytest
from django.db import connection

from bench.run import free_address, production_environment, status_of, wait_until
from bench.run import instance as bench_instance
from tests.factories import PASSWORD, PLAN_FILES, ROOT

YEAR = 365 * 24 * 60 * 60


@pytest.fixture
def database(tmp_path):
    """A new, empty database of the suite's kind: a SQLite file, or a PostgreSQL database
    beside the test database, dropped afterwards."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'production.sqlite3'}"
        return
    settings = connection.settings_dict
    name = f"{settings['NAME']}_production"
    server = f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
    for statement in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
        subprocess.run(["psql", f"{server}/postgres", "-qc", statement], check=True, timeout=60)
    yield f"{server}/{name}"
    subprocess.run(
        ["psql", f"{server}/postgres", "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"],
        check=True,
        timeout=60,
    )


@pytest.fixture
def production(database, collected_static, tmp_path):
    """The environment of a production instance on `database` (bench.run's, as the balancer's
    instances have), with JSON logs, and a function that runs a deploy script or manage.py
    command in it."""
    address = free_address()
    env = production_environment(
        database,
        collected_static,
        address,
        LOG_FORMAT="json",
        LOG_LEVEL="INFO",
        AXES_PROXY_COUNT="0",
    )

    def run(*command, **extra):
        return subprocess.run(
            list(command),
            cwd=ROOT,
            env={**env, **extra},
            capture_output=True,
            text=True,
            check=True,
            timeout=300,
        )

    return {"env": env, "base": f"http://{address}", "run": run, "log": tmp_path / "log"}


@pytest.fixture
def instance(production):
    """deploy/start, alive (/helse/) and serving until the test ends; its output (stdout and
    stderr) in a file."""
    with bench_instance(production["env"], production["log"], probe="/helse/"):
        yield production


class Browser:
    """Requests as a browser behind the TLS-ending proxy sends them: X-Forwarded-Proto https,
    the cookies it was given (Secure ones too: the proxy speaks https to the browser), and
    Origin on a POST."""

    def __init__(self, base):
        self.base = base
        self.cookies = {}

    def request(self, path, data=None, headers=None):
        request = urllib.request.Request(
            self.base + path,
            data=urllib.parse.urlencode(data).encode() if data is not None else None,
            headers={"X-Forwarded-Proto": "https", **(headers or {})},
        )
        if self.cookies:
            cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            request.add_header("Cookie", cookie)
        if data is not None:
            request.add_header("Origin", "https://127.0.0.1:" + self.base.rsplit(":", 1)[1])
        opener = urllib.request.build_opener(NoRedirects)
        try:
            response = opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, response.headers, response.read()

    def sign_in(self, username, password):
        self.request("/login/")
        return self.request(
            "/login/",
            {
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": self.cookies["csrftoken"],
            },
        )


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def lines_of(log):
    """Every line the instance wrote, parsed: each must be JSON."""
    lines = [line for line in log.read_text().splitlines() if line.strip()]
    return [json.loads(line) for line in lines]


def test_the_release_step_makes_the_instance_ready(instance):
    base = instance["base"]
    assert status_of(base + "/helse/") == 200
    assert status_of(base + "/klar/") == 503  # nothing migrated yet

    instance["run"](str(ROOT / "deploy" / "release"))

    assert status_of(base + "/klar/") == 200


def test_pages_come_with_every_static_file_they_name_cached_for_a_year(instance):
    instance["run"](str(ROOT / "deploy" / "release"))
    browser = Browser(instance["base"])

    code, headers, body = browser.request("/login/")

    assert code == 200
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    named = re.findall(r'(?:href|src)="(/static/[^"]+)"', body.decode())
    assert {name.rsplit(".", 1)[-1] for name in named} == {"css", "js"}
    fonts = []
    for path in named:
        code, headers, content = browser.request(path, headers={"Accept-Encoding": "gzip"})
        assert code == 200, path
        assert headers["Cache-Control"] == f"max-age={YEAR}, public, immutable", path
        assert headers["Content-Encoding"] == "gzip", path
        if path.endswith(".css"):
            import gzip

            css = gzip.decompress(content).decode()
            fonts += [
                urljoin(path, url)
                for url in re.findall(r"url\(\"?([^\")]+)\"?\)", css)
                if not url.startswith("data:")
            ]
    assert any(font.endswith(".woff2") for font in fonts)
    for font in fonts:
        code, headers, _content = browser.request(font)
        assert code == 200, font
        assert re.search(r"\.[0-9a-f]{12}\.", font), f"{font} has no hash in its name"
        assert headers["Cache-Control"] == f"max-age={YEAR}, public, immutable", font


def test_every_line_is_json_with_the_request_and_the_audit_events(instance):
    run = instance["run"]
    run(str(ROOT / "deploy" / "release"))
    run(sys.executable, "manage.py", "import_plan", "-v0", *map(str, PLAN_FILES))
    created = run(
        sys.executable,
        "manage.py",
        "create_user",
        "koordinator",
        "--role",
        "coordinator",
        BOLIG_PASSWORD=PASSWORD,
    )
    changed = run(sys.executable, "manage.py", "create_user", "koordinator", "--role", "reader")
    run(sys.executable, "manage.py", "create_user", "koordinator", "--role", "coordinator")
    browser = Browser(instance["base"])

    refused, _headers, _body = browser.sign_in("koordinator", "feil-passord")
    code, _headers, _body = browser.sign_in("koordinator", PASSWORD)
    home, home_headers, _body = browser.request("/")

    assert (refused, code, home) == (422, 302, 200)
    # The role change is an audit event (a JSON line) of the command that made it, beside the
    # command's own words.
    role_changes = [json.loads(line) for line in changed.stdout.splitlines() if line[:1] == "{"]
    assert [(e["event"], e["previous_role"], e["role"]) for e in role_changes] == [
        ("role_changed", "coordinator", "reader")
    ]
    assert "koordinator" not in json.dumps(role_changes)  # ids, not names
    assert '"event": "role_changed"' in created.stdout  # no role before: a change too
    wait_until(
        lambda: any(line.get("path") == "/" for line in lines_of(instance["log"])), 10, "the log"
    )
    lines = lines_of(instance["log"])
    requests = [line for line in lines if line["logger"] == "bolig.request"]
    home_line = next(
        line for line in requests if line["request_id"] == home_headers["X-Request-ID"]
    )
    user_id = home_line["user_id"]
    assert isinstance(user_id, int)
    assert (home_line["method"], home_line["path"], home_line["status"]) == ("GET", "/", 200)
    assert home_line["duration_ms"] >= 0
    assert {"time", "level"} <= set(home_line)
    events = [(line["event"], line.get("user_id")) for line in lines if line.get("event")]
    assert ("sign_in_failed", user_id) in events
    assert ("sign_in", user_id) in events
    assert not any("koordinator" in json.dumps(line) for line in lines)
