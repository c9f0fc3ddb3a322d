"""`make run`'s SQLite under simultaneous saves, through a real server: Django's development
server (as `make run` serves) and gunicorn with 2 workers, each on a SQLite file configured by
the settings exactly as the default `db.sqlite3` is (any `sqlite:///` DATABASE_URL gets the same
options). Twenty status updates at once to one occurrence: one wins per version, the others get
409; twenty to different occurrences: all saved; a finalise posted twice at once: one version,
and the other tab is told. Never a 5xx. Pages are read while a write holds the lock."""

import socket
import sqlite3
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookies import SimpleCookie

import pytest
from django.db import connection
from django.urls import reverse

from bench.run import gunicorn, run, runserver
from tests.factories import PASSWORD, PLAN_FILES

WRITERS = 20
PLAN = "handlingsplan-2018-2020"
# `make run`'s environment: the development settings, a new connection for every request.
MAKE_RUN = {"DEBUG": "true", "CONN_MAX_AGE": "0", "LOG_LEVEL": "WARNING"}
SERVERS = {"runserver": runserver, "gunicorn": gunicorn}  # gunicorn with 2 workers

READY_ROUNDS = f"""
from tests.factories import complete_the_rest_of, deliver_contributions, open_round
from tiltak.models import Plan, User
plan = Plan.objects.get(slug="{PLAN}")
user = User.objects.get(username="koordinator")
for year in (2019, 2020):
    complete_the_rest_of(plan, year)
    round = open_round(plan, user, year, summary="Sammendrag", challenges="Utfordringer",
                       challenge_actions="Tiltak")
    deliver_contributions(round, user)
    print(round.pk)
"""


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    """A SQLite file with the seeded plans, a coordinator and two report rounds ready to be
    finalised (2019 and 2020), set up by the management commands."""
    if connection.vendor != "sqlite":
        pytest.skip("make run's SQLite: tested once, in the test run on SQLite")
    path = tmp_path_factory.mktemp("sqlite") / "db.sqlite3"
    url = f"sqlite:///{path}"
    run(url, "manage.py", "migrate", "--no-input", "-v0")
    run(url, "manage.py", "import_plan", "-v0", *map(str, PLAN_FILES))
    coordinator = ["create_user", "koordinator", "--role", "coordinator"]
    run(url, "manage.py", *coordinator, BOLIG_PASSWORD=PASSWORD)
    rounds = [int(pk) for pk in run(url, "manage.py", "shell", "-v0", "-c", READY_ROUNDS).split()]
    return {"url": url, "path": path, "rounds": rounds}


def free_address():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"127.0.0.1:{probe.getsockname()[1]}"


@pytest.fixture(scope="module", params=list(SERVERS))
def server(request, database, tmp_path_factory):
    """The application under one kind of server on the database; each kind takes its own
    occurrences and report round, so both run on one database."""
    number = list(SERVERS).index(request.param)
    address = free_address()
    log = tmp_path_factory.mktemp("log") / f"{request.param}.log"
    with SERVERS[request.param](database["url"], address, log=log, **MAKE_RUN):
        yield {
            "base": f"http://{address}",
            "database": database["path"],
            "occurrences": occurrences(database["path"])[number * 2 * WRITERS :][: 2 * WRITERS],
            "round": database["rounds"][number],
            "log": log,
            "session": sign_in(f"http://{address}"),
        }


def query(path, sql, *parameters):
    with sqlite3.connect(path) as database:
        return database.execute(sql, parameters).fetchall()


def occurrences(path):
    return [pk for (pk,) in query(path, "SELECT id FROM tiltak_occurrence ORDER BY id")]


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirects)


def request(base, path, data=None, cookies=None):
    """GET (or POST `data`) and return the status, the body and the cookies set."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in (cookies or {}).items())}
    try:
        response = OPENER.open(urllib.request.Request(base + path, body, headers), timeout=90)
    except urllib.error.HTTPError as error:
        response = error
    with response:
        jar = SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or []:
            jar.load(header)
        return response.status, response.read().decode(), {k: m.value for k, m in jar.items()}


def sign_in(base):
    """Sign in as the coordinator through the sign-in form: the session's cookies."""
    _status, _body, cookies = request(base, "/login/")
    status, _body, signed_in = request(
        base,
        "/login/",
        {
            "username": "koordinator",
            "password": PASSWORD,
            "csrfmiddlewaretoken": cookies["csrftoken"],
        },
        cookies,
    )
    assert status == 302, "the coordinator could not sign in"
    return {**cookies, **signed_in}


def post_all_at_once(server, posts):
    """POST every (path, data) of `posts` from its own thread, released together: the statuses
    and bodies, in order."""
    barrier = threading.Barrier(len(posts))
    answers = [None] * len(posts)
    session = server["session"]

    def post(number, path, data):
        barrier.wait()
        status, body, _cookies = request(
            server["base"], path, {**data, "csrfmiddlewaretoken": session["csrftoken"]}, session
        )
        answers[number] = (status, body)

    threads = [
        threading.Thread(target=post, args=(n, path, data)) for n, (path, data) in enumerate(posts)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    statuses = [answer[0] if answer else None for answer in answers]
    assert all(status is not None and status < 500 for status in statuses), (
        statuses,
        server["log"].read_text()[-3000:],
    )
    return answers


def status_update(pk, version, number):
    return (
        reverse("tiltak:occurrence-status", args=[pk]),
        {
            "version": version,
            "status": "completed",
            "assessment": "green",  # the report's gate requires it of the year's milestones
            "comment": f"Skriver {number} ({version})",
        },
    )


def history(server, pk):
    return query(
        server["database"],
        "SELECT version, comment FROM tiltak_historicaloccurrence "
        "WHERE id = ? AND history_type = '~' AND version > 0 ORDER BY history_id",
        pk,
    )


def test_twenty_updates_at_once_to_one_occurrence_one_wins_per_version(server):
    pk = server["occurrences"][0]

    for version in (0, 1, 2):
        answers = post_all_at_once(server, [status_update(pk, version, n) for n in range(WRITERS)])

        assert sorted(status for status, _body in answers) == [302] + [409] * (WRITERS - 1)
    assert query(server["database"], "SELECT version FROM tiltak_occurrence WHERE id = ?", pk) == [
        (3,)
    ]
    accepted = history(server, pk)
    assert [version for version, _comment in accepted] == [1, 2, 3]
    assert all(comment.endswith(f"({version - 1})") for version, comment in accepted)


def test_twenty_updates_at_once_to_different_occurrences_are_all_saved(server):
    targets = server["occurrences"][WRITERS:]
    assert len(targets) == WRITERS

    answers = post_all_at_once(server, [status_update(pk, 0, n) for n, pk in enumerate(targets)])

    assert [status for status, _body in answers] == [302] * WRITERS
    for number, pk in enumerate(targets):
        assert history(server, pk) == [(1, f"Skriver {number} (0)")]


def test_a_finalise_posted_twice_at_once_makes_one_version_and_tells_the_other_tab(server):
    path = reverse("rapportering:report-finalise", args=[server["round"]])

    answers = post_all_at_once(server, [(path, {}), (path, {})])

    assert sorted(status for status, _body in answers) == [302, 409]
    versions = query(
        server["database"],
        "SELECT id, version FROM rapportering_finalreport WHERE round_id = ?",
        server["round"],
    )
    assert [version for _pk, version in versions] == [1]
    link = reverse("rapportering:final-report", args=[versions[0][0]])
    [refused] = [body for status, body in answers if status == 409]
    assert "Rapporten er allerede ferdigstilt som versjon 1" in refused
    assert f'href="{link}"' in refused


def test_pages_answer_while_a_write_holds_the_lock_and_a_save_waits_its_turn(server):
    """A save, and a finalise for seconds, holds SQLite's one write lock: pages are read
    beside it, and another save waits for it instead of failing."""
    writer = sqlite3.connect(server["database"], isolation_level=None, check_same_thread=False)
    writer.execute("BEGIN IMMEDIATE")
    try:
        for path in (reverse("tiltak:measure-list"), reverse("rapportering:overview")):
            started = time.monotonic()
            status, _body, _cookies = request(server["base"], path, None, server["session"])
            assert (status, time.monotonic() - started < 5) == (200, True), path
        save = threading.Thread(
            target=post_all_at_once, args=(server, [status_update(server["occurrences"][1], 0, 0)])
        )
        save.start()
        time.sleep(1)
        assert save.is_alive()  # waiting for the lock
    finally:
        writer.execute("COMMIT")
        writer.close()
    save.join(timeout=30)
    assert history(server, server["occurrences"][1]) == [(1, "Skriver 0 (0)")]
