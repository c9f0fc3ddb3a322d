"""The application under gunicorn (2 workers) on PostgreSQL, loaded from a second process
(locust) with page views and status updates for 60 seconds: no errors, nothing lost."""

import os

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from bench.run import load
from tests.factories import PASSWORD
from tiltak.models import Occurrence

pytestmark = pytest.mark.django_db(transaction=True)

SECONDS = int(os.environ.get("LOAD_TEST_SECONDS", "60"))


def database_url():
    settings = connection.settings_dict
    return f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{settings['NAME']}"


def test_sixty_seconds_of_pages_and_status_updates_without_an_error(seeded_plans, coordinator):
    if connection.vendor != "postgresql":
        pytest.skip("two gunicorn workers writing at once need PostgreSQL; CI runs this there")
    # The server hashes as production does; the tests' fast hasher is not among its hashers.
    hasher = PBKDF2PasswordHasher()
    coordinator.password = hasher.encode(PASSWORD, hasher.salt())
    coordinator.save(update_fields=["password"])
    targets = list(
        Occurrence.objects.filter(milestone__measure__plan__slug="handlingsplan-2018-2020")
        .order_by("pk")
        .values_list("pk", flat=True)[:40]
    )

    figures = load(
        database_url(), ",".join(map(str, targets)), seconds=SECONDS, users=10, password=PASSWORD
    )

    assert figures["errors"] == 0, figures["failures"]
    assert figures["requests"] > 10 * SECONDS, figures
    assert figures["status_updates"] > SECONDS, figures
    updated = Occurrence.objects.filter(pk__in=targets)
    accepted = sum(occurrence.version for occurrence in updated)
    history = Occurrence.history.filter(id__in=targets, history_type="~").count()
    assert accepted > 0
    assert history == accepted  # every accepted update is in the history, none lost
