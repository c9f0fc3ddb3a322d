"""The demonstration's history: the 2018–2020 plan as it stood on the demo's date.

`make run` imports the plans word for word and then loads this, with the application's clock
(`tiltak.clock`) set to a day inside the plan (15 September 2019, the report season): status
updates with their history by the demo users, as the status form leaves them, some deviations
with cause and corrective action, some milestones overdue, the 2018 report finalised in
September 2018, the 2019 round open with part of the contributions delivered, and the 2015
plan closed by the coordinator early in 2017. Only the
statuses and reports are made up; the plan's text stays as imported. The same seed gives the
same history.
"""

import random
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from rapportering.demo_data import ON_TRACK, _moment, _status_steps, _with_history
from rapportering.models import (
    Contribution,
    ReportRound,
    default_internal_deadline,
    default_ministry_deadline,
)
from rapportering.rounds import MissingKind, missing_content
from rapportering.services import report_finalise
from tiltak.models import FinalStatus, Occurrence, Plan
from tiltak.roles import Role
from tiltak.selectors import plan_open_occurrences
from tiltak.services import plan_close

DEMO_PLAN = "handlingsplan-2018-2020"
# The plan before it, which the coordinator closed early in 2017 with a final status for
# each milestone left open.
CLOSED_PLAN = "tiltaksplan-2015"
CLOSED_ON = date(2017, 2, 1)
# The 2018 report was finalised on this day, before its deadline of 1 October 2018.
FINALISED_2018 = date(2018, 9, 25)
DELIVERED_SHARE_2019 = 0.5  # of the contributions to the open 2019 round

LATE_DEVIATION = {
    "status": Occurrence.Status.POSTPONED,
    "assessment": Occurrence.Assessment.RED,
    "deviation_cause": "Arbeidet tok lengre tid enn planlagt fordi avklaringer med "
    "kommunene trakk ut.",
    "deviation_consequence": "Milepælen nås senere; tiltaket som helhet er ikke truet.",
    "corrective_action": "Ny framdriftsplan er avtalt i samordningsgruppen.",
}


class DemoHistoryExists(Exception):
    pass


def writers_by_actor():
    """The demo user of each directorate, by actor id, and the coordinator."""
    users = get_user_model().objects.filter(is_active=True)
    directorate_users = {
        user.directorate_id: user
        for user in users.filter(groups__name=Role.DIRECTORATE).order_by("username")
    }
    coordinator = users.filter(groups__name=Role.COORDINATOR).order_by("username").first()
    return directorate_users, coordinator


def _writer(occurrence, directorate_users, coordinator):
    """Who reports on `occurrence`: the user of the directorate it is assigned to, or of the
    first directorate responsible for its measure, else the coordinator."""
    milestone = occurrence.milestone
    if milestone.responsible_id in directorate_users:
        return directorate_users[milestone.responsible_id]
    for responsibility in milestone.measure.responsibilities.all():
        if responsibility.actor_id in directorate_users:
            return directorate_users[responsibility.actor_id]
    return coordinator


def _apply(occurrence, day, values, user):
    """One status update on `day` by `user`, saved as the status form saves it (a history row
    with who and when)."""
    for name, value in values.items():
        setattr(occurrence, name, value)
    when = _moment(random.Random(occurrence.pk * 7 + day.toordinal()), day)
    occurrence._history_user, occurrence._history_date = user, when
    occurrence.save_as_reported(user, when)


def _follow_up(round, day, directorate_users, coordinator):
    """What the round's missing list asks of its milestones, put in place on `day` by their
    writers, as the coordinator's chasing before finalising leaves it: an explanation of each
    deviation, a status and an assessment of each milestone of the year."""
    for item in missing_content(round, day):
        occurrence = item.occurrence
        if occurrence is None:
            continue
        values = {}
        if item.kind == MissingKind.DEVIATION:
            values = {name: LATE_DEVIATION[name] for name in occurrence.EXPLANATION_FIELDS}
            if occurrence.is_open and occurrence.new_date is None:
                values["new_date"] = day + timedelta(days=120)
        else:
            if occurrence.has_no_status:
                values["status"] = Occurrence.Status.IN_PROGRESS
            values["assessment"] = occurrence.assessment or Occurrence.Assessment.GREEN
        _apply(occurrence, day, values, _writer(occurrence, directorate_users, coordinator))


def _contributions(round, user_of, when, rng, share=1.0):
    """Delivered contributions of every participating directorate to `round`, or of the
    share `share` of them (the others not written yet)."""
    made = []
    for measure_id, directorates in round.participants.items():
        for directorate in directorates:
            if rng.random() >= share:
                continue
            user = user_of.get(directorate.pk)
            contribution = Contribution(
                round=round,
                measure_id=measure_id,
                directorate=directorate,
                status_assessment=f"{directorate.short_name}: arbeidet følger planen; "
                "se milepælene for detaljer.",
                deviation_handling="Avvik er meldt med årsak og tiltak.",
                challenges="Kapasitet i kommunene.",
                delivered_at=when,
                delivered_by=user,
                updated_by=user,
            )
            contribution._history_user = user
            made.append(contribution)
    _with_history(Contribution, made, None, when)


@transaction.atomic
def load(*, today, seed=0):
    """Load the demonstration history of the 2018–2020 plan as of `today`. Refused with
    DemoHistoryExists when the plan has a status update or a report round already."""
    rng = random.Random(seed)
    plan = Plan.objects.get(slug=DEMO_PLAN)
    occurrences = list(
        Occurrence.objects.filter(milestone__measure__plan=plan)
        .select_related("milestone__measure")
        .prefetch_related("milestone__measure__responsibilities")
        .order_by("pk")
    )
    if any(o.version for o in occurrences) or plan.report_rounds.exists():
        raise DemoHistoryExists
    directorate_users, coordinator = writers_by_actor()
    _close_the_plan_before(rng, coordinator)
    steps = {o.pk: _status_steps(rng, o, today) for o in occurrences}
    for occurrence in occurrences:
        # Not due yet: work in progress, not an outcome.
        if steps[occurrence.pk] and (occurrence.due_date or date(occurrence.year, 12, 31)) > today:
            day, values = steps[occurrence.pk][-1]
            steps[occurrence.pk][-1] = (
                day,
                {
                    "status": Occurrence.Status.IN_PROGRESS,
                    "assessment": rng.choice(ON_TRACK),
                    "comment": values["comment"],
                },
            )

    def report_until(cutoff, after=None):
        for occurrence in occurrences:
            for day, values in steps[occurrence.pk]:
                if (after is None or day > after) and day <= cutoff:
                    user = _writer(occurrence, directorate_users, coordinator)
                    _apply(occurrence, day, values, user)

    # 2018, up to the report: what is late by then is reported as a deviation.
    report_until(FINALISED_2018 - timedelta(days=5))
    for occurrence in occurrences:
        if occurrence.year == 2018 and occurrence.is_overdue(FINALISED_2018):
            late = {**LATE_DEVIATION, "new_date": FINALISED_2018 + timedelta(days=120)}
            user = _writer(occurrence, directorate_users, coordinator)
            _apply(occurrence, FINALISED_2018 - timedelta(days=4), late, user)
    round_2018 = _round(plan, 2018, coordinator)
    finalised_at = _moment(rng, FINALISED_2018)
    _contributions(round_2018, directorate_users, finalised_at - timedelta(days=10), rng)
    ReportRound.objects.filter(pk=round_2018.pk).update(
        summary="Arbeidet med handlingsplanen er godt i gang. De fleste milepælene for 2018 "
        "er nådd; noen er utsatt med ny dato.",
        challenges="Kapasitet i kommunene og samordning av tilskudd.",
        challenge_actions="Felles veiledning og tettere oppfølging i samordningsgruppen.",
    )
    _follow_up(round_2018, FINALISED_2018 - timedelta(days=3), directorate_users, coordinator)
    for occurrence in occurrences:  # the follow-up saved copies of some of them
        occurrence.refresh_from_db()
    report_finalise(round_id=round_2018.pk, user=coordinator, today=FINALISED_2018, at=finalised_at)

    # Then on to the demo's date, and the 2019 round open in the report season.
    report_until(today, after=FINALISED_2018 - timedelta(days=5))
    round_2019 = _round(plan, 2019, coordinator)
    _contributions(
        round_2019,
        directorate_users,
        _moment(rng, today - timedelta(days=10)),
        rng,
        share=DELIVERED_SHARE_2019,
    )
    return round_2018, round_2019


def _close_the_plan_before(rng, coordinator):
    """The 2015 plan closed as the coordinator closes a plan: most open milestones completed
    after the period, the rest cancelled, each with its reason."""
    plan = Plan.objects.filter(slug=CLOSED_PLAN, state=Plan.State.ACTIVE).first()
    if plan is None:
        return
    final_statuses = {
        occurrence.pk: (
            (FinalStatus.COMPLETED, "Fullført etter planperioden.", None)
            if rng.random() < 0.7
            else (FinalStatus.CANCELLED, "Videreført i arbeidet med den nye handlingsplanen.", None)
        )
        for occurrence in plan_open_occurrences(plan)
    }
    plan_close(
        plan=plan,
        user=coordinator,
        final_statuses=final_statuses,
        today=CLOSED_ON,
        at=_moment(rng, CLOSED_ON),
    )


def _round(plan, year, coordinator):
    round = ReportRound.objects.create(
        plan=plan,
        year=year,
        ministry_deadline=default_ministry_deadline(year),
        internal_deadline=default_internal_deadline(year),
        opened_by=coordinator,
    )
    ReportRound.objects.filter(pk=round.pk).update(
        opened_at=timezone.make_aware(datetime(year, 6, 1, 9))
    )
    return round
