"""Reminders from a report round's page: the coordinator emails the directorates that are
behind exactly what they lack; each reminder is recorded on the round, and a directorate is
not reminded twice within a day by mistake."""

from datetime import timedelta

import pytest
from django.urls import reverse

from rapportering.models import Reminder
from rapportering.rounds import missing_content
from tests.factories import make_user, open_round
from tiltak.models import Actor
from tiltak.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_2019(reported, coordinator, directorate_user, other_directorate_user):
    for user in (directorate_user, other_directorate_user):
        user.email = f"{user.username}@example.no"
        user.save()
    return open_round(reported, coordinator)


def remind(client, round, **data):
    return client.post(reverse("rapportering:report-remind", args=[round.pk]), data)


def test_a_reminder_to_one_directorate_lists_exactly_what_it_lacks_with_links(
    client, round_2019, coordinator, directorate_user, mailoutbox, settings
):
    second = make_user("avdir2", Role.DIRECTORATE, "AVdir")
    second.email = "avdir2@example.no"
    second.save()
    client.force_login(coordinator)

    response = remind(client, round_2019, direktorat="AVdir")

    assert response.status_code == 302
    avdir = Actor.objects.get(short_name="AVdir")
    lacking = missing_content(round_2019).of(avdir)
    assert sorted(m.to[0] for m in mailoutbox) == ["avdir2@example.no", "avdir@example.no"]
    message = mailoutbox[0]
    assert message.subject == (
        f"Påminnelse: rapporten for 2019 (Handlingsplan Bolig for velferd 2018–2020) mangler "
        f"{len(lacking.items)} ting fra dere"
    )
    for _kind, entries in lacking.by_kind:
        for item, url in entries:
            assert f"  - {item.text}\n" in message.body
            assert f"{settings.SITE_URL.rstrip('/')}{url}" in message.body
    for item in missing_content(round_2019):
        if avdir.pk not in item.directorates:  # another directorate's or the coordinator's
            assert f"{item.path}?" not in message.body
    reminder = Reminder.objects.get()
    assert (reminder.round, reminder.directorate, reminder.sent_by) == (
        round_2019,
        avdir,
        coordinator,
    )
    assert sorted(reminder.recipients) == ["avdir2@example.no", "avdir@example.no"]
    assert reminder.items == [item.text for item in lacking.items]
    assert reminder.subject == message.subject

    page = client.get(round_2019.get_absolute_url()).content.decode()
    assert "Sist påminnet" in page
    assert "Send på nytt til AVdir" in page


def test_the_same_directorate_is_not_reminded_twice_within_a_day_unless_confirmed(
    client, round_2019, coordinator, mailoutbox
):
    client.force_login(coordinator)
    remind(client, round_2019, direktorat="AVdir")
    assert len(mailoutbox) == 1

    response = remind(client, round_2019, direktorat="AVdir")

    assert len(mailoutbox) == 1
    assert Reminder.objects.count() == 1
    assert "fikk en påminnelse" in client.get(response["Location"]).content.decode()

    remind(client, round_2019, direktorat="AVdir", igjen="1")
    assert len(mailoutbox) == 2
    assert Reminder.objects.count() == 2

    Reminder.objects.update(sent_at=Reminder.objects.first().sent_at - timedelta(days=1, minutes=1))
    remind(client, round_2019, direktorat="AVdir")
    assert len(mailoutbox) == 3


def test_reminding_all_reaches_each_directorate_that_lacks_something_and_has_users(
    client, round_2019, coordinator, mailoutbox
):
    client.force_login(coordinator)

    response = remind(client, round_2019)

    lacking = {
        g.directorate.short_name for g in missing_content(round_2019).groups if g.directorate
    }
    reminded = set(Reminder.objects.values_list("directorate__short_name", flat=True))
    assert reminded == lacking & {"AVdir", "KDI"}  # the directorates with users with email
    assert {m.to[0] for m in mailoutbox} == {"avdir@example.no", "kdi@example.no"}
    page = client.get(response["Location"]).content.decode()
    for short_name in lacking - reminded:
        assert f"{short_name} har ingen aktiv bruker med e-postadresse" in page


def test_a_directorate_with_nothing_missing_is_not_reminded(
    client, ready_round, coordinator, mailoutbox
):
    client.force_login(coordinator)
    assert missing_content(ready_round).of(Actor.objects.get(short_name="KDI")) is None

    remind(client, ready_round, direktorat="KDI")

    assert mailoutbox == []
    assert not Reminder.objects.exists()


@pytest.mark.parametrize("role", ["directorate_user", "reader"])
def test_only_coordinators_send_reminders(client, round_2019, request, role, mailoutbox):
    client.force_login(request.getfixturevalue(role))

    assert remind(client, round_2019, direktorat="AVdir").status_code == 403
    assert mailoutbox == []


def test_a_directorate_user_sees_its_own_part_of_the_missing_list_and_no_reminder_button(
    client, round_2019, directorate_user
):
    client.force_login(directorate_user)

    page = client.get(round_2019.get_absolute_url()).content.decode()

    assert 'id="mangler-avdir"' in page
    assert 'id="mangler-kdi"' not in page
    assert 'id="mangler-koordinator"' not in page
    assert reverse("rapportering:report-remind", args=[round_2019.pk]) not in page


def test_the_reminder_arrives_at_a_real_smtp_server(client, round_2019, coordinator, smtp_server):
    client.force_login(coordinator)

    remind(client, round_2019, direktorat="KDI")

    [message] = smtp_server.to("kdi@example.no")
    assert str(message["Subject"]).strip().startswith("Påminnelse: rapporten for 2019")
    body = message.get_content()
    lacking = missing_content(round_2019).of(Actor.objects.get(short_name="KDI"))
    for item in lacking.items:
        assert item.text in body
    assert Reminder.objects.get().recipients == ["kdi@example.no"]
