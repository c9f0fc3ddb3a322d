"""What operators watch: the audit events as structured log lines (bolig.audit), each request's
id, and the readiness check. The JSON form of the lines, from a production instance, is in
tests/robustness/test_production.py."""

import logging

import pytest
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, occurrence
from tiltak.roles import Role
from tiltak.services import user_provision

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(caplog):
    """The audit events logged: (event, its fields)."""
    caplog.set_level(logging.INFO, logger="bolig.audit")

    def logged():
        return [
            (record.event, {k: v for k, v in vars(record).items() if k in FIELDS})
            for record in caplog.records
            if record.name == "bolig.audit"
        ]

    return logged


FIELDS = {
    "user_id",
    "occurrence_id",
    "status",
    "version",
    "round_id",
    "report_id",
    "role",
    "previous_role",
    "by_user_id",
}


def test_signing_in_failing_and_being_locked_out_are_audit_events(
    client, settings, directorate_user, events
):
    def sign_in(username, password):
        data = {"username": username, "password": password}
        return client.post(reverse("login"), data, REMOTE_ADDR="10.0.0.1").status_code

    sign_in("ingen-slik", "feil")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in("avdir", "feil")
    Client().post(reverse("login"), {"username": "avdir", "password": PASSWORD})

    uid = directorate_user.pk
    assert [(event, fields.get("user_id")) for event, fields in events()] == [
        ("sign_in_failed", None),  # no such user: no name is logged
        *[("sign_in_failed", uid)] * (settings.AXES_FAILURE_LIMIT - 1),
        # django-axes hears of the last failure first, and locks out.
        ("lockout", uid),
        ("sign_in_failed", uid),
        ("sign_in", uid),  # from another address
    ]


def test_a_status_change_is_an_audit_event_once_saved(
    client, coordinator, seeded_plans, events, caplog, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    caplog.clear()
    target = occurrence()
    url = reverse("tiltak:occurrence-status", args=[target.pk])
    with django_capture_on_commit_callbacks(execute=True):
        saved = client.post(url, {"version": 0, "status": "completed"})
        stale = client.post(url, {"version": 0, "status": "completed"})

    assert (saved.status_code, stale.status_code) == (302, 409)
    assert events() == [
        (
            "status_changed",
            {
                "user_id": coordinator.pk,
                "occurrence_id": target.pk,
                "status": "completed",
                "version": 1,
            },
        )
    ]


def test_finalising_a_report_is_an_audit_event(
    client, ready_round, coordinator, events, caplog, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    caplog.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("rapportering:report-finalise", args=[ready_round.pk]))

    final = ready_round.versions.get()
    assert events() == [
        (
            "report_finalised",
            {
                "user_id": coordinator.pk,
                "round_id": ready_round.pk,
                "report_id": final.pk,
                "version": 1,
            },
        )
    ]


def test_a_change_of_role_is_an_audit_event_and_an_unchanged_role_is_not(
    admin_user, directorate_user, events, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user_provision(username="avdir", role=Role.DIRECTORATE, directorate_name="AVdir")
        user_provision(username="avdir", role=Role.READER, by=admin_user)

    assert events() == [
        (
            "role_changed",
            {
                "user_id": directorate_user.pk,
                "role": "reader",
                "previous_role": "directorate",
                "by_user_id": admin_user.pk,
            },
        )
    ]


def test_each_answer_carries_its_request_id_or_the_one_it_was_given(client):
    given = client.get(reverse("login"), headers={"X-Request-ID": "lb-7f3a9c2e1d"})
    made = [client.get(reverse("login"))["X-Request-ID"] for _ in range(2)]
    refused = client.get(reverse("login"), headers={"X-Request-ID": "<script>"})

    assert given["X-Request-ID"] == "lb-7f3a9c2e1d"
    assert len(set(made)) == 2
    assert all(len(value) == 32 for value in made)
    assert refused["X-Request-ID"] != "<script>"


def test_readiness_needs_every_migration_applied(client):
    assert client.get(reverse("tiltak:readiness")).content == b"ready"

    MigrationRecorder(connection).migration_qs.filter(
        app="rapportering", name="0008_daily_reminder_once_a_day"
    ).delete()
    response = client.get(reverse("tiltak:readiness"))

    assert response.status_code == 503
    assert response.content == b"1 migration(s) not applied: run deploy/release"
    assert client.get(reverse("tiltak:health")).status_code == 200  # alive all the same


def test_sessions_outlive_a_rotated_secret_key_while_the_old_one_is_a_fallback(
    settings, coordinator
):
    home = reverse("home")
    active, away = Client(), Client()
    active.force_login(coordinator)
    away.force_login(coordinator)
    old = settings.SECRET_KEY

    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "a-new-key-" + "x" * 50, [old]
    # A session used while the old key is a fallback is signed anew with the new key.
    assert active.get(home).status_code == 200

    settings.SECRET_KEY_FALLBACKS = []
    assert active.get(home).status_code == 200
    assert away.get(home).status_code == 302  # signed with the old key only: signed out
