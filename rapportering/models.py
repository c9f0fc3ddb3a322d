"""Personal calendar feeds of a directorate's milestones, and the yearly report: its rounds,
the directorates' contributions and the finalised versions."""

import hashlib
import json
import secrets
from datetime import date, timedelta
from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tiltak import clock, free_text
from tiltak.formatting import short_date
from tiltak.history import historical_records
from tiltak.models import Actor, Measure, Plan
from tiltak.roles import Role
from tiltak.selectors import plan_participation


def new_token():
    return secrets.token_urlsafe(32)


class CalendarFeedQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class CalendarFeed(models.Model):
    """A secret address at which a calendar program (Outlook) reads a directorate's
    milestones. Whoever knows the address can read the feed, so it can be revoked, and it
    answers only while its owner keeps the right to it (tiltak.permissions.can_read_feed)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="calendar_feeds",
        verbose_name=_("user"),
    )
    directorate = models.ForeignKey(
        Actor,
        models.CASCADE,
        related_name="+",
        limit_choices_to={"kind": Actor.Kind.DIRECTORATE},
        verbose_name=_("directorate"),
    )
    role = models.CharField(
        _("made as"),
        max_length=20,
        choices=Role,
        editable=False,
        help_text=_("The owner's role when the address was made; it ends when the role changes."),
    )
    token = models.CharField(
        _("secret"), max_length=64, unique=True, default=new_token, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    history = historical_records(excluded_fields=["token"])
    objects = CalendarFeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.user} – {self.directorate}"

    def get_absolute_url(self):
        return reverse("rapportering:calendar-feed", args=[self.token])

    def revoke(self):
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])


def default_ministry_deadline(year):
    """1 October of the report's year: the date of the 2018–2020 plan."""
    return date(year, 10, 1)


def default_internal_deadline(year):
    """A month before the ministries' deadline, to leave time for compiling."""
    return date(year, 9, 1)


class ReportRound(models.Model):
    """One year's joint report of a plan: the directorates' contributions, the coordinator's
    compilation, and the versions finalised and sent to the ministries."""

    class State(models.TextChoices):
        OPEN = "open", _("Open for contributions")
        FINALISED = "finalised", _("Finalised")
        CORRECTING = "correcting", _("Open for correction")

    # The coordinator's compilation: what the compile page writes.
    COMPILATION_FIELDS = ("summary", "challenges", "challenge_actions")

    plan = models.ForeignKey(
        Plan, models.PROTECT, related_name="report_rounds", verbose_name=_("plan")
    )
    year = models.PositiveIntegerField(_("year"))
    ministry_deadline = models.DateField(_("deadline for the ministries"))
    internal_deadline = models.DateField(
        _("deadline for the directorates"),
        help_text=_("When the directorates' contributions must be delivered."),
    )
    summary = free_text.LongTextField(_("summary"), blank=True)
    challenges = free_text.LongTextField(_("the challenges (utfordringsbilde)"), blank=True)
    challenge_actions = free_text.LongTextField(_("what is done about the challenges"), blank=True)
    state = models.CharField(_("state"), max_length=20, choices=State, default=State.OPEN)
    correction_reason = free_text.ShortTextField(_("reason for the correction"), blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("opened by")
    )
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)

    history = historical_records()

    class Meta:
        verbose_name = _("report round")
        verbose_name_plural = _("report rounds")
        ordering = ["-year", "plan__title"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "year"],
                name="one_report_round_per_plan_year",
                violation_error_message=_("A report round for this plan and year exists already."),
            )
        ]

    def __str__(self):
        return f"{self.plan} – {self.year}"

    def get_absolute_url(self):
        return reverse("rapportering:report-round", args=[self.pk])

    def clean(self):
        errors = {}
        if self.plan_id and self.year and self.year not in self.plan.years:
            errors["year"] = _("The plan runs %(period)s.") % {"period": self.plan.period_label}
        if (
            self.internal_deadline
            and self.ministry_deadline
            and self.internal_deadline > self.ministry_deadline
        ):
            errors["internal_deadline"] = _(
                "The directorates' deadline must come before the ministries' deadline."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def is_editable(self):
        """Contributions and the compilation can change until the report is finalised,
        and again while a correction is being made."""
        return self.state != self.State.FINALISED

    @cached_property
    def participants(self):
        """The plan's `PlanParticipation`: {measure id: [directorates]} for every measure a
        directorate takes part in. One query, once for this instance: a page asks more than
        once, and a round read afresh sees later changes."""
        return plan_participation(self.plan_id)

    def latest_version(self):
        return self.versions.order_by("-version").first()


class Contribution(models.Model):
    """A directorate's contribution to the report on one measure it takes part in."""

    round = models.ForeignKey(
        ReportRound, models.CASCADE, related_name="contributions", verbose_name=_("report round")
    )
    measure = models.ForeignKey(
        Measure, models.CASCADE, related_name="report_contributions", verbose_name=_("measure")
    )
    directorate = models.ForeignKey(
        Actor,
        models.PROTECT,
        related_name="report_contributions",
        limit_choices_to={"kind": Actor.Kind.DIRECTORATE},
        verbose_name=_("directorate"),
    )
    status_assessment = free_text.MediumTextField(
        _("assessment of status and goal achievement"), blank=True
    )
    deviation_handling = free_text.MediumTextField(
        _("deviations and how they are handled"), blank=True
    )
    challenges = free_text.MediumTextField(_("challenges"), blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("delivered by"),
    )
    # The coordinator's last return of the contribution for more work ("returnert"): it made
    # the contribution undelivered; delivering it again does not clear the record.
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("returned by"),
    )
    return_comment = free_text.ShortTextField(_("why it was returned"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("updated by")
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = historical_records()

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        ordering = ["round", "measure__position", "directorate__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "measure", "directorate"],
                name="one_contribution_per_directorate_and_measure",
                violation_error_message=_(
                    "The directorate already has a contribution on this measure in this round."
                ),
            )
        ]

    def __str__(self):
        return f"{self.round}: {self.measure.number} – {self.directorate}"

    @property
    def is_delivered(self):
        return self.delivered_at is not None

    @property
    def is_written(self):
        return bool(self.status_assessment.strip())

    @property
    def is_returned(self):
        """Returned by the coordinator and not delivered again since."""
        return self.returned_at is not None and not self.is_delivered


def file_checksum(data):
    """SHA-256 of a file's bytes, as hex."""
    return hashlib.sha256(bytes(data)).hexdigest()


def content_checksum(content):
    """SHA-256 of the report's content in one canonical JSON spelling."""
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return file_checksum(canonical.encode("utf-8"))


class FinalReport(models.Model):
    """A finalised version of a round's report: the record of what was sent.

    Its content (every text and figure the report shows) and the files made from it are
    stored as they were, so later changes to plans or status cannot alter it. It is never
    changed: a correction is a new version that `replaces` this one.
    """

    round = models.ForeignKey(
        ReportRound, models.PROTECT, related_name="versions", verbose_name=_("report round")
    )
    version = models.PositiveIntegerField(_("version"))
    replaces = models.OneToOneField(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("replaces"),
    )
    correction_reason = free_text.ShortTextField(_("reason for the correction"), blank=True)
    content = models.JSONField(_("content"))
    checksum = models.CharField(_("checksum (SHA-256)"), max_length=64)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("finalised by")
    )
    finalised_at = models.DateTimeField(_("finalised"))

    class Meta:
        verbose_name = _("finalised report")
        verbose_name_plural = _("finalised reports")
        ordering = ["round", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "version"],
                name="one_report_per_version",
                violation_error_message=_("The round already has a report of this version."),
            )
        ]

    def __str__(self):
        return _("%(round)s, version %(version)s") % {"round": self.round, "version": self.version}

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("A finalised report is a record and is never changed.")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("rapportering:final-report", args=[self.pk])

    def is_intact(self):
        """Whether the stored content and files still match the checksums taken when it
        was finalised."""
        return content_checksum(self.content) == self.checksum and all(
            file_checksum(data) == checksum
            for data, checksum in self.files.values_list("data", "checksum")
        )


class FinalReportFile(models.Model):
    """One file of a finalised report (PDF, Word, Excel, CSV), byte for byte as made."""

    report = models.ForeignKey(
        FinalReport, models.PROTECT, related_name="files", verbose_name=_("finalised report")
    )
    format = models.CharField(_("format"), max_length=10)
    data = models.BinaryField(_("file"))
    checksum = models.CharField(_("checksum (SHA-256)"), max_length=64)

    class Meta:
        verbose_name = _("file of a finalised report")
        verbose_name_plural = _("files of finalised reports")
        ordering = ["report", "format"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "format"],
                name="one_file_per_format",
                violation_error_message=_("The report already has a file in this format."),
            )
        ]

    def __str__(self):
        return f"{self.report} ({self.format})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("A finalised report's file is a record and is never changed.")
        super().save(*args, **kwargs)

    def is_intact(self):
        return file_checksum(self.data) == self.checksum


class Reminder(models.Model):
    """A reminder emailed to a directorate's users of what it still lacks in a round: who sent
    it (nobody when the daily `send_reminders` did), to whom, when, and what it listed. The
    daily reminder also lists milestones due soon or overdue: recorded as a reminder without
    a round.

    The daily reminder is sent once per directorate, round and day, however many instances
    or cron runs send it at once: its rows are unique (the constraints below), and a run that
    cannot record them sends nothing."""

    round = models.ForeignKey(
        ReportRound,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
        verbose_name=_("report round"),
    )
    directorate = models.ForeignKey(
        Actor,
        models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": Actor.Kind.DIRECTORATE},
        verbose_name=_("directorate"),
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    day = models.DateField(_("day"), default=clock.today)
    recipients = models.JSONField(_("recipients"), default=list)
    subject = models.CharField(_("subject"), max_length=300)
    items = models.JSONField(_("what it listed"), default=list)

    # Within this time a directorate is reminded again only when the coordinator confirms it.
    RECENT = timedelta(days=1)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "directorate", "day"],
                condition=Q(sent_by__isnull=True, round__isnull=False),
                name="one_daily_reminder_per_round",
                violation_error_message=_(
                    "The daily reminder of this round has already been sent to this "
                    "directorate today."
                ),
            ),
            models.UniqueConstraint(
                fields=["directorate", "day"],
                condition=Q(sent_by__isnull=True, round__isnull=True),
                name="one_daily_milestone_reminder",
                violation_error_message=_(
                    "The daily reminder of milestones has already been sent to this "
                    "directorate today."
                ),
            ),
        ]

    def __str__(self):
        what = self.round or _("milestones")
        return f"{what}: {self.directorate} ({self.sent_at:%Y-%m-%d %H:%M})"

    @property
    def is_recent(self):
        return timezone.now() - self.sent_at < self.RECENT


class Dispatch(models.Model):
    """The record that a finalised version was sent to the ministries: when, to whom, by
    whom, and under which case number ("saksnummer") in the archive."""

    report = models.OneToOneField(
        FinalReport, models.PROTECT, related_name="dispatch", verbose_name=_("finalised report")
    )
    sent_on = models.DateField(_("sent on"))
    recipients = models.ManyToManyField(
        Actor,
        related_name="+",
        limit_choices_to={"kind": Actor.Kind.MINISTRY},
        verbose_name=_("sent to"),
    )
    reference = free_text.ShortTextField(
        _("reference (case number)"),
        blank=True,
        help_text=_("The archive's case or document number, if the report was archived."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    history = historical_records()

    class Meta:
        verbose_name = _("dispatch to the ministries")
        verbose_name_plural = _("dispatches to the ministries")

    def __str__(self):
        return _("%(report)s, sent %(date)s") % {"report": self.report, "date": self.sent_on}

    def clean(self):
        """Sent on a day from the version's finalisation up to today."""
        if self.sent_on is None or self.report_id is None:
            return
        finalised_on = timezone.localdate(self.report.finalised_at)
        if self.sent_on > clock.today():
            raise ValidationError({"sent_on": _("The date cannot be in the future.")})
        if self.sent_on < finalised_on:
            raise ValidationError(
                {
                    "sent_on": _(
                        "The version was finalised %(date)s; it cannot have been sent before."
                    )
                    % {"date": short_date(finalised_on)}
                }
            )
