"""The benchmark: pages, exports and load at 1x and 100x data, on SQLite and PostgreSQL.

    make bench            (or: .venv/bin/python bench/run.py [--scales 1 100] [--no-load])

For each database and scale it builds a fresh database (the seeded plans, the demo users and,
above 1x, generate_demo_data), then measures each main page's queries and its median and 95th
percentile time beside a trivial page (/helse/), the time and peak memory of each export
format and of finalising the largest report the text limits allow, and (PostgreSQL, largest
scale) a 60-second load on gunicorn with 2 workers from a second process (locust). It prints
the figures and writes bench/results.json (the largest scale on PostgreSQL, or SQLite when
PostgreSQL is not there) and bench/results-all.json.
"""

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PASSWORD = "Benchmark-passord-2026"
POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
FORMATS = ["pdf", "docx", "xlsx", "csv"]
TARGET_RATIO, TARGET_EXPORT_S, TARGET_EXPORT_MB = 10, 30, 500
LOAD_SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "60"))


def environment(url, **settings):
    """The benchmark's environment for the application on the database at `url`; `settings`
    override any variable (e.g. DEBUG="true", CONN_MAX_AGE="0": `make run`'s)."""
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DEMO_PASSWORD": PASSWORD,
        "DEBUG": "false",
        "CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
        "MFA_REQUIRED_ROLES": "",  # its users sign in with a password only, as `make run`'s
        **settings,
    }


def run(url, *args, **settings):
    result = subprocess.run(
        [PYTHON, *args], cwd=ROOT, env=environment(url, **settings), capture_output=True, text=True
    )
    if result.returncode:
        raise SystemExit(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def postgres_available():
    try:
        subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"], check=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return False
    return True


def fresh_database(backend, scale, data_dir):
    if backend == "sqlite":
        path = Path(data_dir) / f"bench-{scale}x.sqlite3"
        path.unlink(missing_ok=True)
        return f"sqlite:///{path}"
    name = f"bolig_bench_{scale}x"
    for statement in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
        subprocess.run(
            ["psql", f"{POSTGRES}/postgres", "-q", "-c", statement], check=True, capture_output=True
        )
    return f"{POSTGRES}/{name}"


OPEN_ROUND = """
from rapportering.models import ReportRound
from tiltak.models import Occurrence, Plan, User
plan = Plan.objects.get(slug="handlingsplan-2018-2020")
ReportRound.objects.create(plan=plan, year=2019, ministry_deadline="2019-10-01",
    internal_deadline="2019-09-01", opened_by=User.objects.get(username="koordinator"))
ids = Occurrence.objects.of_active_plans().order_by("?").values_list("pk", flat=True)[:300]
print(",".join(map(str, ids)))
"""


VACUUM = """
from django.db import connection
connection.cursor().execute("VACUUM ANALYZE")
"""


def prepare(backend, scale, data_dir):
    started = time.perf_counter()
    url = fresh_database(backend, scale, data_dir)
    run(url, "manage.py", "migrate", "--no-input", "-v0")
    run(
        url, "manage.py", "import_plan", *sorted(str(p) for p in (ROOT / "fixtures").glob("*.yaml"))
    )
    run(url, "manage.py", "seed_demo")
    if scale > 1:
        run(url, "manage.py", "generate_demo_data", "--scale", str(scale - 1))
    occurrences = run(url, "manage.py", "shell", "-c", OPEN_ROUND).strip().splitlines()[-1]
    if backend == "postgresql":
        # What autovacuum does in time on a server in use (on this machine's it is off): the
        # visibility map lets a query read an index that holds all it needs without the table.
        run(url, "manage.py", "shell", "-c", VACUUM)
    return url, occurrences, time.perf_counter() - started


def measure_exports(url):
    return {fmt: json.loads(run(url, "bench/export_one.py", fmt)) for fmt in FORMATS}


def measure_largest_report(url):
    """Finalising the largest report the text limits allow (rolled back afterwards)."""
    return json.loads(run(url, "bench/largest_report.py"))


def wait_for(address, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://{address}/helse/", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server did not answer on {address}")


@contextmanager
def serving(command, url, address, log=None, **settings):
    """The application served by `command` (arguments to Python) on `address`, on the
    database at `url`, until the block ends; its output goes to the file `log`, if given.
    `settings` override the benchmark's environment."""
    with open(log or os.devnull, "ab") as output:
        server = subprocess.Popen(
            [PYTHON, *command],
            cwd=ROOT,
            env=environment(url, **settings),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for(address)
            yield
        finally:
            server.terminate()
            server.wait(timeout=30)


def gunicorn(url, address, workers=2, **options):
    """The application under gunicorn with `workers` workers (see `serving`)."""
    command = ["-m", "gunicorn", "bolig.wsgi", "--workers", str(workers), "--bind", address]
    return serving(command, url, address, **options)


def runserver(url, address, **options):
    """The application under Django's development server, as `make run` serves it, without
    the autoreloader (see `serving`)."""
    return serving(["manage.py", "runserver", "--noreload", address], url, address, **options)


def load(url, occurrences, seconds=LOAD_SECONDS, users=20, password=PASSWORD):
    """gunicorn with 2 workers on the database at `url`, and locust in a second process for
    `seconds`, signing in as koordinator with `password`."""
    address = "127.0.0.1:8765"
    with gunicorn(url, address), tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            [
                PYTHON,
                "-m",
                "locust",
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "--users",
                str(users),
                "--spawn-rate",
                str(users),
                "--run-time",
                f"{seconds}s",
                "--host",
                f"http://{address}",
                "--csv",
                f"{folder}/load",
                "--only-summary",
                "--stop-timeout",
                "5",
            ],
            cwd=ROOT,
            env={
                **environment(url),
                "BENCH_OCCURRENCES": occurrences,
                "BENCH_PASSWORD": password,
            },
            capture_output=True,
            timeout=seconds + 120,
        )
        with open(f"{folder}/load_stats.csv", newline="") as file:
            rows = {row["Name"]: row for row in csv.DictReader(file)}
        with open(f"{folder}/load_failures.csv", newline="") as file:
            failures = [
                f"{row['Method']} {row['Name']}: {row['Error']} ({row['Occurrences']}x)"
                for row in csv.DictReader(file)
            ]
    total = rows["Aggregated"]
    return {
        "seconds": seconds,
        "users": users,
        "workers": 2,
        "requests": int(total["Request Count"]),
        "errors": int(total["Failure Count"]),
        "requests_per_s": round(float(total["Requests/s"]), 1),
        "p50_ms": float(total["50%"]),
        "p95_ms": float(total["95%"]),
        "p99_ms": float(total["99%"]),
        "status_updates": int(rows.get("status update", {}).get("Request Count", 0)),
        "failures": failures,
    }


def report(results, scales):
    low, high = min(scales), max(scales)
    for backend, by_scale in results.items():
        print(f"\n== {backend}")
        for scale, figures in by_scale.items():
            print(f"   {scale}x: database built in {figures['built_s']:.0f} s")
        pages = by_scale[high]["pages"]
        trivial = pages["trivial"]["p50_ms"]
        print(
            f"   {'page':16} {'queries ' + str(low) + 'x':>11} {'queries ' + str(high) + 'x':>13} {'p50 ms':>8} {'p95 ms':>8} {'ratio':>6}"
        )
        for name, page in pages.items():
            ratio = page["p50_ms"] / trivial
            print(
                f"   {name:16} {by_scale[low]['pages'][name]['queries']:>11} {page['queries']:>13} "
                f"{page['p50_ms']:>8.1f} {page['p95_ms']:>8.1f} {ratio:>6.1f}"
            )
        for fmt, export in by_scale[high]["exports"].items():
            print(f"   export {fmt:5} {export['seconds']:>6.2f} s {export['peak_mb']:>7.1f} MB")
        largest = by_scale[high]["largest_report"]
        print(
            f"   largest report finalise {largest['seconds']:.2f} s "
            f"(CPU {largest['cpu_seconds']:.2f} s) {largest['peak_mb']:.1f} MB"
        )
        if "load" in by_scale[high]:
            figures = by_scale[high]["load"]
            print(
                f"   load: {figures['requests']} requests in {figures['seconds']} s "
                f"({figures['requests_per_s']}/s), {figures['errors']} errors, "
                f"p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms, p99 {figures['p99_ms']} ms"
            )


def summary(by_scale, scales):
    """The figures of results.json: the largest scale, with the smallest's query counts."""
    low, high = min(scales), max(scales)
    pages = by_scale[high]["pages"]
    trivial = pages["trivial"]["p50_ms"]
    return {
        "pages": {
            name: {
                f"queries_{low}x": by_scale[low]["pages"][name]["queries"],
                f"queries_{high}x": page["queries"],
                "p50_ms": page["p50_ms"],
                "p95_ms": page["p95_ms"],
                "ratio_to_trivial": round(page["p50_ms"] / trivial, 2),
            }
            for name, page in pages.items()
            if name != "trivial"
        },
        "trivial_p50_ms": trivial,
        "exports": {
            fmt: {"seconds": e["seconds"], "peak_mb": e["peak_mb"]}
            for fmt, e in by_scale[high]["exports"].items()
        },
        "largest_report": by_scale[high]["largest_report"],
        "load": by_scale[high].get("load", {}),
    }


def markdown(results, scales, machine):
    """The figures as the README shows them."""
    low, high = min(scales), max(scales)
    lines = [f"Figures of `make bench` on {machine}:", ""]
    for backend, by_scale in results.items():
        pages = by_scale[high]["pages"]
        trivial = pages["trivial"]["p50_ms"]
        lines += [
            f"**{backend}**, {high}x (built in {by_scale[high]['built_s']:.0f} s):",
            "",
            f"| page | queries {low}x | queries {high}x | median ms | p95 ms | × trivial |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        lines += [
            f"| {name} | {by_scale[low]['pages'][name]['queries']} | {page['queries']} "
            f"| {page['p50_ms']:.1f} | {page['p95_ms']:.1f} | {page['p50_ms'] / trivial:.1f} |"
            for name, page in pages.items()
        ]
        lines += ["", "| export | seconds | peak MB |", "|---|---:|---:|"]
        lines += [
            f"| {fmt} | {e['seconds']:.2f} | {e['peak_mb']:.0f} |"
            for fmt, e in by_scale[high]["exports"].items()
        ]
        largest = by_scale[high]["largest_report"]
        lines.append(
            f"| largest report finalise | {largest['seconds']:.2f} | {largest['peak_mb']:.0f} |"
        )
        if "load" in by_scale[high]:
            figures = by_scale[high]["load"]
            lines += [
                "",
                f"Load, {figures['seconds']} s, {figures['users']} users, gunicorn with "
                f"{figures['workers']} workers: {figures['requests']} requests "
                f"({figures['requests_per_s']}/s, {figures['status_updates']} status updates), "
                f"{figures['errors']} errors; median {figures['p50_ms']:.0f} ms, p95 "
                f"{figures['p95_ms']:.0f} ms, p99 {figures['p99_ms']:.0f} ms.",
            ]
        lines.append("")
    return "\n".join(lines)


def problems(results, scales):
    """The targets that do not hold, in words; empty when all hold."""
    low, high = min(scales), max(scales)
    found = []
    for backend, by_scale in results.items():
        pages = by_scale[high]["pages"]
        trivial = pages["trivial"]["p50_ms"]
        for name, page in pages.items():
            if page["queries"] != by_scale[low]["pages"][name]["queries"]:
                found.append(f"{backend}: {name} makes {page['queries']} queries at {high}x, "
                             f"{by_scale[low]['pages'][name]['queries']} at {low}x")  # fmt: skip
            if page["p50_ms"] > TARGET_RATIO * trivial:
                found.append(f"{backend}: {name} median {page['p50_ms']} ms is over "
                             f"{TARGET_RATIO}x the trivial page's {trivial} ms")  # fmt: skip
        for fmt, export in by_scale[high]["exports"].items():
            if export["seconds"] > TARGET_EXPORT_S or export["peak_mb"] > TARGET_EXPORT_MB:
                found.append(f"{backend}: the {fmt} export took {export['seconds']} s, "
                             f"{export['peak_mb']} MB")  # fmt: skip
        largest = by_scale[high]["largest_report"]
        if largest["seconds"] > TARGET_EXPORT_S or largest["peak_mb"] > TARGET_EXPORT_MB:
            found.append(f"{backend}: the largest report took {largest['seconds']} s, "
                         f"{largest['peak_mb']} MB to finalise")  # fmt: skip
        if by_scale[high].get("load", {}).get("errors"):
            found.append(f"{backend}: {by_scale[high]['load']['errors']} errors under load")
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 100])
    parser.add_argument("--no-load", action="store_true")
    parser.add_argument(
        "--databases", nargs="+", choices=["sqlite", "postgresql"], default=["sqlite", "postgresql"]
    )
    options = parser.parse_args()
    backends = [b for b in options.databases if b == "sqlite" or postgres_available()]
    results = {}
    with tempfile.TemporaryDirectory() as data_dir:
        for backend in backends:
            results[backend] = {}
            for scale in sorted(options.scales):
                print(f"{backend} {scale}x: building the database …", flush=True)
                url, occurrences, built = prepare(backend, scale, data_dir)
                figures = {"built_s": round(built, 1)}
                print(f"{backend} {scale}x: pages …", flush=True)
                figures["pages"] = json.loads(run(url, "bench/measure.py"))
                if scale == max(options.scales):
                    print(f"{backend} {scale}x: exports …", flush=True)
                    figures["exports"] = measure_exports(url)
                    print(f"{backend} {scale}x: the largest report …", flush=True)
                    figures["largest_report"] = measure_largest_report(url)
                    if backend == backends[-1] and not options.no_load:
                        print(f"{backend} {scale}x: load for {LOAD_SECONDS} s …", flush=True)
                        figures["load"] = load(url, occurrences)
                results[backend][scale] = figures
    report(results, options.scales)
    headline = results[backends[-1]]
    (ROOT / "bench" / "results.json").write_text(
        json.dumps({"database": backends[-1], **summary(headline, options.scales)}, indent=2) + "\n"
    )
    (ROOT / "bench" / "results-all.json").write_text(json.dumps(results, indent=2) + "\n")
    machine = (
        f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, {time.strftime('%Y-%m-%d')}"
    )
    (ROOT / "bench" / "results.md").write_text(markdown(results, options.scales, machine))
    found = problems(results, options.scales)
    print("\nTargets:", "all hold." if not found else "")
    for problem in found:
        print(f" - {problem}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
