"""Writes that touch several models, each in one transaction (importing a plan file is in
`tiltak.plan_files.importer`)."""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from bolig.audit import audit_on_commit
from tiltak.history import acting_as, system_user
from tiltak.models import Actor, FinalStatus, HealthRecord, Measure, Occurrence, Plan
from tiltak.permissions import refuse_if_closed
from tiltak.roles import Role, role_of
from tiltak.selectors import plan_open_occurrences


@dataclass
class OccurrenceChanges:
    created: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    refused: list = field(default_factory=list)


def occurrences_sync(*, milestone, dates, years):
    """Give `milestone` one occurrence per date, or one per year in `years` when there are none.

    Occurrences already there are kept with their status; those no longer wanted are
    deleted, except those with reported status, which are returned as `refused` for the
    caller to refuse the change.
    """
    wanted = [(day.year, day) for day in dates] or [(year, None) for year in years]
    existing = {(o.year, o.planned_date): o for o in milestone.occurrences.all()}
    changes = OccurrenceChanges()
    for year, day in wanted:
        if existing.pop((year, day), None) is None:
            changes.created.append(
                Occurrence.objects.create(milestone=milestone, year=year, planned_date=day).when
            )
    for occurrence in existing.values():
        if occurrence.is_reported:
            changes.refused.append(occurrence)
        else:
            changes.removed.append(occurrence.when)
            occurrence.delete()
    return changes


def refused_message(occurrence):
    return _(
        "milestone «%(text)s» (%(when)s) has reported status and would be removed; keep that date"
    ) % {"text": occurrence.milestone.text, "when": occurrence.when}


def user_provision(
    *,
    username,
    role,
    directorate_name=None,
    password=None,
    without_password=False,
    first_name=None,
    last_name=None,
    email=None,
    by=None,
):
    """Create or update a user with exactly one role; returns (user, created).

    The one way users are made and changed: the `create_user` command, the demo data, the
    tests and the user administration (`by`, the admin, is recorded in the history; else the
    system user). A directorate user needs a directorate, a coordinator belongs to the
    coordinating directorate, and other roles to none (a directorate given is not kept; the
    user administration's form refuses it). A password is checked by the password
    validators; a new user needs one unless `without_password`, and then cannot sign in until
    one is set. Names and email are changed where given. Whether a user is active is left as
    it is (`user_deactivate`, `user_reactivate`); a new user is active. Errors are by field.
    """
    User = get_user_model()
    directorate = None
    coordinating = Actor.objects.filter(is_coordinator=True).first()
    if directorate_name:
        directorate = Actor.objects.directorates().resolve(directorate_name).first()
        if directorate is None:
            raise ValidationError(
                {"directorate": _("Unknown directorate «%(name)s».") % {"name": directorate_name}}
            )
        if role == Role.COORDINATOR and directorate != coordinating:
            raise ValidationError(
                {"directorate": _("A coordinator belongs to %(name)s.") % {"name": coordinating}}
            )
    elif role == Role.DIRECTORATE:
        raise ValidationError({"directorate": _("A directorate user needs a directorate.")})
    elif role == Role.COORDINATOR:
        directorate = coordinating

    with acting_as(by or system_user()), transaction.atomic():
        user = User.objects.filter(username=username).first()
        created = user is None
        if created:
            if not password and not without_password:
                raise ValidationError(_("A new user needs a password (BOLIG_PASSWORD)."))
            user = User(username=username)
            user.set_unusable_password()
        elif by is not None and user.pk == by.pk and role != Role.ADMIN:
            raise ValidationError(
                {"role": _("You cannot take the administrator role from yourself.")}
            )
        if password:
            try:
                validate_password(password, user)
            except ValidationError as error:
                raise ValidationError({"password": error.messages}) from None
            user.set_password(password)
        for name, value in [("first_name", first_name), ("last_name", last_name), ("email", email)]:
            if value is not None:
                setattr(user, name, value)
        previous_role = None if created else role_of(user)
        user.directorate = directorate if role in (Role.DIRECTORATE, Role.COORDINATOR) else None
        user.is_staff = user.is_superuser = role == Role.ADMIN
        user.save()
        user.groups.set([Group.objects.get(name=role.value)])
        if previous_role != role:
            audit_on_commit(
                "role_changed",
                user_id=user.pk,
                role=role.value,
                previous_role=previous_role and previous_role.value,
                by_user_id=by and by.pk,
            )
    return user, created


def deactivation_refusal(*, user, by):
    """Why `by` may not deactivate `user`, or "" when it may: nobody locks themselves out."""
    if user.pk == by.pk:
        return _("You cannot deactivate yourself. Ask another administrator.")
    return ""


def user_deactivate(*, user, by):
    """Deactivate `user`: signed out everywhere (`User.save` ends their sessions) and their
    calendar addresses revoked; nothing else changes, and `user_reactivate` undoes it (the
    addresses stay revoked: the user makes new ones). `by`, the admin, is recorded in the
    history, and cannot deactivate themselves."""
    refusal = deactivation_refusal(user=user, by=by)
    if refusal:
        raise ValidationError(refusal)
    with acting_as(by), transaction.atomic():
        user.is_active = False
        user.save()
        for feed in user.calendar_feeds.active():
            feed.revoke()
    return user


def user_reactivate(*, user, by):
    """Let a deactivated `user` sign in again, recorded in the history as done by `by`."""
    with acting_as(by), transaction.atomic():
        user.is_active = True
        user.save()
    return user


class StatusConflict(Exception):
    """Someone else updated the occurrence since the form was opened."""

    def __init__(self, current):
        self.current = current
        super().__init__(f"occurrence {current.pk} is at version {current.version}")


def occurrence_update_status(*, occurrence_id, user, expected_version, values):
    """Record a status update, unless another was saved since `expected_version`.

    The row is locked while it is compared and saved, and it is saved through the model,
    so that the history keeps every accepted update with its author. A stale version
    raises StatusConflict with the occurrence as it now is; nothing is overwritten. Values
    the model refuses (an incomplete deviation, a text over its limit) raise ValidationError
    by field, and nothing is saved.
    """
    with acting_as(user), transaction.atomic():
        occurrence = Occurrence.objects.select_for_update().get(pk=occurrence_id)
        # Read after the lock, in a statement of its own, so that a plan closed while this
        # update waited for the row (plan_close locks its open occurrences) is seen closed.
        refuse_if_closed(Plan.objects.get(measures__milestones__occurrences=occurrence))
        if occurrence.version != expected_version:
            raise StatusConflict(occurrence)
        for name in Occurrence.STATUS_FIELDS:
            setattr(occurrence, name, values[name])
        # What the update sets, checked as the status form checks it; the rest is as it was.
        occurrence.full_clean(
            exclude=[
                f.name for f in Occurrence._meta.fields if f.name not in Occurrence.STATUS_FIELDS
            ],
            validate_unique=False,
            validate_constraints=False,
        )
        occurrence.save_as_reported(user)
        audit_on_commit(
            "status_changed",
            user_id=user.pk,
            occurrence_id=occurrence.pk,
            status=occurrence.status,
            assessment=occurrence.assessment,
            version=occurrence.version,
        )
    return occurrence


def milestone_save(*, milestone, dates, user):
    """Save a milestone and make its occurrences those of `dates`, in one transaction.

    Refused (ValidationError, nothing saved) where an occurrence with reported status
    would have to go.
    """
    with acting_as(user), transaction.atomic():
        milestone.save()
        changes = occurrences_sync(
            milestone=milestone, dates=dates, years=milestone.measure.plan.years
        )
        if changes.refused:
            raise ValidationError([refused_message(o) for o in changes.refused])
    return milestone


def plan_close_refusal(plan, today=None):
    """Why `plan` cannot be closed now, or "" when it can."""
    if plan.state != Plan.State.ACTIVE:
        return _("Only an active plan can be closed.")
    if not plan.has_ended(today):
        return _("The plan can be closed when its period has ended (after %(end)s).") % {
            "end": date_format(plan.end, "SHORT_DATE_FORMAT")
        }
    return ""


def _is_final(final_status, plan):
    """Whether (FinalStatus, reason, target) is complete: a reason, and for a carry-over
    another plan."""
    if final_status is None:
        return False
    final, reason, target = final_status
    if final not in FinalStatus.values or not reason.strip():
        return False
    return final != FinalStatus.CARRIED_OVER or (target is not None and target.pk != plan.pk)


def plan_close(*, plan, user, final_statuses, today=None, at=None):
    """Close `plan`: give each open occurrence its final status and make the plan read-only.

    `final_statuses` maps each open occurrence's pk to (FinalStatus, reason, target plan or
    None). The reason becomes the occurrence's comment (and, for a cancellation, the cause of
    the deviation a cancellation is); a carried-over occurrence keeps its status and records
    the plan it was carried over to. Every change is saved through the models, so the history
    keeps it with `user`, at `at` (now; the demonstration's history sets a moment in its
    past). Refused with ValidationError, nothing saved, when the plan cannot be closed or an
    open occurrence lacks its final status."""
    with acting_as(user), transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        refusal = plan_close_refusal(plan, today)
        if refusal:
            raise ValidationError(refusal)
        open_occurrences = list(plan_open_occurrences(plan).select_for_update(of=("self",)))
        missing = [o for o in open_occurrences if not _is_final(final_statuses.get(o.pk), plan)]
        if missing:
            raise ValidationError(
                _("%(count)d open milestone occurrences lack a final status.")
                % {"count": len(missing)}
            )
        now = at or timezone.now()
        for occurrence in open_occurrences:
            occurrence._history_date = now
            final, reason, target = final_statuses[occurrence.pk]
            occurrence.comment = reason
            if final == FinalStatus.CARRIED_OVER:
                occurrence.carried_over_to = target
            else:
                occurrence.status = final
            if final == FinalStatus.CANCELLED and not occurrence.deviation_cause.strip():
                occurrence.deviation_cause = reason
            occurrence.save_as_reported(user, now)
        plan.state = Plan.State.CLOSED
        plan._history_date = now
        plan.save()
    return plan


def record_health(*, plan, year, occasion, at, today):
    """Record each of `plan`'s measures' health in `year`, judged on `today`, as it stood
    on `occasion` (a text: "the yearly report for 2019") at the moment `at`."""
    HealthRecord.objects.bulk_create(
        HealthRecord(measure_id=pk, year=year, health=health, occasion=occasion, recorded_at=at)
        for pk, health in Measure.objects.filter(plan=plan)
        .with_health(year=year, today=today)
        .values_list("pk", "health")
    )
