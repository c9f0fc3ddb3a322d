"""Project-wide checks: migrations are committed, the system checks pass."""

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration():
    call_command("makemigrations", "--check", "--dry-run", stdout=StringIO())


def test_the_system_checks_pass():
    call_command("check", stdout=StringIO())


PO_FILE = "locale/nb/LC_MESSAGES/django.po"


def test_every_message_has_a_norwegian_translation():
    from pathlib import Path

    entries = Path(PO_FILE).read_text(encoding="utf-8").split("\n\n")[1:]
    untranslated = [e for e in entries if 'msgstr ""' in e.splitlines()[-1] or 'msgstr[0] ""' in e]
    fuzzy = [e for e in entries if "#, fuzzy" in e]
    assert untranslated == []
    assert fuzzy == []


def test_the_compiled_catalogue_is_up_to_date(tmp_path):
    import shutil
    import subprocess
    from pathlib import Path

    if not shutil.which("msgfmt"):
        pytest.skip("msgfmt (gettext) is not installed")
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(compiled), PO_FILE], check=True)
    assert compiled.read_bytes() == Path(PO_FILE).with_suffix(".mo").read_bytes(), (
        "run make messages"
    )
