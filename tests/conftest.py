"""The fixed cast of users (one per role, two directorates) and the seeded plans."""

from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

from tiltak.roles import Role
from tiltak.services import user_provision

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
PLAN_FILES = sorted(FIXTURES.glob("*.yaml"))
SEEDS = ROOT.parent / "shared" / "seeds"
PASSWORD = "Tiltak-test-passord-2026"


def make_user(username, role, directorate=None):
    user, _created = user_provision(
        username=username, role=role, directorate_name=directorate, password=PASSWORD
    )
    return user


@pytest.fixture
def coordinator(db):
    return make_user("koordinator", Role.COORDINATOR)


@pytest.fixture
def directorate_user(db):
    """A user of AVdir: the "own directorate" of the permission tests."""
    return make_user("avdir", Role.DIRECTORATE, "AVdir")


@pytest.fixture
def other_directorate_user(db):
    return make_user("kdi", Role.DIRECTORATE, "KDI")


@pytest.fixture
def reader(db):
    return make_user("leser", Role.READER)


@pytest.fixture
def admin_user(db):
    return make_user("administrator", Role.ADMIN)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Production hashing is slow on purpose; the tests create many users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The seeded plans, imported once into the test database; each test rolls back."""
    with django_db_blocker.unblock():
        call_command("import_plan", *PLAN_FILES, verbosity=0)


@pytest.fixture
def seeded_plans(db):
    """The two seeded plans by slug (imported again where a browser test flushed them)."""
    from tiltak.models import Plan

    if not Plan.objects.exists():
        call_command("import_plan", *PLAN_FILES, verbosity=0)
    return {plan.slug: plan for plan in Plan.objects.all()}


@pytest.fixture
def queries_for(django_assert_max_num_queries):
    """The number of queries a GET takes, failing above `limit`; pages compare two of them."""

    def count(limit, get):
        with django_assert_max_num_queries(limit) as queries:
            assert get().status_code == 200
        return len(queries)

    return count


@pytest.fixture
def larger_plan(seeded_plans):
    """A generated plan of 40 measures, each with two responsibilities and three milestones
    of three occurrences, to show that pages do not grow in queries with the data."""
    from tiltak.models import Actor, Measure, Milestone, Occurrence, Part, Plan, Responsibility

    plan = Plan.objects.create(
        slug="generert", title="Generert plan", start="2021-01-01", end="2023-12-31", source="Test"
    )
    part = Part.objects.create(plan=plan, code="1", title="Generert del", position=0)
    avdir, kdi = Actor.objects.get(short_name="AVdir"), Actor.objects.get(short_name="KDI")
    for n in range(40):
        measure = Measure.objects.create(
            plan=plan, part=part, number=str(n + 1), title=f"Tiltak {n}", position=n
        )
        Responsibility.objects.create(measure=measure, actor=avdir, role="lead")
        Responsibility.objects.create(measure=measure, actor=kdi, role="contributor", position=1)
        for m in range(3):
            milestone = Milestone.objects.create(
                measure=measure,
                text=f"Milepæl {m}",
                due_text="4. kvartal årlig",
                responsible=kdi if m == 0 else None,
                position=m,
            )
            for year in (2021, 2022, 2023):
                Occurrence.objects.create(
                    milestone=milestone, year=year, planned_date=f"{year}-12-31"
                )
    return plan


REPORTED_PLAN = "handlingsplan-2018-2020"


@pytest.fixture
def reported(seeded_plans):
    """The 2018–2020 plan with two deviations in 2019, on measures 6 and 4, each with
    cause, consequence, corrective action and new date."""
    from tiltak.models import Occurrence

    for number, values in [
        (
            "6",
            {
                "status": "postponed",
                "assessment": "red",
                "new_date": date(2020, 3, 31),
                "deviation_cause": "Mangler midler",
                "deviation_consequence": "Færre kommuner med",
                "corrective_action": "Søker i neste runde",
            },
        ),
        (
            "4",
            {
                "status": "in_progress",
                "new_date": date(2019, 9, 30),
                "deviation_cause": "Venter på regelverk",
                "deviation_consequence": "Senere virkning",
                "corrective_action": "Følges opp i samordningsgruppen",
                "needs_ministry_decision": True,
            },
        ),
    ]:
        occurrence = (
            Occurrence.objects.filter(
                milestone__measure__plan__slug=REPORTED_PLAN,
                milestone__measure__number=number,
                year=2019,
            )
            .order_by("planned_date")
            .first()
        )
        for name, value in values.items():
            setattr(occurrence, name, value)
        occurrence.save()
    return seeded_plans[REPORTED_PLAN]


def complete_the_rest_of(plan, year):
    """Mark every milestone occurrence of `year` completed, except those with a deviation
    cause: the data of a year whose deviations are all explained."""
    from tiltak.models import Occurrence

    Occurrence.objects.filter(milestone__measure__plan=plan, year=year, deviation_cause="").update(
        status=Occurrence.Status.COMPLETED
    )


def deliver_contributions(round, user, leave_out=()):
    """Deliver a contribution from every directorate on every measure it takes part in, except
    the (measure number, directorate short name) pairs in `leave_out`."""
    from rapportering.services import contribution_save
    from tiltak.models import Measure

    measures = Measure.objects.in_bulk(round.participants.keys())
    for measure_id, directorates in round.participants.items():
        for directorate in directorates:
            if (measures[measure_id].number, directorate.short_name) in leave_out:
                continue
            contribution_save(
                round_id=round.pk,
                measure=measures[measure_id],
                directorate=directorate,
                user=user,
                values={
                    "status_assessment": f"Vurdering fra {directorate.short_name}",
                    "deviation_handling": "Følges opp",
                    "challenges": "",
                },
                deliver=True,
            )


def open_round(plan, user, year=2019, **values):
    """A report round of `plan` for `year`, opened by `user`, with the usual deadlines."""
    from datetime import date

    from rapportering.models import ReportRound

    return ReportRound.objects.create(
        plan=plan,
        year=year,
        ministry_deadline=date(year, 10, 1),
        internal_deadline=date(year, 9, 1),
        opened_by=user,
        **values,
    )


@pytest.fixture
def ready_round(reported, coordinator):
    """The 2019 round of the 2018–2020 plan with nothing missing: every other milestone of
    2019 completed, every contribution delivered, the summary and the challenges written."""
    complete_the_rest_of(reported, 2019)
    round = open_round(
        reported,
        coordinator,
        summary="Arbeidet går i hovedsak etter planen.",
        challenges="Kommunene mangler kapasitet.",
        challenge_actions="Mer veiledning fra direktoratene.",
    )
    deliver_contributions(round, coordinator)
    return round
