"""What the tests build and look up: users, the seeded plans' measures and occurrences, plan
files and report rounds. Plain functions that tests import; the fixtures in conftest.py call
them."""

from datetime import date
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.urls import reverse

from rapportering.demo_data import completed_on_time
from rapportering.models import Contribution, FinalReport, FinalReportFile, ReportRound
from rapportering.report import build_report
from rapportering.services import contribution_save
from tiltak.models import Actor, Measure, Milestone, Occurrence, Plan, User
from tiltak.services import user_provision

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
PLAN_FILES = sorted(FIXTURES.glob("*.yaml"))
SEEDS = ROOT.parent / "shared" / "seeds"
PASSWORD = "Tiltak-test-passord-2026"
REPORTED_PLAN = "handlingsplan-2018-2020"


def make_user(username, role, directorate=None):
    """A user with one `role` (of `directorate`, a short name) and the password PASSWORD."""
    user, _created = user_provision(
        username=username, role=role, directorate_name=directorate, password=PASSWORD
    )
    return user


def measure(number="6", plan=REPORTED_PLAN):
    """Measure `number` of the plan with slug `plan` (by default measure 6 of the 2018–2020
    plan, which AVdir leads: the tests' usual measure)."""
    return Measure.objects.get(plan__slug=plan, number=number)


def occurrence(number="6", planned=None, *, plan=REPORTED_PLAN, year=None):
    """The first occurrence of measure `number` (see `measure`): of its first milestone, the
    earliest; only those of `year` and planned on the date `planned` where these are given."""
    found = Occurrence.objects.filter(
        milestone__measure__plan__slug=plan, milestone__measure__number=number
    )
    if year is not None:
        found = found.filter(year=year)
    if planned is not None:
        found = found.filter(planned_date=planned)
    return found.order_by("milestone__position", "year", "planned_date").first()


def complete_the_rest_of(plan, year):
    """Mark every milestone occurrence of `year` and the years before completed (and assessed
    green) on its due date, as its history records it, except those with a deviation cause:
    the data of a year whose deviations are all explained."""
    completed_on_time(
        Occurrence.objects.filter(milestone__measure__plan=plan, year__lte=year, deviation_cause="")
    )


def deliver_contributions(round, user, leave_out=()):
    """Deliver a contribution from every directorate on every measure it takes part in, except
    the (measure number, directorate short name) pairs in `leave_out`."""
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


def deliver_one(round, measure_id, user):
    """The contribution of `user`'s directorate to `round` on the measure `measure_id`,
    delivered by `user` on 20 August 2019 (before the usual deadline)."""
    return Contribution.objects.create(
        round=round,
        measure_id=measure_id,
        directorate=user.directorate,
        status_assessment="Levert.",
        delivered_at="2019-08-20T12:00Z",
        delivered_by=user,
        updated_by=user,
    )


def open_round(plan, user, year=2019, **values):
    """A report round of `plan` for `year`, opened by `user`, with the usual deadlines."""
    return ReportRound.objects.create(
        plan=plan,
        year=year,
        ministry_deadline=date(year, 10, 1),
        internal_deadline=date(year, 9, 1),
        opened_by=user,
        **values,
    )


def report_round():
    """The 2019 report round of the 2018–2020 plan, opened by the coordinator."""
    plan = measure().plan
    return ReportRound.objects.get_or_create(
        plan=plan,
        year=2019,
        defaults={
            "ministry_deadline": "2019-10-01",
            "internal_deadline": "2019-09-01",
            "opened_by": User.objects.get(username="koordinator"),
        },
    )[0]


def final_report():
    """A finalised version of report_round(), with its CSV file (made directly: quicker than
    rendering every format through report_finalise)."""
    round = report_round()
    report = build_report(plan=round.plan, year=2019, round=round, version=1)
    final = FinalReport.objects.create(
        round=round,
        version=1,
        content=report.as_dict(),
        checksum="0" * 64,
        finalised_by=round.opened_by,
        finalised_at="2019-09-30T12:00:00Z",
    )
    FinalReportFile.objects.create(report=final, format="csv", data=b"x", checksum="0" * 64)
    round.state = ReportRound.State.FINALISED
    round.save()
    return final


def contribution_url(round, number, directorate):
    """The page of `directorate`'s contribution on measure `number` in `round`."""
    measure = Measure.objects.get(plan=round.plan, number=number)
    return reverse(
        "rapportering:contribution",
        args=[round.pk, measure.pk, Actor.objects.get(short_name=directorate).pk],
    )


def finalise(client, round):
    """Finalise `round` through its page as `client`'s user; the new version."""
    response = client.post(reverse("rapportering:report-finalise", args=[round.pk]))
    assert response.status_code == 302, response.content.decode()
    final = round.latest_version()
    assert response.url == final.get_absolute_url()
    return final


def download(client, final, fmt):
    """The stored file of the finalised report `final` in the format `fmt`."""
    response = client.get(reverse("rapportering:final-report-file", args=[final.pk, fmt]))
    assert response.status_code == 200
    return response.content


def export(slug):
    """The plan `slug` as export_plan writes it."""
    out = StringIO()
    call_command("export_plan", slug, stdout=out)
    return out.getvalue()


def import_text(tmp_path, text, name="plan.yaml", *args):
    """Import `text` through import_plan as a file `name`; what the command printed."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    out = StringIO()
    call_command("import_plan", str(path), *args, stdout=out)
    return out.getvalue()


def stripped(value):
    """The content of a plan file, whitespace at the ends of texts aside."""
    if isinstance(value, dict):
        return {key: stripped(item) for key, item in value.items()}
    if isinstance(value, list):
        return [stripped(item) for item in value]
    return value.strip() if isinstance(value, str) else value


def counts():
    """Rows and history rows of the plan models: what an import that is refused leaves as it was."""
    return {
        model.__name__: (model.objects.count(), model.history.count())
        for model in (Plan, Measure, Milestone, Occurrence, Actor)
    }


# A plan file in none of the fixtures: an actor of its own, parts, a sub-measure, dated,
# recurring and continuous milestones.
UNSEEN_PLAN = """\
plan:
  slug: handlingsplan-2021
  title: Handlingsplan 2021 (prøve)
  start: 2021-01-01
  end: 2022-12-31
  source: Skrevet for testen
actors:
  - name: Husbankens regionkontor
parts:
  - code: "A"
    title: Første del
    measures:
      - number: "1"
        title: Et tiltak
        purpose: |
          Første avsnitt.

          Andre avsnitt.
        contributions: Alle bidrar.
        responsible:
          - actor: IMDi
            role: lead
          - actor: Husbankens regionkontor
            role: contributor
        milestones:
          - text: Hvert år
            due: 3. kvartal årlig
            dates: [2021-09-30, 2022-09-30]
            responsible: Husbankens regionkontor
          - text: Underveis
            due: fortløpende
            dates: []
        measures:
          - number: "1.1"
            title: Et deltiltak
            responsible:
              - actor: KDI
                role: coordinator
            milestones:
              - text: Ferdig
                due: Innen 1.3.2022
                dates: [2022-03-01]
  - code: "B"
    title: Andre del
    measures: []
"""
