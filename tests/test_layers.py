"""The layers depend one way: the domain (tiltak/models.py) knows nothing of the access
policy (tiltak/permissions.py), which wraps the domain's querysets from outside; and the
choice of SQL form for "concerning" is made by one selector, not by pages or the policy."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = [ROOT / "tiltak", ROOT / "rapportering"]


def imported(path):
    """The modules the Python file at `path` imports, anywhere in it."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_the_domain_does_not_import_the_access_policy():
    assert not {"tiltak.permissions", "tiltak.permissions.updatable_occurrences"} & imported(
        ROOT / "tiltak" / "models.py"
    )
