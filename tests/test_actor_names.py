"""Actors keep their names: Fylkesmannen is its own actor, not another name for Regional stat,
and an actor a plan file declares comes back on export under the name the file gave it."""

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import FIXTURES, UNSEEN_PLAN, counts, export, import_text, stripped
from tiltak.history import SYSTEM_USERNAME, acting_as, system_user
from tiltak.models import Actor, ActorAlias, Milestone, Plan, PlanActor, Responsibility

FYLKESMANNEN_PLAN = UNSEEN_PLAN.replace("Husbankens regionkontor", "Fylkesmannen")


@pytest.mark.django_db
def test_a_file_declaring_fylkesmannen_imports_and_exports_back_unchanged(tmp_path):
    import_text(tmp_path, FYLKESMANNEN_PLAN)

    exported = export("handlingsplan-2021")

    assert stripped(yaml.safe_load(exported)) == stripped(yaml.safe_load(FYLKESMANNEN_PLAN))
    fylkesmannen = Actor.objects.get(name="Fylkesmannen")
    assert fylkesmannen.kind == Actor.Kind.OTHER
    responsibility = Responsibility.objects.get(
        measure__plan__slug="handlingsplan-2021", measure__number="1", actor__kind="other"
    )
    assert responsibility.actor == fylkesmannen


@pytest.mark.django_db
def test_a_file_declaring_a_known_actor_by_another_name_is_refused_with_its_name(tmp_path):
    """Declared under another name, the actor would come back under its own: the file says
    which name to declare instead."""
    text = UNSEEN_PLAN.replace("Husbankens regionkontor", "Redaksjonen av Veiviseren")
    before = counts()

    with pytest.raises(CommandError) as raised:
        import_text(tmp_path, text)

    assert "plan.yaml:8" in str(raised.value)
    assert "«Redaksjonen av Veiviseren» heter «Redaksjonen for Veiviseren»" in str(raised.value)
    assert counts() == before


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.migrate(target or executor.loader.graph.leaf_nodes())


def test_the_migration_gives_fylkesmannen_its_own_rows_of_the_2015_plan_with_history(
    transactional_db, tmp_path
):
    """Before, a file naming Fylkesmannen was stored as Regional stat. The migration moves
    the 2015 plan's rows (the 2015 plan never says Regional stat) to Fylkesmannen, a new
    actor, and records each change in the history; the 2018–2020 plan keeps Regional stat."""
    try:
        # The data as the application stored it before: Fylkesmannen another name for
        # Regional stat, and a 2015 plan that names Fylkesmannen. Written with today's schema
        # (the code that writes it reads today's columns), then the schema is taken back to
        # before the migration, which the end of the test applies again.
        Actor.objects.filter(name="Fylkesmannen").delete()
        regional = Actor.objects.get(name="Regional stat")
        ActorAlias.objects.create(actor=regional, name="Fylkesmannen")
        plan_2015 = (FIXTURES / "tiltaksplan-2015.yaml").read_text(encoding="utf-8")
        names_fylkesmannen = plan_2015.replace(
            "              - {actor: IMDi, role: contributor}\n            milestones:\n"
            '              - text: "Alle direktoratene har formidlet',
            "              - {actor: IMDi, role: contributor}\n"
            "              - {actor: Fylkesmannen, role: contributor}\n            milestones:\n"
            '              - text: "Alle direktoratene har formidlet',
            1,
        )
        assert names_fylkesmannen != plan_2015
        path = tmp_path / "tiltaksplan-2015.yaml"
        path.write_text(names_fylkesmannen, encoding="utf-8")
        call_command(
            "import_plan", str(path), str(FIXTURES / "handlingsplan-2018-2020.yaml"), verbosity=0
        )
        with acting_as(system_user()):
            milestone = Milestone.objects.filter(measure__plan__slug="tiltaksplan-2015").first()
            milestone.responsible = regional
            milestone.save()
            PlanActor.objects.create(plan=Plan.objects.get(slug="tiltaksplan-2015"), actor=regional)
        regional_2018 = set(
            Responsibility.objects.filter(
                measure__plan__slug="handlingsplan-2018-2020", actor=regional
            ).values_list("pk", flat=True)
        )
        assert regional_2018
        migrate([("tiltak", "0006_user_sessions")])
    finally:
        migrate(None)

    fylkesmannen = Actor.objects.get(name="Fylkesmannen")
    assert fylkesmannen.kind == Actor.Kind.OTHER
    assert not ActorAlias.objects.filter(name="Fylkesmannen").exists()
    assert list(Actor.objects.resolve("Fylkesmannen")) == [fylkesmannen]
    # The true synonyms stay.
    assert Actor.objects.resolve("NAV").get().short_name == "AVdir"
    assert Actor.objects.resolve("Helsemyndighetene").get().short_name == "Hdir"
    responsibility = Responsibility.objects.get(
        measure__plan__slug="tiltaksplan-2015", measure__number="1.4", actor__kind="other"
    )
    milestone.refresh_from_db()
    link = PlanActor.objects.get(plan__slug="tiltaksplan-2015")
    assert (responsibility.actor, milestone.responsible, link.actor) == (fylkesmannen,) * 3
    assert not Responsibility.objects.filter(
        measure__plan__slug="tiltaksplan-2015", actor=regional
    ).exists()
    assert (
        set(
            Responsibility.objects.filter(
                measure__plan__slug="handlingsplan-2018-2020", actor=regional
            ).values_list("pk", flat=True)
        )
        == regional_2018
    )
    for row in (responsibility, milestone, link, fylkesmannen):
        latest = row.history.first()
        assert latest.history_user.username == SYSTEM_USERNAME
        assert latest.history_type == ("+" if row is fylkesmannen else "~")
    assert responsibility.history.first().actor_id == fylkesmannen.pk
    assert responsibility.history.all()[1].actor_id == regional.pk
    exported = yaml.safe_load(export("tiltaksplan-2015"))
    assert exported["actors"] == [{"name": "Fylkesmannen"}]
