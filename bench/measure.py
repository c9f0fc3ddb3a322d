"""Measure the main pages in one database (DATABASE_URL): queries per page, and the median and
95th percentile time of each, beside a trivial page through the same stack. Prints JSON.

Run by bench/run.py; the pages are those of the seeded 2018–2020 plan, so they are the same
pages at every scale."""

import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bolig.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from rapportering.models import ReportRound  # noqa: E402
from tiltak.models import Measure, User  # noqa: E402

PLAN = "handlingsplan-2018-2020"
RUNS = int(os.environ.get("BENCH_RUNS", "30"))


def pages():
    measure = Measure.objects.get(plan__slug=PLAN, number="6")
    round = ReportRound.objects.get(plan__slug=PLAN, year=2019)
    return {
        # The trivial page: the same stack (sessions, sign-in, the base template) and no data.
        "trivial": ("koordinator", "/tilgjengelighet/"),
        "home (directorate)": ("avdir", "/"),
        "home (coordinator)": ("koordinator", "/"),
        "home (reader)": ("leser", "/"),
        "plan page": ("koordinator", f"/planer/{PLAN}/"),
        "measures list": ("koordinator", "/tiltak/"),
        "measure page": ("koordinator", measure.get_absolute_url()),
        "my directorate": ("avdir", "/mitt-direktorat/"),
        "overview": ("koordinator", f"/oversikt/?plan={PLAN}&ar=2019"),
        "goal overview": ("koordinator", f"/oversikt/mal/?plan={PLAN}&ar=2019"),
        "timeline": ("koordinator", f"/oversikt/tidslinje/?plan={PLAN}"),
        "calendar": ("avdir", "/kalender/"),
        "report round": ("koordinator", round.get_absolute_url()),
        "report preview": ("koordinator", f"/rapport/{round.pk}/forhandsvisning/"),
    }


def main():
    """Every page is timed in rounds, each page once a round, so that a slow spell of a
    shared machine falls on all pages alike and leaves their ratios to the trivial one."""
    # No setup_test_environment(): its template instrumentation would slow every page.
    shown = pages()
    clients = {}
    results = {}
    for name, (username, url) in shown.items():
        client = clients.get(username)
        if client is None:
            client = clients[username] = Client(HTTP_HOST="localhost")
            client.force_login(User.objects.get(username=username))
        response = client.get(url)  # warm up
        assert response.status_code == 200, (name, url, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        # Counted now: the next request clears the log.
        results[name] = {"url": url, "queries": len(queries.captured_queries), "times": []}
    for _round in range(RUNS):
        for name, (username, url) in shown.items():
            started = time.perf_counter()
            clients[username].get(url)
            results[name]["times"].append((time.perf_counter() - started) * 1000)
    for result in results.values():
        times = sorted(result.pop("times"))
        result["p50_ms"] = round(statistics.median(times), 2)
        result["p95_ms"] = round(times[int(0.95 * (len(times) - 1))], 2)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
