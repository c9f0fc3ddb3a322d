"""Simultaneous writes in one process, on PostgreSQL: twenty status updates to one milestone
occurrence (one wins per starting version, every other is told of the conflict, and the
history has each one accepted), a finalise posted twice at once (one version), and the
summary saved while the report is finalised (it does not reopen the round). The same on
SQLite, through a real server on a SQLite file, is in test_sqlite_server.py."""

import threading
import time

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse

from rapportering.models import FinalReport, ReportRound
from tiltak.models import Occurrence

pytestmark = pytest.mark.django_db(transaction=True)

WRITERS = 20


@pytest.fixture
def on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip(
            "the test database on SQLite is in memory, where writers cannot wait for each other; "
            "test_sqlite_server.py runs these on a SQLite file"
        )


def post_all_at_once(user, posts):
    """POST each (url, data) of `posts` from its own thread as `user`, released together:
    the responses, in order."""
    barrier = threading.Barrier(len(posts))
    answers = [None] * len(posts)

    def write(number, url, data):
        client = Client()
        client.force_login(user)
        barrier.wait()
        try:
            answers[number] = client.post(url, data)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=write, args=(n, url, data)) for n, (url, data) in enumerate(posts)
    ]
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
    url = reverse("tiltak:occurrence-status", args=[occurrence.pk])
    history_before = occurrence.history.count()

    for version in (0, 1, 2):
        posts = [
            (
                url,
                {
                    "version": version,
                    "status": "completed",
                    "comment": f"Skriver {number} (versjon {version})",
                },
            )
            for number in range(WRITERS)
        ]
        answers = [response.status_code for response in post_all_at_once(coordinator, posts)]

        assert sorted(answers) == [302] + [409] * (WRITERS - 1), answers
    occurrence.refresh_from_db()
    assert occurrence.version == 3
    accepted = list(occurrence.history.order_by("history_date")[history_before:])
    assert [record.version for record in accepted] == [1, 2, 3]
    assert all(
        record.comment.endswith(f"(versjon {r.version - 1})") for r in accepted for record in [r]
    )


def test_a_finalise_posted_twice_at_once_makes_one_version_and_tells_the_other_tab(
    on_postgresql, ready_round, coordinator
):
    url = reverse("rapportering:report-finalise", args=[ready_round.pk])

    answers = post_all_at_once(coordinator, [(url, {}), (url, {})])

    assert sorted(response.status_code for response in answers) == [302, 409]
    final = FinalReport.objects.get(round=ready_round)
    assert final.version == 1
    [refused] = [r.content.decode() for r in answers if r.status_code == 409]
    assert "Rapporten er allerede ferdigstilt som versjon 1" in refused
    assert f'href="{final.get_absolute_url()}"' in refused


def wait_until_locked(round):
    """Return once another transaction holds `round`'s row (finalising has begun)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with transaction.atomic():
                ReportRound.objects.select_for_update(nowait=True).get(pk=round.pk)
        except DatabaseError:
            return
        time.sleep(0.02)
    raise AssertionError("finalising never locked the round")


def test_a_summary_saved_while_the_report_is_finalised_does_not_reopen_the_round(
    on_postgresql, ready_round, coordinator
):
    """The summary is saved under the round's lock, as finalising is: a save that comes
    while the report is being finalised waits for it and is refused, and never writes the
    round back over the finalised one."""
    finalising = threading.Thread(
        target=post_all_at_once,
        args=(coordinator, [(reverse("rapportering:report-finalise", args=[ready_round.pk]), {})]),
    )
    finalising.start()
    wait_until_locked(ready_round)
    client = Client()
    client.force_login(coordinator)

    compiled = client.post(
        reverse("rapportering:report-compile", args=[ready_round.pk]),
        {
            "summary": "Skrevet mens rapporten ble ferdigstilt.",
            "challenges": ready_round.challenges,
            "challenge_actions": ready_round.challenge_actions,
        },
        follow=True,
    )
    finalising.join(timeout=60)

    assert "Rapporten er ferdigstilt; start en rettelse for å endre den." in (
        compiled.content.decode()
    )
    ready_round.refresh_from_db()
    assert ready_round.state == ReportRound.State.FINALISED
    assert ready_round.summary == "Arbeidet går i hovedsak etter planen."
    assert FinalReport.objects.get(round=ready_round).content["summary"] == ready_round.summary
