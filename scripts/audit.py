"""`make audit`'s dependency check: pip-audit, telling "no known vulnerabilities" apart from
"not checked".

pip-audit prints "No known vulnerabilities found" and exits 0 even when its vulnerability
service answered for no package at all (each one skipped: "Dependency not found on PyPI and
could not be audited", as behind a registry mirror without PyPI's JSON API), and ends in a
traceback when it cannot reach the service. This runs it with `--format json` and says which:

- vulnerabilities found: each one is listed and the exit status is 1 (the audit fails);
- the service unreachable, or packages skipped: a "NOT CHECKED: …" line and exit status 0, so
  that CI on a machine without internet passes, with the line in its output;
- every package checked and none vulnerable: "No known vulnerabilities found in N packages".

    python scripts/audit.py                          # audit the installed packages
    python scripts/audit.py -- --vulnerability-service osv   # arguments after -- go to pip-audit
    python scripts/audit.py --report report.json     # judge a saved `pip-audit --format json`
"""

import argparse
import json
import subprocess  # nosec B404: runs pip-audit, a fixed command
import sys

PIP_AUDIT = [
    sys.executable,
    *("-m", "pip_audit", "--skip-editable", "--progress-spinner", "off", "--format", "json"),
]
EDITABLE = "distribution marked as editable"  # our own package: not on PyPI, not a dependency
NAMES_SHOWN = 5


def run_pip_audit(arguments):
    """pip-audit's JSON report, or None and the last line it wrote when it gave none."""
    result = subprocess.run(  # nosec B603: a fixed command and the caller's own arguments
        [*PIP_AUDIT, *arguments], capture_output=True, text=True, check=False
    )
    try:
        return json.loads(result.stdout), ""
    except json.JSONDecodeError:
        lines = result.stderr.strip().splitlines() or [f"exit status {result.returncode}"]
        return None, lines[-1]


def verdict(report, problem=""):
    """The lines to print about pip-audit's `report` and the exit status."""
    if report is None:
        return [f"NOT CHECKED: pip-audit gave no report: {problem}"], 0
    packages = [p for p in report["dependencies"] if p.get("skip_reason") != EDITABLE]
    skipped = [p for p in packages if "skip_reason" in p]
    vulnerable = [p for p in packages if p.get("vulns")]
    lines = [
        f"VULNERABLE: {package['name']} {package['version']}: {vuln['id']}"
        f" (fixed in {', '.join(vuln.get('fix_versions') or []) or 'no version yet'})"
        for package in vulnerable
        for vuln in package["vulns"]
    ]
    if skipped:
        names = ", ".join(p["name"] for p in skipped[:NAMES_SHOWN])
        more = f" and {len(skipped) - NAMES_SHOWN} more" if len(skipped) > NAMES_SHOWN else ""
        lines.append(
            f"NOT CHECKED: {len(skipped)} of {len(packages)} packages ({names}{more}): "
            f"{skipped[0]['skip_reason']}"
        )
    checked = len(packages) - len(skipped)
    if checked and not vulnerable:
        lines.append(f"No known vulnerabilities found in {checked} packages")
    return lines, 1 if vulnerable else 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report", help="a saved `pip-audit --format json` report to judge")
    parser.add_argument("pip_audit_arguments", nargs="*", help="after --: passed to pip-audit")
    options = parser.parse_args(argv)
    if options.report:
        with open(options.report, encoding="utf-8") as handle:
            report, problem = json.load(handle), ""
    else:
        report, problem = run_pip_audit(options.pip_audit_arguments)
    lines, status = verdict(report, problem)
    print("\n".join(lines))
    return status


if __name__ == "__main__":
    sys.exit(main())
