"""Coordinators edit plans in the browser: validation, due texts, deletion with history."""

from datetime import date

import pytest
from django.urls import reverse

from tests.factories import measure
from tiltak.models import Goal, Measure, Milestone, Occurrence, Plan

pytestmark = pytest.mark.django_db

SLUG = "handlingsplan-2018-2020"


@pytest.fixture
def editor(client, coordinator):
    client.force_login(coordinator)
    return client


def test_a_new_plan_is_created_and_kept_in_history_with_its_author(editor, coordinator):
    response = editor.post(
        reverse("tiltak:plan-create"),
        {
            "title": "Handlingsplan 2021",
            "slug": "handlingsplan-2021",
            "start": "2021-01-01",
            "end": "2021-12-31",
            "source": "Husbanken",
        },
    )

    plan = Plan.objects.get(slug="handlingsplan-2021")
    assert response.status_code == 302
    assert response["Location"] == plan.get_absolute_url()
    assert plan.history.get().history_user == coordinator


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"end": "2020-12-31"}, None, "En plan kan ikke slutte før den begynner."),
        ({"slug": "Med mellomrom"}, "slug", "id_slug_error"),
        ({"slug": "tiltaksplan-2015"}, "slug", "id_slug_error"),
        ({"slug": "ny"}, "slug", "er reservert"),
        ({"start": "i fjor"}, "start", "id_start_error"),
        ({"title": ""}, "title", "id_title_error"),
    ],
)
def test_a_bad_plan_is_refused_with_the_error_by_its_field(editor, changes, field, message):
    body = {
        "title": "Plan",
        "slug": "plan-x",
        "start": "2021-01-01",
        "end": "2021-12-31",
        "source": "Kilde",
        **changes,
    }

    response = editor.post(reverse("tiltak:plan-create"), body)

    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Plan.objects.filter(title="Plan").exists()


def test_a_measure_number_must_be_unique_in_its_plan(editor, seeded_plans):
    target = measure("6")

    response = editor.post(
        reverse("tiltak:measure-create", args=[SLUG]),
        {"number": "6", "title": "Dobbelt", "part": target.part_id, "position": 50},
    )

    assert response.status_code == 422
    assert "Planen har allerede et tiltak med dette nummeret." in response.content.decode()
    assert not Measure.objects.filter(title="Dobbelt").exists()


def test_a_measure_is_linked_to_goals(editor, seeded_plans):
    target = measure("9")
    goals = Goal.objects.filter(code__in=["1b", "S"])

    response = editor.post(
        reverse("tiltak:measure-update", args=[target.pk]),
        {
            "number": "9",
            "title": target.title,
            "part": target.part_id,
            "position": target.position,
            "purpose": target.purpose,
            "contributions": target.contributions,
            "goals": [g.pk for g in goals],
        },
    )

    assert response.status_code == 302
    assert set(target.goals.values_list("code", flat=True)) == {"1b", "S"}
    page = editor.get(target.get_absolute_url()).content.decode()
    assert "1b Hjelp til å skaffe egnet bolig" in page


def test_a_new_milestone_gets_the_occurrences_its_due_text_means(editor, seeded_plans):
    response = editor.post(
        reverse("tiltak:milestone-create", args=[measure("6").pk]),
        {"text": "Ny runde", "due_text": "2. og 4. kvartal hvert år", "position": 9},
    )

    assert response.status_code == 302
    milestone = Milestone.objects.get(text="Ny runde")
    assert [o.planned_date for o in milestone.occurrences.all()] == [
        date(2018, 6, 30), date(2018, 12, 31), date(2019, 6, 30), date(2019, 12, 31), date(2020, 6, 30), date(2020, 12, 31),
    ]  # fmt: skip


def test_an_unreadable_due_text_needs_its_dates(editor, seeded_plans):
    url = reverse("tiltak:milestone-create", args=[measure("6").pk])

    refused = editor.post(url, {"text": "Uklar", "due_text": "når det passer", "position": 9})
    given = editor.post(
        url,
        {
            "text": "Uklar",
            "due_text": "når det passer",
            "dates": "15.09.2019\n2020-03-01",
            "position": 9,
        },
    )

    assert refused.status_code == 200
    assert "Applikasjonen kan ikke lese denne fristen" in refused.content.decode()
    assert given.status_code == 302
    milestone = Milestone.objects.get(text="Uklar")
    assert [o.planned_date for o in milestone.occurrences.all()] == [
        date(2019, 9, 15),
        date(2020, 3, 1),
    ]


@pytest.mark.parametrize(
    "dates", ["31.02.2019", "i morgen", "01.01.1890", "01.01.2019\n01.01.2019"]
)
def test_bad_dates_are_refused(editor, seeded_plans, dates):
    response = editor.post(
        reverse("tiltak:milestone-create", args=[measure("6").pk]),
        {"text": "Datoer", "due_text": "snart", "dates": dates, "position": 9},
    )

    assert response.status_code == 200
    assert 'id="id_dates_error"' in response.content.decode()
    assert not Milestone.objects.filter(text="Datoer").exists()


def test_changing_a_due_text_keeps_occurrences_with_reported_status_or_refuses(
    editor, seeded_plans, coordinator
):
    milestone = measure("6").milestones.get(text__startswith="Eventuelle nye")  # 4. kvartal årlig
    reported = milestone.occurrences.get(planned_date=date(2019, 12, 31))
    editor.post(
        reverse("tiltak:occurrence-status", args=[reported.pk]),
        {"version": 0, "status": "completed"},
    )
    url = reverse("tiltak:milestone-update", args=[milestone.pk])

    moved = editor.post(
        url,
        {"text": milestone.text, "due_text": "2. kvartal årlig", "position": milestone.position},
    )
    kept = editor.post(
        url, {"text": milestone.text, "due_text": "4. kvartal 2019", "position": milestone.position}
    )

    assert moved.status_code == 200
    assert "har rapportert status og ville blitt fjernet" in moved.content.decode()
    assert kept.status_code == 302
    assert [o.planned_date for o in milestone.occurrences.all()] == [date(2019, 12, 31)]
    assert milestone.occurrences.get().status == "completed"


def test_the_edit_form_shows_dates_that_differ_from_the_due_text(editor, seeded_plans):
    typo = Milestone.objects.get(measure__plan__slug="tiltaksplan-2015", due_text="31.1.14")

    content = editor.get(reverse("tiltak:milestone-update", args=[typo.pk])).content.decode()

    assert "31.01.2015" in content  # the interpretation settled in the plan file


def test_deleting_asks_first_says_what_goes_and_keeps_it_in_history(
    editor, seeded_plans, coordinator
):
    target = measure("6")
    occurrence = Occurrence.objects.filter(milestone__measure=target).first()
    editor.post(
        reverse("tiltak:occurrence-status", args=[occurrence.pk]),
        {"version": 0, "status": "completed"},
    )
    url = reverse("tiltak:measure-delete", args=[target.pk])

    confirm = editor.get(url)

    content = confirm.content.decode()
    assert confirm.status_code == 200
    assert "Er du sikker?" in content
    assert (
        "6 milepælsforekomster slettes sammen med den, 1 av dem med rapportert status." in content
    )
    assert Measure.objects.filter(pk=target.pk).exists()

    deleted = editor.post(url)

    assert deleted.status_code == 302
    assert not Measure.objects.filter(pk=target.pk).exists()
    gone = Measure.history.filter(id=target.pk, history_type="-").get()
    assert gone.history_user == coordinator
    assert (
        Occurrence.history.filter(id=occurrence.pk, history_type="-").get().history_user
        == coordinator
    )


def test_editing_links_are_shown_only_to_editors(
    client, seeded_plans, coordinator, directorate_user
):
    url = measure("6").get_absolute_url()
    client.force_login(directorate_user)
    assert "Endre tiltaket" not in client.get(url).content.decode()
    client.force_login(coordinator)
    assert "Endre tiltaket" in client.get(url).content.decode()


@pytest.mark.parametrize(
    ("page", "item_link"),
    [
        (
            lambda: Plan.objects.get(slug=SLUG).get_absolute_url(),
            'Endre delen<span class="visually-hidden">',
        ),
        (lambda: measure("6").get_absolute_url(), 'Endre milepælen<span class="visually-hidden">'),
    ],
)
def test_each_items_editing_is_shown_on_asking_and_the_pages_editing_stays_grouped(
    client, seeded_plans, coordinator, reader, page, item_link
):
    url = page()
    client.force_login(coordinator)

    reading = client.get(url).content.decode()
    editing = client.get(url, {"rediger": "1"}).content.decode()
    client.force_login(reader)
    not_allowed = client.get(url, {"rediger": "1"}).content.decode()

    assert item_link not in reading
    toolbar = reading.split('<section class="edit-toolbar no-print"')[1].split("</section>")[0]
    assert "?rediger=1" in toolbar
    assert item_link in editing
    assert "edit-toolbar" not in not_allowed
    assert item_link not in not_allowed


def duplicate(kind):
    """(create url, body) of a part already in its plan or a responsibility already in its
    measure (a measure's number: test_a_measure_number_must_be_unique_in_its_plan)."""
    target = measure("6")
    return {
        "part": (
            reverse("tiltak:part-create", args=[SLUG]),
            {"code": target.part.code, "title": "Dobbel del", "position": 50},
        ),
        "responsibility": (
            reverse("tiltak:responsibility-create", args=[target.pk]),
            {"actor": target.responsibilities.first().actor_id, "role": "lead", "position": 9},
        ),
    }[kind]


@pytest.mark.parametrize(
    ("kind", "field", "message"),
    [
        ("part", "code", "Planen har allerede en del med denne koden."),
        ("responsibility", "actor", "Aktøren har allerede en rolle i dette tiltaket."),
    ],
)
def test_a_part_or_responsibility_twice_is_refused_by_its_field_in_the_constraints_words(
    editor, seeded_plans, kind, field, message
):
    url, body = duplicate(kind)

    response = editor.post(url, body)

    content = response.content.decode()
    assert response.status_code == 422
    assert f'id="id_{field}_error">{message}</p>' in content
