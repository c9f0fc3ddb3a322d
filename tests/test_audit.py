"""`make audit`'s dependency check (scripts/audit.py) tells "no known vulnerabilities" apart
from "not checked", and fails on a real finding. It is run as `make audit` runs it: as a
program, on reports in pip-audit's own JSON shapes and on pip-audit itself."""

import json
import os
import subprocess
import sys

from tests.factories import ROOT

AUDIT = [sys.executable, str(ROOT / "scripts" / "audit.py")]
OURS = {"name": "bolig-for-velferd", "skip_reason": "distribution marked as editable"}


def clean(name):
    return {"name": name, "version": "1.0", "vulns": []}


def not_found(name):
    reason = f"Dependency not found on PyPI and could not be audited: {name} (1.0)"
    return {"name": name, "skip_reason": reason}


VULNERABLE = {
    "name": "django",
    "version": "5.2.19",
    "vulns": [
        {
            "id": "PYSEC-2026-101",
            "fix_versions": ["5.2.20", "6.0.3"],
            "aliases": ["CVE-2026-12345"],
            "description": "SQL injection in something",
        }
    ],
}


def audit(tmp_path, dependencies):
    report = tmp_path / "report.json"
    report.write_text(json.dumps({"dependencies": dependencies, "fixes": []}))
    return subprocess.run(
        [*AUDIT, "--report", str(report)], capture_output=True, text=True, check=False
    )


def test_a_service_that_answered_for_no_package_is_not_checked_not_no_vulnerabilities(tmp_path):
    result = audit(tmp_path, [not_found("asgiref"), OURS, not_found("django")])

    assert result.returncode == 0
    assert result.stdout.startswith("NOT CHECKED: 2 of 2 packages (asgiref, django)")
    assert "No known vulnerabilities" not in result.stdout


def test_packages_skipped_among_checked_ones_are_named(tmp_path):
    packages = [clean(f"package{n}") for n in range(3)] + [not_found(f"odd{n}") for n in range(7)]

    result = audit(tmp_path, [*packages, OURS])

    assert result.returncode == 0
    assert "NOT CHECKED: 7 of 10 packages (odd0, odd1, odd2, odd3, odd4 and 2 more)" in (
        result.stdout
    )
    assert "No known vulnerabilities found in 3 packages" in result.stdout


def test_every_package_checked_and_none_vulnerable(tmp_path):
    result = audit(tmp_path, [clean("asgiref"), clean("django"), OURS])

    assert result.returncode == 0
    assert result.stdout.strip() == "No known vulnerabilities found in 2 packages"


def test_a_vulnerability_fails_the_audit_even_when_others_were_not_checked(tmp_path):
    result = audit(tmp_path, [clean("asgiref"), VULNERABLE, not_found("pyyaml"), OURS])

    assert result.returncode == 1
    assert "VULNERABLE: django 5.2.19: PYSEC-2026-101 (fixed in 5.2.20, 6.0.3)" in result.stdout
    assert "NOT CHECKED: 1 of 3 packages (pyyaml)" in result.stdout
    assert "No known vulnerabilities" not in result.stdout


def test_pip_audit_that_cannot_reach_its_service_is_not_checked():
    """pip-audit itself, its service (OSV) behind a proxy that refuses every connection."""
    unreachable = "http://127.0.0.1:9"
    env = {**os.environ, "HTTPS_PROXY": unreachable, "HTTP_PROXY": unreachable, "NO_PROXY": ""}

    result = subprocess.run(
        [*AUDIT, "--", "--vulnerability-service", "osv", "--timeout", "5"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=300,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("NOT CHECKED: pip-audit gave no report:")
    assert "api.osv.dev" in result.stdout  # the reason: it could not connect
    assert "No known vulnerabilities" not in result.stdout
