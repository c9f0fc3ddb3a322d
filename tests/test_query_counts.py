"""Every page takes as many queries with a larger generated plan as without it."""

import pytest
from django.urls import reverse

from tests.factories import make_user
from tiltak.models import Measure
from tiltak.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def avdir_client(client, seeded_plans):
    client.force_login(make_user("avdir", Role.DIRECTORATE, "AVdir"))
    return client


PAGES = {
    "home (Mitt direktorat)": lambda: reverse("home"),
    "plan list": lambda: reverse("tiltak:plan-list"),
    "measure list": lambda: reverse("tiltak:measure-list") + "?sort=overdue",
    "measure list, filtered": lambda: (
        reverse("tiltak:measure-list") + "?directorate=AVdir&deviation=on"
    ),
    "measure list, by health": lambda: (
        reverse("tiltak:measure-list") + "?health=deviation&sort=health"
    ),
    "my directorate": lambda: reverse("tiltak:my-directorate"),
}


@pytest.mark.parametrize("page", PAGES)
def test_the_page_takes_no_more_queries_with_more_data(avdir_client, queries_for, request, page):
    url = PAGES[page]()
    before = queries_for(20, lambda: avdir_client.get(url))

    request.getfixturevalue("larger_plan")

    assert queries_for(20, lambda: avdir_client.get(url)) == before


def test_a_larger_plan_takes_as_many_queries_as_a_small_one(avdir_client, queries_for, larger_plan):
    small = queries_for(
        20, lambda: avdir_client.get(reverse("tiltak:plan-detail", args=["tiltaksplan-2015"]))
    )
    large = queries_for(
        20, lambda: avdir_client.get(reverse("tiltak:plan-detail", args=["generert"]))
    )
    assert small == large


def test_a_measure_with_more_milestones_takes_as_many_queries(
    avdir_client, queries_for, larger_plan
):
    small = Measure.objects.get(plan__slug="handlingsplan-2018-2020", number="8")  # one occurrence
    large = Measure.objects.get(plan=larger_plan, number="1")  # nine occurrences
    assert queries_for(20, lambda: avdir_client.get(small.get_absolute_url())) == queries_for(
        20, lambda: avdir_client.get(large.get_absolute_url())
    )
