"""send_reminders: each directorate's users are told what they must follow up."""

from datetime import date

import pytest
from django.core.management import call_command

from rapportering.models import ReportRound
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
