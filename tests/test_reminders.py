"""send_reminders: each directorate's users are told what they must follow up."""

from datetime import date

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from rapportering.models import Reminder, ReportRound
from tests.factories import deliver_contributions, make_user, open_round
from tiltak.models import Actor
from tiltak.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_email(directorate_user, other_directorate_user, reader):
    for user in (directorate_user, other_directorate_user, reader):
        user.email = f"{user.username}@example.no"
        user.save()
    return directorate_user


@pytest.fixture
def round_2019(seeded_plans, coordinator):
    return open_round(seeded_plans["handlingsplan-2018-2020"], coordinator)


def reminders(mailoutbox):
    return {message.to[0]: message for message in mailoutbox}


def test_each_directorate_user_is_reminded_of_its_contributions_and_overdue_milestones(
    mailoutbox, with_email, round_2019
):
    call_command("send_reminders", verbosity=0)

    sent = reminders(mailoutbox)
    assert set(sent) == {"avdir@example.no", "kdi@example.no"}
    avdir = sent["avdir@example.no"]
    assert avdir.subject == "Bolig for velferd: dette må AVdir følge opp"
    assert "Rapport 2019 (Handlingsplan Bolig for velferd 2018–2020), frist " in (avdir.body)
    assert "  - Bidraget til tiltak 6 er ikke levert.\n" in avdir.body
    assert f"/rapport/{round_2019.pk}/bidrag/" in avdir.body
    assert "milepæler har passert fristen" in avdir.body
    assert "/mitt-direktorat/" in avdir.body


def test_delivered_contributions_are_no_longer_mentioned(
    mailoutbox, with_email, round_2019, coordinator
):
    deliver_contributions(round_2019, coordinator)

    call_command("send_reminders", verbosity=0)

    assert "er ikke levert" not in reminders(mailoutbox)["avdir@example.no"].body


@pytest.mark.parametrize(
    "change",
    [
        {"state": ReportRound.State.FINALISED},
        {"internal_deadline": date(2099, 9, 1), "ministry_deadline": date(2099, 10, 1)},
    ],
    ids=["finalised", "deadline-far-off"],
)
def test_a_finalised_round_or_a_far_internal_deadline_reminds_of_nothing(
    mailoutbox, with_email, round_2019, change
):
    ReportRound.objects.filter(pk=round_2019.pk).update(**change)

    call_command("send_reminders", verbosity=0)

    assert "Rapport 2019" not in reminders(mailoutbox)["avdir@example.no"].body


def test_users_without_email_readers_and_directorates_with_nothing_due_get_nothing(
    mailoutbox, with_email, directorate_user
):
    directorate_user.email = ""
    directorate_user.save()
    Actor.objects.create(name="Nytt direktorat", short_name="ND", kind=Actor.Kind.DIRECTORATE)
    newcomer = make_user("nd", Role.DIRECTORATE, "ND")
    newcomer.email = "nd@example.no"
    newcomer.save()

    call_command("send_reminders", verbosity=0)

    assert set(reminders(mailoutbox)) == {"kdi@example.no"}


def test_a_dry_run_sends_nothing_and_says_who_would_get_what(
    mailoutbox, with_email, round_2019, capsys
):
    call_command("send_reminders", "--dry-run")

    assert mailoutbox == []
    assert (
        "avdir@example.no: Bolig for velferd: dette må AVdir følge opp" in capsys.readouterr().out
    )


def test_a_second_run_the_same_day_sends_nothing_and_what_was_sent_is_recorded(
    mailoutbox, with_email, round_2019, capsys
):
    call_command("send_reminders", verbosity=0)
    call_command("send_reminders")

    assert sorted(message.to[0] for message in mailoutbox) == [
        "avdir@example.no",
        "kdi@example.no",
    ]
    assert "AVdir: already reminded today, nothing sent" in capsys.readouterr().out
    avdir = Reminder.objects.get(round=round_2019, directorate__short_name="AVdir")
    assert avdir.sent_by is None
    assert avdir.recipients == ["avdir@example.no"]
    assert avdir.subject == "Bolig for velferd: dette må AVdir følge opp"
    assert "Bidraget til tiltak 6 er ikke levert." in avdir.items
    milestones = Reminder.objects.get(round=None, directorate__short_name="AVdir")
    assert milestones.items  # the overdue milestones it listed


def test_the_database_allows_one_daily_reminder_per_directorate_round_and_day(
    round_2019, coordinator
):
    avdir = Actor.objects.get(short_name="AVdir")
    Reminder.objects.create(round=round_2019, directorate=avdir, subject="x")
    Reminder.objects.create(round=None, directorate=avdir, subject="x")
    # The coordinator's own reminders from the round's page are not limited by it.
    Reminder.objects.create(round=round_2019, directorate=avdir, sent_by=coordinator, subject="x")
    Reminder.objects.create(round=round_2019, directorate=avdir, sent_by=coordinator, subject="x")

    for round in (round_2019, None):
        with pytest.raises(IntegrityError), transaction.atomic():
            Reminder.objects.create(round=round, directorate=avdir, subject="x")


def test_a_refused_email_is_not_recorded_so_the_next_run_sends_it(
    settings, with_email, round_2019, mailoutbox
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there

    with pytest.raises(ConnectionRefusedError):
        call_command("send_reminders", verbosity=0)

    assert not Reminder.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_reminders", verbosity=0)
    assert len(mailoutbox) == 2
