"""Fylkesmannen is its own actor, no longer another name for Regional stat.

Before, the name Fylkesmannen was an alias of Regional stat, so a 2015 plan that named
Fylkesmannen was stored as naming Regional stat. The 2015 plan never says Regional stat (the
2018–2020 plan's word), so its rows that name Regional stat are moved to Fylkesmannen; the
other plans keep Regional stat. Every change gets its history row, recorded against the
system user as imports are (tiltak/history.py).

A new database has no actors yet when this runs: the reference data, loaded after migrate,
then creates Fylkesmannen itself.
"""

from django.contrib.auth.hashers import make_password
from django.db import migrations
from django.db.models import Q
from django.utils import timezone

NAME = "Fylkesmannen"
REASON = "Fylkesmannen is its own actor, not Regional stat"
# The 2015 plan, and generate_demo_data's copies of it (demo-NNN-<slug>).
PLANS_2015 = Q(slug="tiltaksplan-2015") | Q(slug__regex=r"^demo-[0-9]+-tiltaksplan-2015$")


def give_fylkesmannen_its_own_actor(apps, schema_editor):
    Actor = apps.get_model("tiltak", "Actor")
    ActorAlias = apps.get_model("tiltak", "ActorAlias")
    alias = ActorAlias.objects.filter(name__iexact=NAME).select_related("actor").first()
    if alias is None:
        return  # a new database, or Fylkesmannen is its own actor already
    User = apps.get_model("tiltak", "User")
    system, _created = User.objects.get_or_create(
        username="system",
        defaults={"first_name": "System", "is_active": False, "password": make_password(None)},
    )
    now = timezone.now()

    def record(instance, history_type):
        """The history row simple-history writes when `instance` is saved or deleted."""
        model = type(instance)
        historical = apps.get_model("tiltak", f"Historical{model.__name__}")
        historical.objects.create(
            **{field.attname: getattr(instance, field.attname) for field in model._meta.fields},
            history_date=now,
            history_type=history_type,
            history_user=system,
            history_change_reason=REASON,
        )

    former = alias.actor  # Regional stat
    record(alias, "-")
    alias.delete()
    fylkesmannen = Actor.objects.filter(name__iexact=NAME).first()
    if fylkesmannen is None:
        fylkesmannen = Actor.objects.create(name=NAME, kind="other")
        record(fylkesmannen, "+")

    Plan = apps.get_model("tiltak", "Plan")
    plans = Plan.objects.filter(PLANS_2015)
    rows = [
        (apps.get_model("tiltak", "Responsibility"), "actor", "measure__plan__in"),
        (apps.get_model("tiltak", "Milestone"), "responsible", "measure__plan__in"),
        (apps.get_model("tiltak", "PlanActor"), "actor", "plan__in"),
    ]
    for model, field, plan_in in rows:
        for row in model.objects.filter(**{field: former, plan_in: plans}):
            setattr(row, field, fylkesmannen)
            row.save(update_fields=[field])
            record(row, "~")


class Migration(migrations.Migration):
    dependencies = [("tiltak", "0006_user_sessions")]

    operations = [
        # Backwards nothing is undone: Fylkesmannen as its own actor suits the older code too.
        migrations.RunPython(give_fylkesmannen_its_own_actor, migrations.RunPython.noop),
    ]
