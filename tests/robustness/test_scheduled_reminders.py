"""The daily reminder with several instances: `send_reminders` run twice at once, as two cron
jobs or two instances would, in two processes against PostgreSQL and a real SMTP server
(aiosmtpd), sends exactly one email to each directorate user. On SQLite the test database is
in memory, out of another process's reach; tests/test_reminders.py runs it twice in one
process on both databases."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from rapportering.models import Reminder
from tests.factories import open_round

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("another process cannot reach SQLite's in-memory test database")


def database_url():
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def test_two_runs_at_once_send_one_email_per_directorate_user(
    on_postgresql,
    smtp_server,
    settings,
    seeded_plans,
    coordinator,
    directorate_user,
    other_directorate_user,
):
    for user in (directorate_user, other_directorate_user):
        user.email = f"{user.username}@example.no"
        user.save()
    round = open_round(seeded_plans["handlingsplan-2018-2020"], coordinator)
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(settings.EMAIL_PORT),
    }
    runs = [
        subprocess.Popen(
            [sys.executable, "manage.py", "send_reminders"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=120) for run in runs]

    assert [run.returncode for run in runs] == [0, 0], outputs
    received = sorted(message["To"] for message in smtp_server.messages)
    assert received == ["avdir@example.no", "kdi@example.no"]
    avdir = smtp_server.to("avdir@example.no")[0]
    assert avdir["Subject"] == "Bolig for velferd: dette må AVdir følge opp"
    body = avdir.get_content()
    assert body.startswith(f"Hei! Dette må {directorate_user.directorate.name} følge opp i Bolig")
    assert f"/rapport/{round.pk}/bidrag/" in body
    # One run reminded each directorate; the other found it done and said so.
    said = "".join(out for out, _err in outputs)
    assert said.count("already reminded today") == 2, outputs
    # What was sent is recorded once per directorate and round (and milestones), by nobody.
    rows = Reminder.objects.filter(sent_by=None)
    assert rows.filter(round=round).count() == 2
    assert {row.recipients[0] for row in rows} == {"avdir@example.no", "kdi@example.no"}
