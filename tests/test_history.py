"""Every change to domain data is kept, with the user who made it."""

import pytest
from django.apps import apps
from django.urls import reverse

from tests import factories
from tiltak.history import SYSTEM_USERNAME
from tiltak.models import Measure, Milestone, Occurrence, Part, Plan, Responsibility

pytestmark = pytest.mark.django_db


def historical_models():
    """The history tables that record who acted (an m2m history row hangs off its measure's)."""
    return [
        model
        for model in apps.get_app_config("tiltak").get_models()
        if model.__name__.startswith("Historical")
        and any(f.name == "history_user" for f in model._meta.fields)
    ]


def test_every_model_of_the_domain_has_history():
    from tiltak.models import Actor, ActorAlias, Goal, PlanActor, User

    for model in (
        Actor,
        ActorAlias,
        Goal,
        Plan,
        PlanActor,
        Part,
        Measure,
        Responsibility,
        Milestone,
        Occurrence,
        User,
    ):
        assert hasattr(model, "history"), model


def test_every_history_row_of_the_seeded_data_names_a_user(seeded_plans):
    for model in historical_models():
        assert not model.objects.filter(history_user__isnull=True).exists(), model
    for model in (Plan, Part, Measure, Responsibility, Milestone, Occurrence):
        created = model.history.filter(history_type="+", history_user__username=SYSTEM_USERNAME)
        assert created.count() == model.objects.count() > 0, model


def test_the_system_user_cannot_sign_in(seeded_plans, client):
    from django.contrib.auth import get_user_model

    system = get_user_model().objects.get(username=SYSTEM_USERNAME)
    assert not system.is_active
    assert not system.has_usable_password()


def test_a_status_update_is_recorded_against_the_person(client, seeded_plans, coordinator):
    occurrence = factories.occurrence("8")
    client.force_login(coordinator)

    response = client.post(
        reverse("tiltak:occurrence-status", args=[occurrence.pk]),
        {
            "version": 0,
            "status": Occurrence.Status.COMPLETED,
            "assessment": Occurrence.Assessment.GREEN,
            "comment": "Publisert i Veiviseren",
        },
    )

    assert response.status_code == 302
    occurrence.refresh_from_db()
    assert occurrence.status == Occurrence.Status.COMPLETED
    assert occurrence.updated_by == coordinator
    latest = occurrence.history.first()
    assert latest.history_user == coordinator
    assert latest.status == Occurrence.Status.COMPLETED
    assert occurrence.history.last().status == Occurrence.Status.NOT_STARTED


def test_the_admin_shows_the_history_of_an_object(client, seeded_plans, admin_user):
    measure = Measure.objects.get(plan__slug="handlingsplan-2018-2020", number="17")
    client.force_login(admin_user)

    response = client.get(reverse("admin:tiltak_measure_history", args=[measure.pk]))

    assert response.status_code == 200
    assert "System" in response.content.decode()  # the system user's name


@pytest.mark.parametrize("role", ["coordinator", "directorate_user", "reader"])
def test_only_admins_reach_the_django_admin(client, role, request):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
