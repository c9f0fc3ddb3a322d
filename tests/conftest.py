"""The fixed cast of users (one per role, two directorates) and the seeded plans, as fixtures
that call the helpers in tests/factories.py."""

import email
import email.policy
import os
import socket
import subprocess
from datetime import UTC, date, datetime

import pytest
from django.core.management import call_command

from bench.run import collect_static
from tests.factories import (
    PLAN_FILES,
    REPORTED_PLAN,
    complete_the_rest_of,
    deliver_contributions,
    make_user,
    occurrence,
    open_round,
)
from tiltak.roles import Role

# The suite signs in coordinators and admins with a password only, in this process and in the
# servers it starts (they inherit the environment): no role needs two-factor authentication,
# except in the tests of it (tests/test_mfa.py), which set MFA_REQUIRED_ROLES themselves.
os.environ["MFA_REQUIRED_ROLES"] = ""


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


REPORTED_ON = datetime(2019, 9, 2, 12, tzinfo=UTC)


@pytest.fixture
def reported(seeded_plans):
    """The 2018–2020 plan with two deviations in 2019, on measures 6 and 4, each with
    cause, consequence, corrective action and new date, reported on 2 September 2019 (so its
    history has them in the year)."""
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
                "assessment": "yellow",
                "new_date": date(2019, 9, 30),
                "deviation_cause": "Venter på regelverk",
                "deviation_consequence": "Senere virkning",
                "corrective_action": "Følges opp i samordningsgruppen",
                "needs_ministry_decision": True,
            },
        ),
    ]:
        target = occurrence(number, year=2019)
        for name, value in values.items():
            setattr(target, name, value)
        target.updated_at = target._history_date = REPORTED_ON
        target.save()
    return seeded_plans[REPORTED_PLAN]


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


class Inbox:
    """What a real SMTP server (aiosmtpd) received: each message parsed."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(message)
        return "250 Message accepted"

    def to(self, address):
        return [m for m in self.messages if address in m["To"]]


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback, started for the test, with Django's SMTP backend sending
    to it: the `Inbox` of what it received."""
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    yield inbox
    controller.stop()


@pytest.fixture(autouse=True)
def no_role_needs_two_factor(settings):
    """See MFA_REQUIRED_ROLES above: whenever the settings were read, no role needs it."""
    settings.MFA_REQUIRED_ROLES = []


class OpenIDProvider:
    """The local OpenID provider (tests/oidc/op.mjs, oidc-provider under node) as it runs."""

    CLIENT_ID, CLIENT_SECRET = "bolig", "bolig-lokal-hemmelighet"

    def __init__(self, issuer):
        self.issuer = issuer

    def env(self, **more):
        """OIDC_* variables for this provider (identity.sso.config), plus `more`."""
        return {
            "OIDC_ISSUER": self.issuer,
            "OIDC_CLIENT_ID": self.CLIENT_ID,
            "OIDC_CLIENT_SECRET": self.CLIENT_SECRET,
            "OIDC_LABEL": "Logg inn med testleverandøren",
            **more,
        }


@pytest.fixture(scope="session")
def openid_provider(live_server):
    """A real OpenID provider on a free loopback port for the whole run, whose client accepts
    the live server's and the test client's (http://testserver) addresses for the providers
    "default" and "ansattporten". Skipped without node, except in CI."""
    import os
    import select
    import shutil
    import time
    from pathlib import Path

    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI"):
            pytest.fail("node is missing in CI: .ci/run should have it")
        pytest.skip("node is not installed")
    root = Path(__file__).resolve().parent.parent
    process = subprocess.Popen(
        [
            node,
            str(root / "tests" / "oidc" / "op.mjs"),
            "--port=0",
            f"--app={live_server.url},http://testserver",
            "--provider=default,ansattporten",
        ],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        deadline = time.monotonic() + 20
        issuer = None
        while issuer is None and time.monotonic() < deadline:
            ready, _w, _x = select.select([process.stdout], [], [], deadline - time.monotonic())
            if not ready:
                break
            line = process.stdout.readline()
            if not line and process.poll() is not None:
                break
            if line.startswith("oidc-provider listening on "):
                issuer = line.split()[-1]
        if issuer is None:
            pytest.fail("the OpenID provider (tests/oidc/op.mjs) did not start within 20 s")
        yield OpenIDProvider(issuer)
    finally:
        process.kill()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    """A STATIC_ROOT filled as production's is, by deploy/collectstatic (whitenoise's hashed,
    compressed names and manifest): production settings render pages only with it."""
    return collect_static(tmp_path_factory.mktemp("static"))
