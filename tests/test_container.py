"""The container image definition (Containerfile). No image can be built on these machines (no
base image can be pulled), so this checks what can go stale without one: everything it copies
and runs exists, it runs the tested entry point (deploy/start) as a non-root user, every
setting it sets is one the application or gunicorn reads, it installs the system libraries the
tests run with, and its Python is the project's."""

import os
import re
import shlex

from tests.factories import ROOT

CONTAINERFILE = (ROOT / "Containerfile").read_text()
INSTRUCTIONS = [
    (line.split(None, 1)[0], line.split(None, 1)[1] if " " in line else "")
    for line in re.sub(r"\\\n\s*", " ", CONTAINERFILE).splitlines()
    if line.strip() and not line.lstrip().startswith("#")
]


def arguments(name):
    return [value for instruction, value in INSTRUCTIONS if instruction == name]


def test_it_copies_only_what_the_repository_has():
    copied = [
        shlex.split(value)[:-1] for value in arguments("COPY") if not value.startswith("--from")
    ]
    assert copied
    for sources in copied:
        for source in sources:
            assert (ROOT / source).exists(), source


def test_it_runs_the_tested_entry_point_as_a_non_root_user():
    assert arguments("CMD") == ['["deploy/start"]']
    assert os.access(ROOT / "deploy" / "start", os.X_OK)
    [user] = arguments("USER")
    assert user not in ("root", "0")
    run = " ".join(arguments("RUN"))
    assert "deploy/collectstatic" in run
    assert os.access(ROOT / "deploy" / "collectstatic", os.X_OK)
    # Every deploy script the image names exists and is executable.
    for script in set(re.findall(r"deploy/[\w.-]+", CONTAINERFILE)):
        assert os.access(ROOT / script, os.X_OK), script


def test_every_variable_it_sets_is_read_by_the_application_or_gunicorn():
    readers = "".join(
        (ROOT / path).read_text()
        for path in ("bolig/settings.py", "deploy/gunicorn.conf.py", "deploy/start")
    )
    variables = re.findall(r"(\w+)=", " ".join(arguments("ENV")))
    assert variables
    python_own = {"PATH", "PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED"}
    for name in set(variables) - python_own:
        assert re.search(rf"[\"'$]{{?{name}\b", readers), f"nothing reads {name}"


def test_it_installs_the_system_libraries_the_tests_run_with():
    ci = (ROOT / ".ci" / "run").read_text()
    needed = set(re.search(r"SYSTEM_PACKAGES=\(([^)]*)\)", ci).group(1).split())
    installed = set(" ".join(arguments("RUN")).split())
    for_the_report = {
        "libpango-1.0-0",
        "libpangoft2-1.0-0",
        "libharfbuzz-subset0",
        "libcairo2",
        "fonts-dejavu-core",
    }
    assert for_the_report <= needed
    assert for_the_report <= installed


def test_its_python_is_the_projects():
    required = re.search(r'requires-python = ">=(\d+\.\d+)', (ROOT / "pyproject.toml").read_text())
    bases = arguments("FROM")
    assert bases
    assert all(f"python:{required.group(1)}-" in base for base in bases)
