"""Faults: the database restarting under a running server, a write failing half-way, an
export failing, and a backup restored into an empty database."""

import hashlib
import os
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import replace

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from bench.run import gunicorn
from rapportering.exports import FORMATS
from rapportering.models import FinalReport, ReportRound

PLAN = "handlingsplan-2018-2020"


def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL server to restart, dump and restore; CI runs this there")


def database_url(name=None):
    settings = connection.settings_dict
    host, port = settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
    return f"postgres://{settings['USER']}@{host}:{port}/{name or settings['NAME']}"


def status_of(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def restart_postgres():
    version = next(iter(os.listdir("/etc/postgresql")))
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
        check=True,
        capture_output=True,
    )
    for _attempt in range(60):
        if subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"]).returncode == 0:
            return
        time.sleep(0.5)
    raise AssertionError("PostgreSQL did not come back")


@pytest.mark.django_db(transaction=True)
def test_the_first_request_after_a_database_restart_succeeds(seeded_plans):
    postgres_only()
    address = "127.0.0.1:8766"
    # CONN_MAX_AGE 60, as in production: the server keeps its connection between requests.
    with gunicorn(database_url(), address, workers=1):
        assert status_of(f"http://{address}/helse/") == 200  # a persistent connection is open

        connection.close()
        restart_postgres()

        assert status_of(f"http://{address}/helse/") == 200
        assert status_of(f"http://{address}/login/") == 200


@pytest.mark.django_db
def test_a_finalise_that_fails_half_way_leaves_nothing_behind(
    client, ready_round, coordinator, monkeypatch
):
    round = ready_round

    def broken(report):
        raise OSError("disk full")

    # The Excel file fails after the PDF and the Word file are made.
    monkeypatch.setitem(FORMATS, "xlsx", replace(FORMATS["xlsx"], render=broken))
    client.raise_request_exception = False
    client.force_login(coordinator)

    response = client.post(reverse("rapportering:report-finalise", args=[round.pk]))

    assert response.status_code == 500
    assert not FinalReport.objects.exists()
    assert ReportRound.objects.get(pk=round.pk).state == ReportRound.State.OPEN


@pytest.mark.django_db
def test_an_export_that_fails_leaves_no_file(tmp_path, reported, monkeypatch):
    def broken(report):
        raise OSError("disk full")

    monkeypatch.setitem(FORMATS, "pdf", replace(FORMATS["pdf"], render=broken))

    with pytest.raises(OSError, match="disk full"):
        call_command(
            "export_report", PLAN, "2019", "--format", "pdf", "--output", str(tmp_path / "r.pdf")
        )
    assert list(tmp_path.iterdir()) == []


TABLES = """
SELECT table_name FROM information_schema.tables
WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name
"""


def snapshot(url):
    """Every table's row count, and every finalised report's and file's checksum."""

    def query(sql):
        result = subprocess.run(
            ["psql", url, "-At", "-c", sql], check=True, capture_output=True, text=True
        )
        return result.stdout.split()

    counts = {table: query(f'SELECT count(*) FROM "{table}"')[0] for table in query(TABLES)}
    checksums = query(
        "SELECT r.version || ':' || r.checksum || ':' || f.format || ':' || encode(sha256(f.data), 'hex') "
        "FROM rapportering_finalreport r JOIN rapportering_finalreportfile f ON f.report_id = r.id "
        "ORDER BY 1"
    )
    return counts, checksums


@pytest.mark.django_db(transaction=True)
def test_a_backup_restored_into_an_empty_database_is_the_same(
    client, ready_round, coordinator, tmp_path
):
    postgres_only()
    round = ready_round
    client.force_login(coordinator)
    assert client.post(reverse("rapportering:report-finalise", args=[round.pk])).status_code == 302
    source, copy = database_url(), database_url("bolig_restore_drill")
    dump = tmp_path / "bolig.dump"
    admin = database_url("postgres")
    subprocess.run(
        ["psql", admin, "-qc", "DROP DATABASE IF EXISTS bolig_restore_drill"], check=True
    )
    subprocess.run(["psql", admin, "-qc", "CREATE DATABASE bolig_restore_drill"], check=True)
    try:
        subprocess.run(["pg_dump", "--format=custom", "--file", str(dump), source], check=True)
        subprocess.run(["pg_restore", "--no-owner", "--dbname", copy, str(dump)], check=True)

        before, after = snapshot(source), snapshot(copy)

        assert after == before
        counts, checksums = after
        assert int(counts["tiltak_historicaloccurrence"]) > 0
        assert len(checksums) == len(FORMATS)
        final = FinalReport.objects.get()
        assert all(line.startswith(f"1:{final.checksum}:") for line in checksums)
        assert hashlib.sha256(bytes(final.files.get(format="csv").data)).hexdigest() in "".join(
            checksums
        )
    finally:
        subprocess.run(
            ["psql", admin, "-qc", "DROP DATABASE IF EXISTS bolig_restore_drill"], check=True
        )
