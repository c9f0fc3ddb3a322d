"""Updating the status of a milestone occurrence: validation, permissions, no lost updates."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests import factories
from tiltak.models import Occurrence
from tiltak.roles import Role
from tiltak.services import occurrence_update_status

pytestmark = pytest.mark.django_db

DEVIATION = {
    "deviation_cause": "Forsinket anskaffelse",
    "deviation_consequence": "Informasjonen kommer senere ut til kommunene",
    "corrective_action": "Ekstra ressurser i 2. kvartal",
}


def url(occurrence):
    return reverse("tiltak:occurrence-status", args=[occurrence.pk])


def post(client, occurrence, version=0, **values):
    data = {"version": version, "status": "in_progress", "assessment": "", "comment": "", **values}
    return client.post(url(occurrence), data)


@pytest.fixture
def signed_in(client, coordinator):
    client.force_login(coordinator)
    return client


def test_the_form_shows_the_occurrence_and_its_version(signed_in, seeded_plans):
    occurrence = factories.occurrence("8")

    response = signed_in.get(url(occurrence))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Informasjon i Veiviseren om refusjonsordningen" in content
    assert 'name="version" value="0"' in content
    assert '<label class="ds-label" for="id_deviation_cause">' in content


def test_a_status_update_is_saved_with_author_and_history(signed_in, seeded_plans, coordinator):
    occurrence = factories.occurrence("9")  # continuous: never overdue

    response = post(signed_in, occurrence, assessment="green", comment="Godt i gang")

    assert response.status_code == 302
    assert (
        response["Location"]
        == f"/tiltak/{occurrence.milestone.measure_id}/?lagret={occurrence.pk}#occurrence-{occurrence.pk}"
    )
    occurrence.refresh_from_db()
    assert (occurrence.status, occurrence.assessment, occurrence.comment) == (
        "in_progress",
        "green",
        "Godt i gang",
    )
    assert occurrence.version == 1
    assert occurrence.updated_by == coordinator
    assert occurrence.history.count() == 2
    assert occurrence.history.first().history_user == coordinator


@pytest.mark.parametrize(
    ("number", "values"),
    [
        ("9", {"status": "postponed"}),
        ("9", {"status": "cancelled"}),
        ("9", {"assessment": "red"}),
        ("8", {}),  # 31 March 2018 is long past: overdue while still open
    ],
    ids=["postponed", "cancelled", "red", "overdue"],
)
def test_a_deviation_needs_its_cause_consequence_and_action(
    signed_in, seeded_plans, number, values
):
    occurrence = factories.occurrence(number)

    response = post(signed_in, occurrence, **values)

    content = response.content.decode()
    assert response.status_code == 422
    for name in DEVIATION:
        assert f'id="id_{name}_error"' in content
        # described by its limit (the help text) and by the error
        assert f'aria-describedby="id_{name}_helptext id_{name}_error"' in content
    assert "Må fylles ut når milepælen har avvik." in content
    assert 'role="alert"' in content
    occurrence.refresh_from_db()
    assert occurrence.version == 0
    assert occurrence.history.count() == 1


def test_a_postponed_milestone_also_needs_a_new_date_but_a_cancelled_one_does_not(
    signed_in, seeded_plans
):
    occurrence = factories.occurrence("9")

    postponed = post(signed_in, occurrence, status="postponed", **DEVIATION)
    cancelled = post(signed_in, occurrence, status="cancelled", **DEVIATION)

    assert postponed.status_code == 422
    assert 'id="id_new_date_error"' in postponed.content.decode()
    assert cancelled.status_code == 302
    occurrence.refresh_from_db()
    assert occurrence.status == "cancelled"
    assert occurrence.has_deviation()


def test_a_new_date_is_a_deviation_and_is_kept_beside_the_date_first_planned(
    signed_in, seeded_plans
):
    occurrence = factories.occurrence("8")

    response = post(signed_in, occurrence, status="postponed", new_date="2018-09-30", **DEVIATION)

    assert response.status_code == 302
    occurrence.refresh_from_db()
    assert occurrence.planned_date == date(2018, 3, 31)
    assert occurrence.new_date == date(2018, 9, 30)
    assert occurrence.is_rescheduled


def test_an_overdue_milestone_completed_needs_no_deviation(signed_in, seeded_plans):
    occurrence = factories.occurrence("8")

    response = post(signed_in, occurrence, status="completed", assessment="green")

    assert response.status_code == 302


def test_no_caller_can_save_an_incomplete_deviation(seeded_plans, coordinator):
    """The rule is the model's: the service refuses what the form refuses, by field."""
    occurrence = factories.occurrence("9")
    values = {name: getattr(occurrence, name) for name in Occurrence.STATUS_FIELDS}

    with pytest.raises(ValidationError) as refused:
        occurrence_update_status(
            occurrence_id=occurrence.pk,
            user=coordinator,
            expected_version=0,
            values={**values, "status": "postponed", "deviation_cause": "Forsinket"},
        )

    assert refused.value.message_dict == {
        name: ["Må fylles ut når milepælen har avvik."]
        for name in ("deviation_consequence", "corrective_action", "new_date")
    }
    occurrence.refresh_from_db()
    assert (occurrence.status, occurrence.version) == ("not_started", 0)
    assert occurrence.history.count() == 1


def test_an_unreported_deviation_does_not_stop_the_admin_saving_the_occurrence(
    client, seeded_plans, admin_user
):
    """The 2015 plan's first milestone is long overdue and nobody has reported on it: the
    admin, where status is read-only, still saves the occurrence (the rule is for a status
    update)."""
    occurrence = Occurrence.objects.filter(
        milestone__measure__plan__slug="tiltaksplan-2015", updated_at=None
    ).first()
    assert occurrence.has_deviation()
    assert not occurrence.deviation_cause
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:tiltak_occurrence_change", args=[occurrence.pk]),
        {"milestone": occurrence.milestone_id, "year": 2015, "planned_date": "2015-03-01"},
    )

    assert response.status_code == 302
    occurrence.refresh_from_db()
    assert occurrence.planned_date == date(2015, 3, 1)
    assert occurrence.has_deviation()


@pytest.mark.parametrize("bad", ["1899-01-01", "2101-01-01", "31.02.2020", "i morgen"])
def test_a_bad_new_date_is_refused(signed_in, seeded_plans, bad):
    occurrence = factories.occurrence("9")

    response = post(signed_in, occurrence, status="postponed", new_date=bad, **DEVIATION)

    assert response.status_code == 422
    assert 'id="id_new_date_error"' in response.content.decode()


def test_an_unknown_status_is_refused(signed_in, seeded_plans):
    response = post(signed_in, factories.occurrence("9"), status="done")
    assert response.status_code == 422


def test_the_second_of_two_saves_from_the_same_start_is_refused_and_shown_what_changed(
    client, seeded_plans, coordinator, directorate_user
):
    """AVdir and the coordinator open the same form; the coordinator saves first."""
    occurrence = factories.occurrence("2")  # continuous, AVdir contributes to measure 2
    client.force_login(coordinator)
    assert (
        post(
            client,
            occurrence,
            version=0,
            status="completed",
            assessment="green",
            comment="Invitasjon sendt",
        ).status_code
        == 302
    )

    client.force_login(directorate_user)
    response = post(
        client,
        occurrence,
        version=0,
        status="in_progress",
        assessment="yellow",
        comment="Noen kommuner mangler",
    )

    content = response.content.decode()
    assert response.status_code == 409
    assert "Noen andre lagret en endring først" in content
    assert "Status: Ikke startet → Fullført" in content
    assert "Invitasjon sendt" in content
    assert 'name="version" value="1"' in content  # ready to apply again
    assert "Noen kommuner mangler" in content  # the user's own values are kept
    occurrence.refresh_from_db()
    assert (occurrence.status, occurrence.comment, occurrence.updated_by) == (
        "completed",
        "Invitasjon sendt",
        coordinator,
    )

    again = post(
        client,
        occurrence,
        version=1,
        status="in_progress",
        assessment="yellow",
        comment="Noen kommuner mangler",
    )

    assert again.status_code == 302
    occurrence.refresh_from_db()
    assert occurrence.version == 2
    assert [(h.history_user.username, h.status) for h in occurrence.history.order_by("history_id")][
        1:
    ] == [
        ("koordinator", "completed"),
        ("avdir", "in_progress"),
    ]


def test_htmx_gets_the_form_as_a_fragment_and_is_redirected_after_saving(signed_in, seeded_plans):
    occurrence = factories.occurrence("9")
    htmx = {"HX-Request": "true"}

    form = signed_in.get(url(occurrence), headers=htmx)
    invalid = signed_in.post(url(occurrence), {"version": 0, "status": "postponed"}, headers=htmx)
    saved = signed_in.post(url(occurrence), {"version": 0, "status": "in_progress"}, headers=htmx)

    assert form.status_code == 200
    assert "<html" not in form.content.decode()
    assert f'id="status-form-{occurrence.pk}"' in form.content.decode()
    assert invalid.status_code == 422
    assert "<html" not in invalid.content.decode()
    assert saved.status_code == 204
    assert saved["HX-Redirect"].endswith(f"#occurrence-{occurrence.pk}")


@pytest.mark.parametrize(
    ("role", "number", "expected"),
    [
        ("directorate_user", "6", 200),  # AVdir leads measure 6
        ("directorate_user", "2", 200),  # AVdir contributes to measure 2
        ("directorate_user", "8", 403),  # KDI's measure
        ("other_directorate_user", "8", 200),  # KDI: responsible for measure and milestone
        ("other_directorate_user", "6", 403),
        ("reader", "9", 403),
        ("admin_user", "8", 200),
    ],
)
def test_who_may_update_which_occurrence(client, seeded_plans, request, role, number, expected):
    occurrence = factories.occurrence(number)
    client.force_login(request.getfixturevalue(role))

    assert client.get(url(occurrence)).status_code == expected
    response = post(client, occurrence, status="completed")
    assert response.status_code == (302 if expected == 200 else 403)
    occurrence.refresh_from_db()
    assert occurrence.version == (1 if expected == 200 else 0)


def test_a_milestone_assigned_to_a_directorate_may_be_updated_by_it(
    client, seeded_plans, other_directorate_user
):
    """2015 plan, 8: the first milestone is Hdir's; KDI only contributes to the measure."""
    hdir = Occurrence.objects.get(
        milestone__measure__plan__slug="tiltaksplan-2015",
        milestone__measure__number="8",
        milestone__position=0,
    )
    client.force_login(factories.make_user("hdir", Role.DIRECTORATE, "Hdir"))
    assert client.get(url(hdir)).status_code == 200
    avdir_only = Occurrence.objects.get(
        milestone__measure__plan__slug="tiltaksplan-2015",
        milestone__measure__number="8",
        milestone__position=2,
    )
    assert avdir_only.milestone.responsible.short_name == "AVdir"
    assert client.get(url(avdir_only)).status_code == 200  # Hdir contributes to measure 8 as well


def test_anonymous_visitors_are_sent_to_sign_in(client, seeded_plans):
    response = client.get(url(factories.occurrence("9")))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_unknown_occurrence_is_404(signed_in):
    assert signed_in.get(reverse("tiltak:occurrence-status", args=[999999])).status_code == 404


def test_opened_from_a_list_the_form_returns_to_the_list(client, seeded_plans, directorate_user):
    occurrence = factories.occurrence("2")
    client.force_login(directorate_user)
    opened = client.get(url(occurrence), {"neste": "/mitt-direktorat/"})

    response = post(client, occurrence, status="in_progress", neste="/mitt-direktorat/")

    assert 'name="neste" value="/mitt-direktorat/"' in opened.content.decode()
    assert (
        response["Location"]
        == f"/mitt-direktorat/?lagret={occurrence.pk}#occurrence-{occurrence.pk}"
    )


def test_a_next_address_elsewhere_is_ignored(signed_in, seeded_plans):
    occurrence = factories.occurrence("9")

    response = post(signed_in, occurrence, status="in_progress", neste="https://example.com/")

    assert response["Location"].startswith(f"/tiltak/{occurrence.milestone.measure_id}/?lagret=")


def test_an_overdue_milestone_says_why_and_marks_the_deviation_fields_required(
    signed_in, seeded_plans
):
    occurrence = factories.occurrence("8")
    assert occurrence.is_overdue()

    content = signed_in.get(url(occurrence)).content.decode()

    assert (
        f"Milepælen har avvik:</strong> Forsinket siden {occurrence.due_date:%d.%m.%Y}." in content
    )
    for name in ("deviation_cause", "deviation_consequence", "corrective_action", "new_date"):
        label = content.split(f'for="id_{name}">')[1].split("</label>")[0]
        assert (
            '<span class="ds-tag" data-color="warning" data-size="sm">Må fylles ut</span>' in label
        )
    ministry = content.split('for="id_needs_ministry_decision">')[1].split("</label>")[0]
    assert "Må fylles ut" not in ministry


def test_the_reasons_follow_what_was_entered_and_a_milestone_on_track_has_none(
    signed_in, seeded_plans
):
    occurrence = factories.occurrence("9")
    occurrence.status = "completed"
    occurrence.save()

    on_track = signed_in.get(url(occurrence)).content.decode()
    refused = post(signed_in, occurrence, status="postponed", assessment="red").content.decode()

    assert "Milepælen har avvik" not in on_track
    assert 'for="id_deviation_cause">Årsak til avviket</label>' in on_track
    assert "Milepælen har avvik:</strong> Utsatt, Vurdert rød." in refused


def test_the_deviation_reasons_are_given_exactly_when_there_is_a_deviation(seeded_plans):
    occurrences = list(Occurrence.objects.all())
    assert any(o.has_deviation() for o in occurrences)
    assert any(not o.has_deviation() for o in occurrences)
    for occurrence in occurrences:
        assert bool(occurrence.deviation_reasons()) == occurrence.has_deviation()


def test_in_place_the_form_names_the_milestone_and_its_due_date(signed_in, seeded_plans):
    occurrence = factories.occurrence("9")

    content = signed_in.get(url(occurrence), headers={"HX-Request": "true"}).content.decode()

    assert f"Oppdater status: {occurrence.milestone.text}</h2>" in content
    assert f"Tiltak 9, frist {occurrence.due_label}" in content
    assert f'data-occurrence="{occurrence.pk}"' in content


def test_saved_from_a_later_page_of_a_list_it_returns_to_that_page(
    client, seeded_plans, directorate_user
):
    occurrence = factories.occurrence("2")
    client.force_login(directorate_user)
    listed = "/mitt-direktorat/?overdue=2&lagret=1"

    response = post(client, occurrence, status="in_progress", neste=listed)

    assert response["Location"] == (
        f"/mitt-direktorat/?overdue=2&lagret={occurrence.pk}#occurrence-{occurrence.pk}"
    )
