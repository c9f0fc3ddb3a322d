"""Writes to the yearly report, each in one transaction with the round locked, so that
a contribution cannot slip in while the report is being finalised."""

from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bolig.audit import audit_on_commit
from rapportering.exports import FORMATS, in_report_language
from rapportering.models import (
    Contribution,
    Dispatch,
    FinalReport,
    FinalReportFile,
    ReportRound,
    content_checksum,
    file_checksum,
)
from rapportering.reminders import recipients, render_email
from rapportering.report import build_report
from rapportering.rounds import missing_content
from tiltak import clock
from tiltak.formatting import short_date
from tiltak.history import acting_as
from tiltak.models import Actor
from tiltak.services import record_health


class RoundStateError(Exception):
    """The round's state does not allow this now: a finalised round changes only after a
    correction is started, and only a finalised round can be corrected."""


class NotDelivered(Exception):
    """The contribution is not delivered, so there is nothing to return."""


class ReportIncomplete(Exception):
    """The report cannot be finalised yet; `missing` says what it lacks."""

    def __init__(self, missing):
        super().__init__(f"{len(missing)} thing(s) missing")
        self.missing = missing


def _locked(round_id, *, editable):
    round = ReportRound.objects.select_for_update().select_related("plan").get(pk=round_id)
    if editable and not round.is_editable:
        raise RoundStateError
    return round


def contribution_save(*, round_id, measure, directorate, user, values, deliver=False):
    """Save a directorate's contribution on a measure; with `deliver`, mark it delivered
    (a delivered contribution stays delivered when it is edited later)."""
    with acting_as(user), transaction.atomic():
        round = _locked(round_id, editable=True)
        contribution = Contribution.objects.filter(
            round=round, measure=measure, directorate=directorate
        ).first() or Contribution(round=round, measure=measure, directorate=directorate)
        for name in ("status_assessment", "deviation_handling", "challenges"):
            setattr(contribution, name, values[name])
        contribution.updated_by = user
        if deliver and not contribution.is_delivered:
            contribution.delivered_at = timezone.now()
            contribution.delivered_by = user
        contribution.save()
    return contribution


def contribution_return(*, round_id, measure, directorate, user, comment):
    """Send a delivered contribution back to its directorate for more work: it is no longer
    delivered, and who returned it, when and why is recorded (and kept when it is delivered
    again). Each user of the directorate is emailed once the change is committed. Refused
    with RoundStateError once the round is finalised, and with NotDelivered when the
    contribution is not delivered (also when another tab returned it first)."""
    with acting_as(user), transaction.atomic():
        round = _locked(round_id, editable=True)
        contribution = (
            Contribution.objects.filter(round=round, measure=measure, directorate=directorate)
            .select_related("directorate", "measure")
            .first()
        )
        if contribution is None or not contribution.is_delivered:
            raise NotDelivered
        contribution.delivered_at = None
        contribution.delivered_by = None
        contribution.returned_at = timezone.now()
        contribution.returned_by = user
        contribution.return_comment = comment
        contribution.save(
            update_fields=[
                "delivered_at",
                "delivered_by",
                "returned_at",
                "returned_by",
                "return_comment",
            ]
        )
        notices = _return_notices(round, contribution)
        if notices:
            transaction.on_commit(lambda: get_connection().send_messages(notices), robust=True)
    return contribution


def _return_notices(round, contribution):
    """The email to each user of the contribution's directorate that it was returned, with
    the comment and the address of the contribution."""
    path = reverse(
        "rapportering:contribution",
        args=[round.pk, contribution.measure_id, contribution.directorate_id],
    )
    subject, body = render_email(
        "contribution_returned", {"round": round, "contribution": contribution, "path": path}
    )
    return [
        EmailMessage(subject, body, to=[person.email])
        for person in recipients(contribution.directorate)
    ]


def round_compilation_save(*, round_id, user, values):
    """Save the coordinator's summary, challenges and what is done about them; only these
    fields, so that a page opened before the report was finalised cannot write back the
    round's old state. Refused with RoundStateError once the round is finalised."""
    with acting_as(user), transaction.atomic():
        round = _locked(round_id, editable=True)
        for name in ReportRound.COMPILATION_FIELDS:
            setattr(round, name, values[name])
        round.save(update_fields=ReportRound.COMPILATION_FIELDS)
    return round


def report_finalise(*, round_id, user, today=None, at=None):
    """Freeze the round's report as a new version: its content, and a file in every format,
    each with a SHA-256 checksum, finalised `at` (now; the demonstration's history sets a
    moment in its past). Refused with ReportIncomplete while anything is missing."""
    today = today or clock.today()
    with acting_as(user), transaction.atomic():
        round = _locked(round_id, editable=True)
        missing = missing_content(round, today)
        if missing:
            raise ReportIncomplete(missing)
        previous = round.latest_version()
        with in_report_language():
            replaces = ""
            if previous is not None:
                replaces = _(
                    "Replaces version %(version)s of %(date)s. The reason for the correction: "
                    "%(reason)s"
                ) % {
                    "version": previous.version,
                    "date": short_date(timezone.localdate(previous.finalised_at)),
                    "reason": round.correction_reason,
                }
            report = build_report(
                plan=round.plan,
                year=round.year,
                today=today,
                round=round,
                version=previous.version + 1 if previous else 1,
                replaces=replaces,
            )
            files = {key: fmt.render(report) for key, fmt in FORMATS.items()}
            occasion = _("the report for %(year)s") % {"year": round.year}
        content = report.as_dict()
        final = FinalReport.objects.create(
            round=round,
            version=report.version,
            replaces=previous,
            correction_reason=round.correction_reason,
            content=content,
            checksum=content_checksum(content),
            finalised_by=user,
            finalised_at=at or timezone.now(),
        )
        for key, data in files.items():
            FinalReportFile.objects.create(
                report=final, format=key, data=data, checksum=file_checksum(data)
            )
        record_health(
            plan=round.plan, year=round.year, occasion=occasion, at=final.finalised_at, today=today
        )
        round.state = ReportRound.State.FINALISED
        round.correction_reason = ""
        round.save(update_fields=["state", "correction_reason"])
        audit_on_commit(
            "report_finalised",
            user_id=user.pk,
            round_id=round.pk,
            report_id=final.pk,
            version=final.version,
        )
    return final


def correction_start(*, round_id, user, reason):
    """Open a finalised round again to make a corrected version; `reason` goes into it."""
    with acting_as(user), transaction.atomic():
        round = _locked(round_id, editable=False)
        if round.state != ReportRound.State.FINALISED:
            raise RoundStateError
        round.state = ReportRound.State.CORRECTING
        round.correction_reason = reason
        round.save(update_fields=["state", "correction_reason"])
    return round


class DispatchRefused(Exception):
    """A finalised version's dispatch cannot be recorded: it is recorded already
    (`ALREADY_RECORDED`), or the version was replaced by a later one (`REPLACED`)."""

    ALREADY_RECORDED = "already recorded"
    REPLACED = "replaced"

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def dispatch_record(*, report_id, user, sent_on, recipients, reference=""):
    """Record that the finalised version `report_id` was sent to the ministries `recipients`
    on `sent_on` (validated by `Dispatch.clean`), by `user`. One dispatch per version, and
    only of a version not yet replaced: refused with DispatchRefused otherwise."""
    with acting_as(user), transaction.atomic():
        final = FinalReport.objects.get(pk=report_id)
        _locked(final.round_id, editable=False)  # a correction cannot replace it meanwhile
        if Dispatch.objects.filter(report=final).exists():
            raise DispatchRefused(DispatchRefused.ALREADY_RECORDED)
        if FinalReport.objects.filter(replaces=final).exists():
            raise DispatchRefused(DispatchRefused.REPLACED)
        dispatch = Dispatch(report=final, sent_on=sent_on, reference=reference, recorded_by=user)
        dispatch.full_clean(exclude=["report", "recorded_by"], validate_unique=False)
        recipients = list(recipients)
        if not recipients or any(actor.kind != Actor.Kind.MINISTRY for actor in recipients):
            raise ValidationError({"recipients": _("Choose the ministries it was sent to.")})
        try:
            with transaction.atomic():
                dispatch.save()
        except IntegrityError as clash:  # recorded by another request since the check
            raise DispatchRefused(DispatchRefused.ALREADY_RECORDED) from clash
        dispatch.recipients.set(recipients)
    return dispatch
