"""Synthetic data for benchmarks and load tests: copies of the seeded plans, with the status
history and report rounds that years of real use would leave.

Each copy is a plan of its own (slug `demo-NNN-<slug>`, its source says it is synthetic)
with the seeded plan's parts, measures, responsibilities, milestones and occurrences. The
copies are spread over the years from the seeded plan's start to today, so that some run now
(`shifted`); every occurrence due by today gets one to four status updates spread over its
year, each with a history row, as the status form would leave them; past years get a report
round with the directorates' contributions; and a copy whose period ended before this year
is closed, as a coordinator closes a plan after its period, its open occurrences given a
final status. The same seed gives the same data.
"""

import copy
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from rapportering.models import (
    Contribution,
    ReportRound,
    default_internal_deadline,
    default_ministry_deadline,
)
from tiltak import clock
from tiltak.history import system_user
from tiltak.models import (
    Actor,
    Measure,
    Milestone,
    Occurrence,
    Part,
    Plan,
    PlanActor,
    Responsibility,
)
from tiltak.roles import Role

DEMO_PREFIX = "demo-"
# An occurrence as the plan makes it, before anyone reports on it.
UNREPORTED = {
    "status": Occurrence.Status.NOT_STARTED,
    "assessment": "",
    "comment": "",
    "deviation_cause": "",
    "deviation_consequence": "",
    "corrective_action": "",
    "new_date": None,
    "needs_ministry_decision": False,
    "version": 0,
    "updated_by": None,
    "updated_at": None,
}
REPORTED_FIELDS = list(UNREPORTED)
BATCH = 2000
ON_TRACK = (Occurrence.Assessment.GREEN, Occurrence.Assessment.YELLOW)


@dataclass
class Generated:
    plans: int = 0
    measures: int = 0
    milestones: int = 0
    occurrences: int = 0
    status_updates: int = 0
    report_rounds: int = 0
    contributions: int = 0


def _with_history(model, objects, user, when):
    """bulk_create `objects` and the "+" history rows an ordinary save would leave."""
    created = model.objects.bulk_create(objects, batch_size=BATCH)
    model.history.bulk_history_create(
        created, batch_size=BATCH, default_user=user, default_date=when
    )
    return created


def _copied(instance, **changes):
    clone = copy.copy(instance)
    clone.pk = clone.id = None
    clone._state = copy.copy(instance._state)
    clone._state.adding = True
    for name, value in changes.items():
        setattr(clone, name, value)
    return clone


def _moment(rng, day):
    """A working-day moment on `day`, aware."""
    return timezone.make_aware(datetime.combine(day, time(rng.randint(8, 15), rng.randint(0, 59))))


def shifted(day, years):
    """`day` moved `years` years on (29 February to the 28th)."""
    if day is None:
        return None
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _closing_step(rng, plan, today):
    """The final status a coordinator gives an open occurrence when closing `plan`."""
    day = min(plan.end + timedelta(days=rng.randint(10, 60)), today)
    if rng.random() < 0.6:
        values = {"status": Occurrence.Status.COMPLETED, "comment": "Fullført etter planperioden"}
    else:
        reason = "Avsluttet med planen"
        values = {"status": Occurrence.Status.CANCELLED, "comment": reason}
        values["deviation_cause"] = reason
    return day, values


def _status_steps(rng, occurrence, today):
    """The status updates a realistic year leaves on one occurrence: (day, values)."""
    due = occurrence.planned_date or date(occurrence.year, 12, 31)
    if due.replace(month=1, day=1) > today:
        return []
    start = max(date(occurrence.year, 1, 1), due - timedelta(days=200))
    end = min(due + timedelta(days=60), today)
    if end <= start:
        return []
    days = sorted(
        start + timedelta(days=rng.randint(0, (end - start).days)) for _ in range(rng.randint(1, 4))
    )
    steps = []
    for number, day in enumerate(days, start=1):
        last = number == len(days)
        values = {"status": Occurrence.Status.IN_PROGRESS, "assessment": rng.choice(ON_TRACK)}
        if last:
            roll = rng.random()
            if roll < 0.7:
                values = {
                    "status": Occurrence.Status.COMPLETED,
                    "assessment": Occurrence.Assessment.GREEN,
                }
            elif roll < 0.9:
                values = {
                    "status": Occurrence.Status.POSTPONED,
                    "assessment": Occurrence.Assessment.RED,
                    "deviation_cause": "Forsinket avklaring mellom direktoratene",
                    "deviation_consequence": "Tiltaket får virkning senere enn planlagt",
                    "corrective_action": "Følges opp i samordningsgruppen",
                    "new_date": due + timedelta(days=rng.choice((90, 180, 270))),
                }
            elif roll < 0.95:
                values = {
                    "status": Occurrence.Status.CANCELLED,
                    "assessment": "",
                    "deviation_cause": "Tiltaket er avsluttet etter beslutning i departementet",
                    "deviation_consequence": "Ingen",
                    "corrective_action": "Ingen",
                }
        values["comment"] = f"Statusoppdatering {number}"
        steps.append((day, values))
    return steps


@transaction.atomic
def generate(*, scale, seed=0, today=None, templates=None):
    """Create `scale` copies of each plan in `templates` (default: every plan that is not
    itself a copy). Returns what was made, counted."""
    rng = random.Random(seed)
    today = today or clock.today()
    templates = list(templates or Plan.objects.exclude(slug__startswith=DEMO_PREFIX).order_by("pk"))
    counted = Generated()
    writers = list(
        get_user_model()
        .objects.filter(groups__name__in=[Role.DIRECTORATE, Role.COORDINATOR])
        .order_by("pk")
    ) or [system_user()]
    creator = system_user()
    for template in templates:
        # In primary-key order: the same seed must meet the rows in the same order.
        parts = list(template.parts.order_by("pk"))
        measures = list(template.measures.prefetch_related("goals").order_by("pk"))
        responsibilities = list(
            Responsibility.objects.filter(measure__plan=template).order_by("pk")
        )
        milestones = list(Milestone.objects.filter(measure__plan=template).order_by("pk"))
        occurrences = list(
            Occurrence.objects.filter(milestone__measure__plan=template).order_by("pk")
        )
        declared = list(template.declared_actors.order_by("pk"))
        spread = max(today.year - template.start.year + 1, 1)
        for number in range(1, scale + 1):
            years = (number - 1) % spread
            start = shifted(template.start, years)
            created_at = _moment(rng, start - timedelta(days=30))  # imported before it starts
            plan = _with_history(
                Plan,
                [
                    _copied(
                        template,
                        slug=f"{DEMO_PREFIX}{number:03d}-{template.slug}"[:50],
                        title=f"Demo {number}: {template.title}",
                        source=f"Syntetiske data laget av generate_demo_data fra {template.slug}.",
                        start=start,
                        end=shifted(template.end, years),
                    )
                ],
                creator,
                created_at,
            )[0]
            closes = plan.end.year < today.year
            _with_history(
                PlanActor,
                [_copied(a, plan_id=plan.pk) for a in declared],
                creator,
                created_at,
            )
            part_ids = dict(
                zip(
                    [p.pk for p in parts],
                    [
                        p.pk
                        for p in _with_history(
                            Part, [_copied(p, plan_id=plan.pk) for p in parts], creator, created_at
                        )
                    ],
                    strict=True,
                )
            )
            measure_ids = {}
            for level in (False, True):  # measures before their sub-measures
                batch = [m for m in measures if (m.parent_id is not None) == level]
                made = _with_history(
                    Measure,
                    [
                        _copied(
                            m,
                            plan_id=plan.pk,
                            part_id=part_ids.get(m.part_id),
                            parent_id=measure_ids.get(m.parent_id),
                        )
                        for m in batch
                    ],
                    creator,
                    created_at,
                )
                measure_ids.update(zip([m.pk for m in batch], [m.pk for m in made], strict=True))
            Measure.goals.through.objects.bulk_create(
                [
                    Measure.goals.through(measure_id=measure_ids[m.pk], goal_id=goal.pk)
                    for m in measures
                    for goal in m.goals.all()
                ],
                batch_size=BATCH,
            )
            _with_history(
                Responsibility,
                [_copied(r, measure_id=measure_ids[r.measure_id]) for r in responsibilities],
                creator,
                created_at,
            )
            made = _with_history(
                Milestone,
                [_copied(m, measure_id=measure_ids[m.measure_id]) for m in milestones],
                creator,
                created_at,
            )
            milestone_ids = dict(zip([m.pk for m in milestones], [m.pk for m in made], strict=True))
            unreported = [
                _copied(
                    o,
                    milestone_id=milestone_ids[o.milestone_id],
                    year=o.year + years,
                    planned_date=shifted(o.planned_date, years),
                    **UNREPORTED,
                )
                for o in occurrences
            ]
            created = _with_history(Occurrence, unreported, creator, created_at)
            updates, finals = [], []
            for occurrence in created:
                states = []
                steps = _status_steps(rng, occurrence, today)
                if closes and (steps[-1][1] if steps else UNREPORTED)["status"] not in (
                    Occurrence.CLOSED_STATUSES
                ):
                    day, values = _closing_step(rng, plan, today)
                    steps.append((max([day, *(d for d, _v in steps)]), values))
                for day, values in steps:
                    state = _copied(
                        states[-1] if states else occurrence, id=occurrence.pk, **values
                    )
                    state.version = len(states) + 1
                    state.updated_by = rng.choice(writers)
                    state.updated_at = _moment(rng, day)
                    state._history_user, state._history_date = state.updated_by, state.updated_at
                    states.append(state)
                updates += states
                finals += states[-1:]
            Occurrence.objects.bulk_update(finals, REPORTED_FIELDS, batch_size=BATCH)
            Occurrence.history.bulk_history_create(updates, batch_size=BATCH, update=True)
            if closes:
                plan.state = Plan.State.CLOSED
                plan._history_user = creator
                plan._history_date = _moment(rng, min(plan.end + timedelta(days=61), today))
                plan.save()
            counted.plans += 1
            counted.measures += len(measures)
            counted.milestones += len(milestones)
            counted.occurrences += len(created)
            counted.status_updates += len(updates)
            _report_rounds(rng, plan, today, writers, counted)
    return counted


def refresh_statistics():
    """ANALYZE, so that the query planner knows the tables' new sizes. PostgreSQL's
    autovacuum would get there in time; a benchmark right after a bulk load cannot wait."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _report_rounds(rng, plan, today, writers, counted):
    """A round for each past year of the plan, with a delivered contribution from every
    directorate taking part."""
    for year in [y for y in plan.years if y < today.year]:
        round = ReportRound(
            plan=plan,
            year=year,
            ministry_deadline=default_ministry_deadline(year),
            internal_deadline=default_internal_deadline(year),
            summary=f"Sammendrag for {year}.",
            challenges="Kapasitet i kommunene.",
            challenge_actions="Mer veiledning.",
            opened_by=rng.choice(writers),
        )
        round.save()
        delivered = timezone.make_aware(datetime(year, 8, 15, 12))
        contributions = [
            Contribution(
                round=round,
                measure_id=measure_id,
                directorate=directorate,
                status_assessment=f"{directorate.short_name}: arbeidet går etter planen.",
                deviation_handling="",
                challenges="",
                delivered_at=delivered,
                delivered_by=round.opened_by,
                updated_by=round.opened_by,
            )
            for measure_id, directorates in round.participants.items()
            for directorate in directorates
        ]
        _with_history(Contribution, contributions, round.opened_by, delivered)
        counted.report_rounds += 1
        counted.contributions += len(contributions)


FILLER = (
    "Kommunene har fått veiledning om bostøtte, startlån og oppfølging i egen bolig, og "
    "direktoratene har samordnet tilskuddene slik at flere vanskeligstilte får hjelp. "
)


def filler(length):
    """Ordinary prose of exactly `length` characters, in paragraphs of about 600."""
    paragraph = (FILLER * 5)[:598] + "\n\n"
    return (paragraph * (length // len(paragraph) + 1))[:length]


def completed_on_time(occurrences):
    """Mark `occurrences` completed (assessed green, unless assessed) on their due date, as
    their history records it: what the report, which reads the history, then shows."""
    for found in occurrences:
        found.status = Occurrence.Status.COMPLETED
        found.assessment = found.assessment or Occurrence.Assessment.GREEN
        found.updated_at = found._history_date = on_due_date(found)
        found.save()


def on_due_date(occurrence):
    planned = occurrence.planned_date or date(occurrence.year, 12, 1)
    return timezone.make_aware(datetime.combine(planned, time(12)))


def fill_to_the_limits(round, user):
    """Make `round`'s report the largest the text limits allow: every milestone occurrence
    of the year a postponed deviation with every text full (and those of the years before
    completed, so that nothing is missing), every text of the plan's measures and milestones
    full, a delivered contribution from every directorate on every measure with its three
    texts full, and the round's own texts full. For the benchmark's "largest report" and its
    test. The occurrences' updates are in their history, which the report reads; the rest
    write none."""
    plan, year = round.plan, round.year

    def full(model, *names):
        return {name: filler(model._meta.get_field(name).max_length) for name in names}

    measures = Measure.objects.filter(plan=plan)
    measures.update(**full(Measure, "title", "purpose", "contributions"))
    Milestone.objects.filter(measure__plan=plan).update(
        **full(Milestone, "text", "due_text", "due_note")
    )
    occurrences = Occurrence.objects.filter(milestone__measure__plan=plan)
    completed_on_time(occurrences.filter(year__lt=year))
    texts = full(
        Occurrence, "comment", "deviation_cause", "deviation_consequence", "corrective_action"
    )
    for found in occurrences.filter(year=year):
        found.status = Occurrence.Status.POSTPONED
        found.assessment = Occurrence.Assessment.RED
        found.new_date = date(year + 1, 6, 30)
        found.needs_ministry_decision = True
        for name, text in texts.items():
            setattr(found, name, text)
        found.updated_at = found._history_date = on_due_date(found)
        found.save()
    ReportRound.objects.filter(pk=round.pk).update(
        **full(ReportRound, "summary", "challenges", "challenge_actions")
    )
    texts = full(Contribution, "status_assessment", "deviation_handling", "challenges")
    now = timezone.now()
    round.contributions.all().delete()
    Contribution.objects.bulk_create(
        Contribution(
            round=round,
            measure=measure,
            directorate=directorate,
            delivered_at=now,
            delivered_by=user,
            updated_by=user,
            **texts,
        )
        for measure in measures
        for directorate in Actor.objects.directorates()
    )
    round.refresh_from_db()
