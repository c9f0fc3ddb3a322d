"""The benchmark: pages, exports and load at 1x and 100x data, on SQLite and PostgreSQL.

    make bench            (or: .venv/bin/python bench/run.py [--scales 1 100] [--no-load])

For each database and scale it builds a fresh database (the seeded plans, the demo users and,
above 1x, generate_demo_data), then measures each main page's queries and its median and 95th
percentile time beside a trivial page (/helse/), the time and peak memory of each export
format and of finalising the largest report the text limits allow, and (PostgreSQL, largest
scale) a 60-second load on gunicorn with 2 workers from a second process (locust), then the
same load (30 s) through the load balancer (haproxy with deploy/haproxy.cfg, TLS) on one and on
two production instances started by deploy/start, with the memory of each gunicorn worker
afterwards. It prints the figures and writes bench/results.json (the largest scale on
PostgreSQL, or SQLite when PostgreSQL is not there), bench/results-all.json and
bench/results.md.
"""

import argparse
import csv
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import ExitStack, contextmanager, suppress
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PASSWORD = "Benchmark-passord-2026"
POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
FORMATS = ["pdf", "docx", "xlsx", "csv"]
TARGET_RATIO, TARGET_EXPORT_S, TARGET_EXPORT_MB = 10, 30, 500
LOAD_SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "60"))
BALANCER_SECONDS = int(os.environ.get("BENCH_BALANCER_SECONDS", str(min(LOAD_SECONDS, 30))))
# Every instance behind the balancer has the same key: a session or a form's CSRF token made
# by one is good on the others. This one is for the benchmark and the tests only.
SECRET_KEY = "bench-and-tests-only-the-same-on-every-instance-5e4d3c2b1a0f9e8d7c6b5a49"
HAPROXY = shutil.which("haproxy", path=f"{os.environ.get('PATH', '')}:/usr/sbin:/sbin")


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


def figures_of(output):
    """The figures a bench script printed as JSON on its last line (the lines before are the
    application's log: its audit events are written at INFO whatever LOG_LEVEL says)."""
    return json.loads(output.strip().splitlines()[-1])


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
    return {fmt: figures_of(run(url, "bench/export_one.py", fmt)) for fmt in FORMATS}


def measure_largest_report(url):
    """Finalising the largest report the text limits allow (rolled back afterwards)."""
    return figures_of(run(url, "bench/largest_report.py"))


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


def locust(host, url, occurrences, seconds, users, password, **settings):
    """The load mix (bench/locustfile.py) from a second process against `host` for `seconds`
    with `users` users signing in as koordinator with `password`: its figures. `settings`
    add to locust's environment."""
    with tempfile.TemporaryDirectory() as folder:
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
                host,
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
                **settings,
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
        "requests": int(total["Request Count"]),
        "errors": int(total["Failure Count"]),
        "requests_per_s": round(float(total["Requests/s"]), 1),
        "p50_ms": float(total["50%"]),
        "p95_ms": float(total["95%"]),
        "p99_ms": float(total["99%"]),
        "status_updates": int(rows.get("status update", {}).get("Request Count", 0)),
        "failures": failures,
    }


def load(url, occurrences, seconds=LOAD_SECONDS, users=20, password=PASSWORD):
    """gunicorn with 2 workers on the database at `url`, and locust in a second process for
    `seconds`, signing in as koordinator with `password`."""
    address = "127.0.0.1:8765"
    with gunicorn(url, address):
        figures = locust(f"http://{address}", url, occurrences, seconds, users, password)
    return {"seconds": seconds, "users": users, "workers": 2, **figures}


def free_address():
    """A loopback address with a port no one listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"127.0.0.1:{probe.getsockname()[1]}"


def self_signed_certificate(folder):
    """A certificate for 127.0.0.1, valid for a day, for the balancer on loopback only: the
    certificate (what a client is told to trust) and the PEM file haproxy reads (the
    certificate and its key)."""
    folder = Path(folder)
    certificate, key, both = folder / "cert.pem", folder / "key.pem", folder / "balancer.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(certificate)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    both.write_bytes(certificate.read_bytes() + key.read_bytes())
    return certificate, both


def collect_static(folder):
    """STATIC_ROOT filled by deploy/collectstatic, as production's is at build time."""
    root = Path(folder) / "static"
    env = {**os.environ, "PYTHON": PYTHON, "STATIC_ROOT": str(root)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run([str(ROOT / "deploy" / "collectstatic")], env=env, check=True, timeout=300)
    return root


def production_environment(url, static_root, address, workers=2, **settings):
    """deploy/start's environment for an instance on `address` behind the balancer on this
    machine: production mode on the database at `url`, the same SECRET_KEY as every other
    instance, the balancer's X-Forwarded-Proto and X-Forwarded-For believed (from 127.0.0.1)."""
    env = environment(
        url,
        **{
            "PYTHON": PYTHON,
            "BOLIG_ENV": "production",
            "SECRET_KEY": SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1",
            "STATIC_ROOT": str(static_root),
            "SECURE_PROXY_SSL_HEADER_NAME": "HTTP_X_FORWARDED_PROTO",
            "AXES_PROXY_COUNT": "1",
            "FORWARDED_ALLOW_IPS": "127.0.0.1",
            "GUNICORN_BIND": address,
            "WEB_CONCURRENCY": str(workers),
            **settings,
        },
    )
    # Not production's: the test settings module and the browser tests' async switch.
    for name in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(name, None)
    return env


def status_of(url, context=None):
    """The status `url` answers with, or None when nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=5, context=context) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def wait_until(condition, seconds, what, process=None):
    """Return once `condition()` holds; fail after `seconds`, or when `process` has ended."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{what} ended with status {process.returncode}")
        time.sleep(0.2)
    raise RuntimeError(f"{what} was not ready within {seconds} s")


def stop(process, seconds=30):
    """Stop `process` and its process group: TERM (gunicorn lets requests under way finish),
    then KILL to whatever is left of the group."""
    for sent, wait in ((signal.SIGTERM, seconds), (signal.SIGKILL, 10)):
        with suppress(ProcessLookupError):
            os.killpg(process.pid, sent)
        with suppress(subprocess.TimeoutExpired):
            process.wait(timeout=wait)


@contextmanager
def instance(env, log, probe="/klar/"):
    """One instance as deploy/start starts it (check --deploy, then gunicorn), in a process
    group of its own, answering 200 at `probe` (ready: /klar/; alive: /helse/) when the block
    begins and stopped when it ends; its output goes to the file `log`. Yields the process:
    gunicorn's master."""
    address = env["GUNICORN_BIND"]
    with open(log, "ab") as output:
        process = subprocess.Popen(
            [str(ROOT / "deploy" / "start")],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        ready = f"http://{address}{probe}"
        wait_until(lambda: status_of(ready) == 200, 120, f"the instance on {address}", process)
        yield process
    finally:
        stop(process)


@contextmanager
def balancer(servers, certificate, address, log):
    """haproxy with deploy/haproxy.cfg on `address`, ending TLS with `certificate` (as made by
    `self_signed_certificate`), round robin over `servers` (two addresses: the same one twice
    for one instance), answering when the block begins, stopped when it ends."""
    trusted, pem = certificate
    env = {
        **os.environ,
        "BALANCER_BIND": address,
        "BALANCER_CERTIFICATE": str(pem),
        "APP1": servers[0],
        "APP2": servers[1],
        "PUBLIC_HOST": "127.0.0.1",
    }
    with open(log, "ab") as output:
        process = subprocess.Popen(
            [HAPROXY, "-f", str(ROOT / "deploy" / "haproxy.cfg"), "-db"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        context = ssl.create_default_context(cafile=str(trusted))
        ready = f"https://{address}/klar/"
        wait_until(lambda: status_of(ready, context) == 200, 30, "haproxy", process)
        yield process
    finally:
        stop(process)


def worker_memory(master):
    """The memory of the gunicorn workers under `master` (its pid), in MB: the largest
    resident set (RSS, which counts pages shared with the master) and the largest unique set
    (USS, what stopping that worker would free)."""
    import psutil  # installed with locust

    workers = psutil.Process(master).children()
    rss = [worker.memory_info().rss for worker in workers]
    uss = [worker.memory_full_info().uss for worker in workers]
    return {
        "workers": len(workers),
        "worker_rss_mb": round(max(rss) / 2**20, 1),
        "worker_uss_mb": round(max(uss) / 2**20, 1),
    }


def balanced_load(url, occurrences, seconds=BALANCER_SECONDS, users=20, password=PASSWORD):
    """The load mix through haproxy (deploy/haproxy.cfg, TLS) for `seconds` on one and then on
    two production instances started by deploy/start, each with 2 gunicorn workers: their
    figures and the memory of their workers after the load."""
    results = []
    with tempfile.TemporaryDirectory() as folder:
        static_root = collect_static(folder)
        certificate = self_signed_certificate(folder)
        for count in (1, 2):
            addresses = [free_address() for _ in range(count)]
            front = free_address()
            with ExitStack() as stack:
                masters = [
                    stack.enter_context(
                        instance(
                            production_environment(url, static_root, address),
                            Path(folder) / f"instance-{count}-{number}.log",
                        )
                    )
                    for number, address in enumerate(addresses, 1)
                ]
                # One instance: both of the configuration's server lines name it.
                stack.enter_context(
                    balancer((addresses * 2)[:2], certificate, front, Path(folder) / "haproxy.log")
                )
                # locust trusts the certificate made for this loopback run: TLS is verified.
                figures = locust(
                    f"https://{front}",
                    url,
                    occurrences,
                    seconds,
                    users,
                    password,
                    BENCH_CA_CERTIFICATE=str(certificate[0]),
                )
                memory = [worker_memory(master.pid) for master in masters]
            results.append(
                {
                    "instances": count,
                    "seconds": seconds,
                    "users": users,
                    "workers": 2,
                    **figures,
                    "worker_rss_mb": max(m["worker_rss_mb"] for m in memory),
                    "worker_uss_mb": max(m["worker_uss_mb"] for m in memory),
                }
            )
    return results


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
        for figures in by_scale[high].get("balancer", []):
            print(
                f"   balancer, {figures['instances']} instance(s) × {figures['workers']} workers: "
                f"{figures['requests']} requests in {figures['seconds']} s "
                f"({figures['requests_per_s']}/s), {figures['errors']} errors, "
                f"p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms; "
                f"per worker RSS {figures['worker_rss_mb']} MB (USS {figures['worker_uss_mb']} MB)"
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
        "balancer": [
            {key: value for key, value in figures.items() if key != "failures"}
            for figures in by_scale[high].get("balancer", [])
        ],
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
        if by_scale[high].get("balancer"):
            balanced = by_scale[high]["balancer"]
            lines += [
                "",
                f"The same load for {balanced[0]['seconds']} s through the load balancer "
                "(haproxy with `deploy/haproxy.cfg`, TLS) on production instances started by "
                f"`deploy/start`, {balanced[0]['workers']} gunicorn workers each:",
                "",
                "| instances | requests/s | requests | errors | median ms | p95 ms "
                "| memory per worker (RSS / USS MB) |",
                "|---:|---:|---:|---:|---:|---:|---:|",
            ]
            lines += [
                f"| {f['instances']} | {f['requests_per_s']} | {f['requests']} | {f['errors']} "
                f"| {f['p50_ms']:.0f} | {f['p95_ms']:.0f} "
                f"| {f['worker_rss_mb']:.0f} / {f['worker_uss_mb']:.0f} |"
                for f in balanced
            ]
            lines += [
                "",
                "The instances share this machine's cores with locust and PostgreSQL, so a second "
                "instance here shows what the balancer costs and that nothing fails, not how "
                "throughput grows with machines.",
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
        for figures in by_scale[high].get("balancer", []):
            if figures["errors"]:
                found.append(f"{backend}: {figures['errors']} errors under load through the "
                             f"balancer on {figures['instances']} instance(s)")  # fmt: skip
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
                figures["pages"] = figures_of(run(url, "bench/measure.py"))
                if scale == max(options.scales):
                    print(f"{backend} {scale}x: exports …", flush=True)
                    figures["exports"] = measure_exports(url)
                    print(f"{backend} {scale}x: the largest report …", flush=True)
                    figures["largest_report"] = measure_largest_report(url)
                    if backend == backends[-1] and not options.no_load:
                        print(f"{backend} {scale}x: load for {LOAD_SECONDS} s …", flush=True)
                        figures["load"] = load(url, occurrences)
                        if HAPROXY:
                            print(
                                f"{backend} {scale}x: load through the balancer on 1 and 2 "
                                f"instances, {BALANCER_SECONDS} s each …",
                                flush=True,
                            )
                            figures["balancer"] = balanced_load(url, occurrences)
                        else:
                            print("haproxy is not installed: no load through the balancer")
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
