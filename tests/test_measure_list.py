"""The measures list: filters in the URL, search, sorting, pagination, constant queries."""

import re
from datetime import date

import pytest
from django.urls import reverse

from tests.factories import make_user, occurrence
from tiltak.models import Actor, Measure, Milestone, Occurrence, Part, Plan, Responsibility
from tiltak.permissions import updatable
from tiltak.roles import Role
from tiltak.selectors import PLANS_OFFERED

pytestmark = pytest.mark.django_db


def numbers(client, **params):
    """The measures the list shows for these filters, as "plan-slug number"."""
    response = client.get(reverse("tiltak:measure-list"), params)
    assert response.status_code == 200
    return re.findall(r'href="/tiltak/\d+/">(\S+) ', response.content.decode())


@pytest.fixture
def signed_in(client, reader):
    client.force_login(reader)
    return client


def set_status(number, plan="handlingsplan-2018-2020", **values):
    target = occurrence(number, plan=plan)
    for name, value in values.items():
        setattr(target, name, value)
    target.save()
    return target


def test_all_measures_of_both_plans_newest_plan_first(signed_in, seeded_plans):
    shown = numbers(signed_in, side=1) + numbers(signed_in, side=2)

    assert len(shown) == 32
    assert shown[:3] == ["1", "2", "3"]
    assert shown[17:20] == ["1", "1.1", "1.2"]


def test_filter_by_plan_and_by_part(signed_in, seeded_plans):
    part_b = Part.objects.get(plan__slug="tiltaksplan-2015", code="B")

    assert numbers(signed_in, plan="tiltaksplan-2015") == [
        "1",
        "1.1",
        "1.2",
        "1.3",
        "1.4",
        "2",
        "3",
        "4",
        "5",
        "6",
        "7",
        "8",
        "9",
        "10",
        "11",
    ]
    assert numbers(signed_in, part=part_b.pk) == ["3", "4", "5"]


def part_options(client, **params):
    content = client.get(reverse("tiltak:measure-list"), params).content.decode()
    select = re.search(r'<select name="part".*?</select>', content, re.S).group()
    return re.findall(r">([^<]*)</option>", select), content


def test_the_part_filter_offers_the_parts_of_the_chosen_plan_only(signed_in, seeded_plans):
    part_b = Part.objects.get(plan__slug="tiltaksplan-2015", code="B")
    parts_2015 = [str(part) for part in Part.objects.filter(plan__slug="tiltaksplan-2015")]

    offered, content = part_options(signed_in)
    assert offered == ["Alle deler"]
    assert "Velg en plan for å filtrere på delene i den." in content

    offered, _content = part_options(signed_in, plan="tiltaksplan-2015")
    assert offered == ["Alle deler", *parts_2015]

    offered, content = part_options(signed_in, part=part_b.pk)
    assert offered == ["Alle deler", *parts_2015]
    assert f'<option value="{part_b.pk}" selected>' in content


def test_a_part_left_over_from_another_plan_is_ignored(signed_in, seeded_plans):
    part_b = Part.objects.get(plan__slug="tiltaksplan-2015", code="B")
    plan = "handlingsplan-2018-2020"

    shown = numbers(signed_in, plan=plan, part=part_b.pk)

    assert shown == numbers(signed_in, plan=plan)
    assert len(shown) == Measure.objects.filter(plan__slug=plan).count()


def test_filter_by_responsible_directorate_includes_milestones_assigned_to_it(
    signed_in, seeded_plans
):
    assert numbers(signed_in, plan="handlingsplan-2018-2020", directorate="KDI") == [
        "1",
        "3",
        "4",
        "7",
        "8",
        "15",
        "16",
        "17",
    ]
    # 2015, 8: Hdir only contributes (like everyone), but also owns two milestones.
    assert "8" in numbers(signed_in, plan="tiltaksplan-2015", directorate="Hdir")


def test_filter_by_status_assessment_deviation_and_overdue(signed_in, seeded_plans):
    set_status("9", status="in_progress", assessment="yellow")
    set_status("12", status="postponed", new_date="2019-06-30")

    assert numbers(signed_in, status="in_progress") == ["9"]
    assert numbers(signed_in, assessment="yellow") == ["9"]
    deviating = numbers(signed_in, plan="handlingsplan-2018-2020", deviation="on")
    assert "12" in deviating
    assert "9" not in deviating
    assert "2" not in deviating
    overdue = numbers(signed_in, plan="handlingsplan-2018-2020", overdue="on")
    assert "12" in overdue
    assert "2" not in overdue


def test_free_text_search_looks_in_titles_texts_and_milestones(signed_in, seeded_plans):
    assert numbers(signed_in, q="forvaringsdømte") == ["8"]
    assert numbers(signed_in, q="landingsiden") == ["7"]  # only in a milestone
    assert numbers(signed_in, q="Oslo kommune", plan="tiltaksplan-2015") == ["10"]
    assert numbers(signed_in, q="ikke-et-ord-i-planene") == []


def test_sorting_by_title_and_by_overdue(signed_in, seeded_plans):
    by_title = numbers(signed_in, plan="handlingsplan-2018-2020", sort="title")
    by_overdue = numbers(signed_in, plan="handlingsplan-2018-2020", sort="overdue")

    # "Anvende …", "Beskrive …", "Bidra til at …", "Bidra til et …", "Boligsosial …"
    assert by_title[:5] == ["2", "1", "9", "13", "14"]
    assert by_overdue[0] in {"3", "4", "6"}  # six overdue occurrences each
    assert set(by_overdue) == set(by_title)


def shown_counts(client, **params):
    """{measure id: (overdue, deviations)} as the list shows them."""
    content = client.get(reverse("tiltak:measure-list"), params).content.decode()
    cell = r"<td>(?:<span [^>]*>)?(\d+)(?:</span>)?</td>"
    rows = re.findall(r'<td><a class="ds-link" href="/tiltak/\d+/">', content)
    found = re.findall(
        r'href="/tiltak/(\d+)/">(?:(?!</tr>).)*?' + cell + r"\s*" + cell, content, re.S
    )
    assert len(found) == len(rows) > 0
    return {int(pk): (int(overdue), int(deviations)) for pk, overdue, deviations in found}


@pytest.mark.parametrize("params", [{}, {"sort": "overdue"}, {"deviation": "on", "side": 2}])
def test_the_counts_shown_follow_the_rules_of_each_occurrence(signed_in, seeded_plans, params):
    set_status("9", status="in_progress", assessment="red")
    set_status("12", status="postponed", new_date="2019-06-30")
    set_status("3", status="completed")

    shown = shown_counts(signed_in, **params)

    for pk, counts in shown.items():
        occurrences = Occurrence.objects.filter(milestone__measure=pk)
        expected = (
            sum(o.is_overdue() for o in occurrences),
            sum(o.has_deviation() for o in occurrences),
        )
        assert counts == expected, Measure.objects.get(pk=pk)
    assert any(overdue for overdue, _ in shown.values())


def test_pagination_keeps_the_filters(signed_in, seeded_plans):
    response = signed_in.get(reverse("tiltak:measure-list"), {"q": "", "sort": "title"})
    content = response.content.decode()

    assert "32 tiltak, viser 1–25" in content
    assert 'href="?q=&amp;sort=title&amp;side=2"' in content
    assert len(numbers(signed_in, sort="title", side=2)) == 7
    assert numbers(signed_in, sort="title", side=9) == numbers(signed_in, sort="title", side=2)
    assert numbers(signed_in, sort="title", side="x") == numbers(signed_in, sort="title")


def test_an_empty_result_says_so_and_offers_to_clear(signed_in, seeded_plans):
    content = signed_in.get(reverse("tiltak:measure-list"), {"q": "finnes ikke"}).content.decode()

    assert "Ingen tiltak passer med disse filtrene." in content
    assert "Nullstill filtrene" in content


def test_an_unknown_filter_value_is_shown_as_an_error_not_a_crash(signed_in, seeded_plans):
    response = signed_in.get(
        reverse("tiltak:measure-list"), {"plan": "finnes-ikke", "status": "ferdig"}
    )

    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()


def test_the_list_has_a_constant_number_of_queries(signed_in, seeded_plans, queries_for):
    """Sixty more measures with four milestones each change nothing."""

    def get():
        return signed_in.get(reverse("tiltak:measure-list"), {"deviation": "on", "sort": "overdue"})

    before = queries_for(13, get)
    plan = seeded_plans["handlingsplan-2018-2020"]
    part = plan.parts.first()
    kdi = Actor.objects.get(short_name="KDI")
    for i in range(60):
        measure = Measure.objects.create(
            plan=plan, part=part, number=f"x{i}", title=f"Generert {i}", position=100 + i
        )
        Responsibility.objects.create(measure=measure, actor=kdi, role="lead")
        for j in range(4):
            milestone = Milestone.objects.create(
                measure=measure, text=f"M{j}", due_text="4. kvartal 2019"
            )
            Occurrence.objects.create(milestone=milestone, year=2019, planned_date="2019-12-31")
    assert queries_for(13, get) == before


def test_my_directorate_puts_what_needs_attention_first(client, seeded_plans, directorate_user):
    client.force_login(directorate_user)

    response = client.get(reverse("home"))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Dette trenger Arbeids- og velferdsdirektoratet å gjøre nå" in content
    # In 2026 every dated milestone of the seeded plans is past due.
    overdue = Occurrence.objects.concerning(directorate_user.directorate).overdue().count()
    assert f"Forsinket ({overdue})" in content
    assert "Ingenting har frist de neste 90 dagene." in content
    assert f'href="{reverse("tiltak:my-directorate")}#measures-heading">Alle våre tiltak</a>' in (
        content
    )
    assert "Tiltak 8" not in content
    assert "Informasjon i Veiviseren om refusjonsordninger" not in content


def test_my_directorate_shows_its_role_in_each_of_its_measures(
    client, seeded_plans, directorate_user
):
    client.force_login(directorate_user)

    content = client.get(reverse("tiltak:my-directorate")).content.decode()

    rows = re.findall(
        r'<td><a class="ds-link" href="/tiltak/(\d+)/">[^<]*</a></td>\s*<td>[^<]*</td>\s*'
        r"<td>([^<]*)</td>",
        content,
    )
    assert len(rows) == 10
    roles = {
        str(r.measure_id): r.get_role_display()
        for r in Responsibility.objects.filter(actor=directorate_user.directorate)
    }
    assert [role for _pk, role in rows] == [roles.get(pk, "") for pk, _role in rows]
    assert {"Bidrar", "Leder"} <= {role for _pk, role in rows}


def overdue_on_page(client, page):
    content = client.get(reverse("tiltak:my-directorate"), {"overdue": page}).content.decode()
    return [int(pk) for pk in re.findall(r'<tr id="occurrence-(\d+)"', content)]


def test_my_directorate_pages_through_the_overdue_in_order(client, seeded_plans, directorate_user):
    client.force_login(directorate_user)
    overdue = list(
        Occurrence.objects.concerning(directorate_user.directorate)
        .overdue()
        .order_by("effective_due_date", "pk")
        .values_list("pk", flat=True)
    )
    last = (len(overdue) + 9) // 10
    assert last >= 3

    pages = [overdue_on_page(client, number) for number in range(1, last + 1)]

    assert [pk for page in pages for pk in page] == overdue
    assert all(len(page) == 10 for page in pages[:-1])
    # As Django's get_page: a number out of range gives the last page, nonsense the first.
    assert overdue_on_page(client, last + 5) == pages[-1]
    assert overdue_on_page(client, -1) == pages[-1]
    assert overdue_on_page(client, "tull") == pages[0]


def test_my_directorate_lists_soon_due_and_unassessed_continuous_milestones(
    client, seeded_plans, directorate_user
):
    """A plan for this year: a milestone due in 30 days and a continuous one."""
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    plan = seeded_plans["handlingsplan-2018-2020"]
    measure = Measure.objects.get(plan=plan, number="2")  # AVdir contributes
    soon = Milestone.objects.create(measure=measure, text="Snart", due_text="snart")
    Occurrence.objects.create(
        milestone=soon, year=today.year, planned_date=today + timedelta(days=30)
    )
    ongoing = Milestone.objects.create(measure=measure, text="Løpende", due_text="fortløpende")
    Occurrence.objects.create(milestone=ongoing, year=today.year)
    client.force_login(directorate_user)

    content = client.get(reverse("tiltak:my-directorate")).content.decode()

    assert "Frist innen 90 dager (1)" in content
    assert "Snart" in content
    assert "Fortløpende milepæler som ikke er vurdert i år (1)" in content
    assert "Løpende" in content


@pytest.mark.parametrize(
    ("role", "may_update"),
    [(Role.DIRECTORATE, True), (Role.COORDINATOR, True), (Role.READER, False)],
)
def test_my_directorate_offers_status_updates_to_those_who_may_make_them(
    client, seeded_plans, role, may_update
):
    user = make_user("bruker", role, "HB")
    user.directorate = Actor.objects.get(short_name="AVdir")  # as an administrator may link it
    user.save()
    client.force_login(user)

    content = client.get(reverse("tiltak:my-directorate")).content.decode()

    shown = re.findall(r'<tr id="occurrence-(\d+)"', content)
    links = re.findall(r'href="/forekomster/(\d+)/status/', content)
    assert len(shown) == 10
    assert links == (shown if may_update else [])
    for pk in shown:
        allowed = updatable(user, Occurrence.objects.filter(pk=pk)).exists()
        assert allowed == may_update


def test_my_directorate_for_a_user_without_one(client, reader):
    client.force_login(reader)

    content = client.get(reverse("tiltak:my-directorate")).content.decode()

    assert "ikke knyttet til et direktorat" in content


def test_my_directorate_has_a_constant_number_of_queries(client, seeded_plans, queries_for):
    counts = []
    for short in ("KDI", "HB"):  # KDI has 9 measures, HB 33
        client.force_login(make_user(short.lower(), Role.DIRECTORATE, short))
        counts.append(queries_for(16, lambda: client.get(reverse("tiltak:my-directorate"))))
    assert counts[0] == counts[1]


def test_the_filters_keep_the_choices_made_and_escape_the_names(signed_in, seeded_plans):
    plan = seeded_plans["handlingsplan-2018-2020"]
    plan.title = "Plan <b>fet</b> & mer"
    plan.save()

    page = signed_in.get(reverse("tiltak:measure-list"), {"plan": plan.slug, "status": "completed"})

    html = page.content.decode()
    assert (
        f'<option value="{plan.slug}" selected>Plan &lt;b&gt;fet&lt;/b&gt; &amp; mer</option>'
        in html
    )
    assert '<option value="completed" selected>Fullført</option>' in html
    assert (
        '<select name="plan" class="ds-input" aria-describedby="id_plan_helptext" id="id_plan">'
        in html
    )


def plan_options(html):
    """The (value, text) of each option of the page's plan select."""
    select = re.search(r'<select name="plan".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)


def test_the_plan_select_offers_the_newest_plans_not_closed_and_the_one_chosen(
    signed_in, seeded_plans
):
    older = seeded_plans["tiltaksplan-2015"]
    older.state = Plan.State.CLOSED
    older.save()
    for number in range(PLANS_OFFERED):
        Plan.objects.create(
            slug=f"plan-{number}",
            title=f"Plan {number}",
            start=date(2030 + number, 1, 1),
            end=date(2030 + number, 12, 31),
            source="test",
        )

    offered = plan_options(signed_in.get(reverse("tiltak:measure-list")).content.decode())
    assert offered[0] == ("", "Alle planer")
    assert [slug for slug, _text in offered[1:]] == [
        f"plan-{number}" for number in reversed(range(PLANS_OFFERED))
    ]

    page = signed_in.get(reverse("tiltak:measure-list"), {"plan": older.slug})
    assert (older.slug, f"{older.title} (avsluttet)") in plan_options(page.content.decode())
    assert page.context["page"].paginator.count == older.measures.count()
    assert f'<a class="ds-link" href="{reverse("tiltak:plan-list")}">planlisten</a>' in (
        page.content.decode()
    )
