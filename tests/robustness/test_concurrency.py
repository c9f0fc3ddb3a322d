"""Twenty simultaneous status updates to one milestone occurrence, on PostgreSQL: one wins
per starting version, every other is told of the conflict, and the history has each one
accepted."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from tiltak.models import Occurrence

pytestmark = pytest.mark.django_db(transaction=True)

WRITERS = 20


@pytest.fixture
def on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("row locks (SELECT … FOR UPDATE) are PostgreSQL's; CI runs this there")


def post_all_at_once(url, user, version):
    """POST the status form WRITERS times from as many threads, released together."""
    barrier = threading.Barrier(WRITERS)
    answers = [None] * WRITERS

    def write(number):
        client = Client()
        client.force_login(user)
        body = {
            "version": version,
            "status": "completed",
            "comment": f"Skriver {number} (versjon {version})",
        }
        barrier.wait()
        try:
            answers[number] = client.post(url, body).status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


def test_one_update_wins_per_version_and_every_accepted_one_is_in_the_history(
    on_postgresql, seeded_plans, coordinator
):
    occurrence = Occurrence.objects.filter(
        milestone__measure__plan__slug="handlingsplan-2018-2020", milestone__measure__number="8"
    ).first()
    url = reverse("occurrence-status", args=[occurrence.pk])
    history_before = occurrence.history.count()

    for version in (0, 1, 2):
        answers = post_all_at_once(url, coordinator, version)

        assert sorted(answers) == [302] + [409] * (WRITERS - 1), answers
    occurrence.refresh_from_db()
    assert occurrence.version == 3
    accepted = list(occurrence.history.order_by("history_date")[history_before:])
    assert [record.version for record in accepted] == [1, 2, 3]
    assert all(
        record.comment.endswith(f"(versjon {r.version - 1})") for r in accepted for record in [r]
    )
