"""Plans have a life cycle: draft, active, closed. A coordinator closes a plan after its period,
giving every open occurrence a final status; the closed plan is then read-only and leaves the
work lists, the reminders and the calendar feeds, but stays readable."""

from datetime import date

import icalendar
import pytest
from django.core.management import call_command
from django.urls import reverse

from rapportering.models import CalendarFeed
from tests.factories import REPORTED_PLAN, occurrence
from tiltak.models import Occurrence, Plan
from tiltak.selectors import plan_open_occurrences

pytestmark = pytest.mark.django_db

OLD_PLAN = "tiltaksplan-2015"


def close_url(slug):
    return reverse("tiltak:plan-close", args=[slug])


def close_body(plan, final="completed", reason="Gjennomført i 2020", leave_out=()):
    body = {}
    for o in plan_open_occurrences(plan):
        if o.pk in leave_out:
            continue
        body[f"final_{o.pk}"] = final
        body[f"reason_{o.pk}"] = reason
    return body


def close(client, plan, **kwargs):
    response = client.post(close_url(plan.slug), close_body(plan, **kwargs))
    assert response.status_code == 302, response.content.decode()[:2000]
    plan.refresh_from_db()
    return response


def test_existing_and_imported_plans_are_active(seeded_plans):
    assert {p.state for p in seeded_plans.values()} == {Plan.State.ACTIVE}


def test_closing_is_refused_before_the_period_ends(client, seeded_plans, coordinator):
    plan = seeded_plans[REPORTED_PLAN]
    Plan.objects.filter(pk=plan.pk).update(end=date(2099, 12, 31))
    client.force_login(coordinator)

    page = client.get(close_url(plan.slug))
    posted = client.post(close_url(plan.slug), close_body(plan))

    assert page.status_code == posted.status_code == 409
    assert "når perioden er over" in posted.content.decode()
    plan.refresh_from_db()
    assert plan.state == Plan.State.ACTIVE
    assert "Avslutt planen" not in client.get(plan.get_absolute_url()).content.decode()


def test_the_plan_page_offers_closing_to_coordinators_once_the_period_has_ended(
    client, seeded_plans, coordinator, reader
):
    plan = seeded_plans[OLD_PLAN]
    client.force_login(reader)
    assert close_url(plan.slug) not in client.get(plan.get_absolute_url()).content.decode()
    client.force_login(coordinator)
    assert close_url(plan.slug) in client.get(plan.get_absolute_url()).content.decode()


def test_closing_is_refused_while_an_open_occurrence_lacks_its_final_status(
    client, seeded_plans, coordinator
):
    plan = seeded_plans[OLD_PLAN]
    first, second = list(plan_open_occurrences(plan))[:2]
    body = close_body(plan, reason="Vår grunn", leave_out=[first.pk])
    body[f"final_{second.pk}"] = "carried_over"  # without the plan it goes to
    client.force_login(coordinator)

    response = client.post(close_url(plan.slug), body)

    assert response.status_code == 422
    text = response.content.decode()
    assert "Velg planen det overføres til." in text
    assert "Vår grunn" in text  # what was typed is kept
    plan.refresh_from_db()
    assert plan.state == Plan.State.ACTIVE
    assert (
        Occurrence.objects.filter(milestone__measure__plan=plan, comment="Vår grunn").count() == 0
    )


def test_closing_gives_every_open_occurrence_its_final_status_with_history(
    client, seeded_plans, coordinator
):
    plan, target = seeded_plans[OLD_PLAN], seeded_plans[REPORTED_PLAN]
    cancelled, carried, *rest = list(plan_open_occurrences(plan))
    body = close_body(plan)
    body[f"final_{cancelled.pk}"] = "cancelled"
    body[f"reason_{cancelled.pk}"] = "Ikke lenger aktuelt"
    body[f"final_{carried.pk}"] = "carried_over"
    body[f"target_{carried.pk}"] = target.pk
    body[f"reason_{carried.pk}"] = "Videreført i handlingsplanen"
    client.force_login(coordinator)

    response = client.post(close_url(plan.slug), body)

    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.state == Plan.State.CLOSED
    assert plan.history.latest().history_user == coordinator
    cancelled.refresh_from_db()
    assert (cancelled.status, cancelled.comment, cancelled.deviation_cause) == (
        Occurrence.Status.CANCELLED,
        "Ikke lenger aktuelt",
        "Ikke lenger aktuelt",
    )
    carried.refresh_from_db()
    assert carried.carried_over_to == target
    assert carried.comment == "Videreført i handlingsplanen"
    assert carried.history.latest().history_user == coordinator
    assert {o.status for o in Occurrence.objects.filter(pk__in=[o.pk for o in rest])} == {
        Occurrence.Status.COMPLETED
    }
    listed = client.get(reverse("tiltak:plan-list")).content.decode()
    assert listed.index("Avsluttede planer") < listed.index(plan.title)


def test_a_closed_plan_is_read_only_but_readable(client, seeded_plans, coordinator):
    plan = seeded_plans[REPORTED_PLAN]
    client.force_login(coordinator)
    close(client, plan)
    some = occurrence()

    edit = client.get(reverse("tiltak:plan-update", args=[plan.slug]))
    measure_edit = client.post(
        reverse("tiltak:measure-update", args=[some.milestone.measure_id]), {}
    )
    status = client.post(
        reverse("tiltak:occurrence-status", args=[some.pk]),
        {"version": some.version, "status": "completed"},
    )

    for response in (edit, measure_edit, status):
        assert response.status_code == 403
        assert "er avsluttet og kan ikke lenger endres" in response.content.decode()
    assert client.get(plan.get_absolute_url()).status_code == 200
    assert (
        client.get(reverse("tiltak:measure-detail", args=[some.milestone.measure_id])).status_code
        == 200
    )
    assert client.get(close_url(plan.slug)).status_code == 409  # closed once


def test_my_directorate_lists_active_plans_only(
    client, seeded_plans, coordinator, directorate_user
):
    client.force_login(directorate_user)
    before = client.get(reverse("tiltak:my-directorate")).context
    assert before["overdue"].paginator.count
    assert before["measures"].object_list

    client.force_login(coordinator)
    for plan in seeded_plans.values():
        close(client, plan)
    client.force_login(directorate_user)
    after = client.get(reverse("tiltak:my-directorate")).context

    for name in ("overdue", "due_soon", "not_assessed"):
        assert after[name].paginator.count == 0
    assert not after["measures"].object_list


def test_reminders_leave_out_closed_plans(
    mailoutbox, seeded_plans, directorate_user, client, coordinator
):
    directorate_user.email = "avdir@example.no"
    directorate_user.save()
    call_command("send_reminders", verbosity=0)
    assert len(mailoutbox) == 1

    client.force_login(coordinator)
    for plan in seeded_plans.values():
        close(client, plan)
    mailoutbox.clear()
    call_command("send_reminders", verbosity=0)

    assert mailoutbox == []


def test_the_calendar_feed_leaves_out_closed_plans(
    client, seeded_plans, coordinator, directorate_user
):
    client.force_login(directorate_user)
    client.post(reverse("rapportering:calendar"), {"directorate": "AVdir"})
    feed = CalendarFeed.objects.get(user=directorate_user)
    before = icalendar.Calendar.from_ical(client.get(feed.get_absolute_url()).content)
    assert before.walk("VEVENT")

    client.force_login(coordinator)
    for plan in seeded_plans.values():
        close(client, plan)
    client.logout()
    after = icalendar.Calendar.from_ical(client.get(feed.get_absolute_url()).content)

    assert after.walk("VEVENT") == []


def test_the_close_page_has_a_constant_number_of_queries(
    client, seeded_plans, larger_plan, coordinator, queries_for
):
    client.force_login(coordinator)
    Plan.objects.filter(pk=larger_plan.pk).update(end=date(2023, 12, 31))
    small = queries_for(20, lambda: client.get(close_url(OLD_PLAN)))
    large = queries_for(20, lambda: client.get(close_url(larger_plan.slug)))
    assert small == large
