"""What each directorate user is reminded of: what it still lacks in report rounds (the
rounds' missing lists), and milestones due soon or overdue. Sent daily by `send_reminders`,
and from a round's page by the coordinator (`round_reminders_send`)."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from rapportering.models import Reminder, ReportRound
from rapportering.rounds import missing_content
from tiltak import clock
from tiltak.models import Actor, Occurrence
from tiltak.roles import Role

# A reminder lists at most this many milestones of each kind; the rest are counted.
LISTED = 15


@dataclass
class DirectorateReminder:
    """What one directorate must follow up; every user of it gets the same reminder."""

    directorate: Actor
    rounds: list = field(default_factory=list)  # (round, its MissingGroup for the directorate)
    overdue: list = field(default_factory=list)
    overdue_count: int = 0
    due_soon: list = field(default_factory=list)
    due_soon_count: int = 0

    @property
    def is_empty(self):
        return not (self.rounds or self.overdue_count or self.due_soon_count)


def directorate_reminders(*, days, today=None):
    """A `DirectorateReminder` for every directorate with something to follow up: what it
    lacks in report rounds whose internal deadline is within `days` days or past, and its
    milestones overdue or due within `days` days."""
    today = today or clock.today()
    missing = [
        (round, missing_content(round, today))
        for round in ReportRound.objects.exclude(state=ReportRound.State.FINALISED)
        .filter(internal_deadline__lte=today + timedelta(days=days))
        .select_related("plan")
    ]
    reminders = []
    for directorate in Actor.objects.directorates():
        occurrences = (
            Occurrence.objects.of_active_plans()
            .concerning(directorate)
            .select_related("milestone__measure__plan")
        )
        overdue = occurrences.overdue(today).order_by("-effective_due_date", "pk")
        due_soon = occurrences.due_within(days, today).order_by("effective_due_date", "pk")
        reminder = DirectorateReminder(
            directorate=directorate,
            rounds=[
                (round, group)
                for round, lacking in missing
                if (group := lacking.of(directorate)) is not None
            ],
            overdue=list(overdue[:LISTED]),
            overdue_count=overdue.count(),
            due_soon=list(due_soon[:LISTED]),
            due_soon_count=due_soon.count(),
        )
        if not reminder.is_empty:
            reminders.append(reminder)
    return reminders


def render_email(template_base, context):
    """The subject (on one line) and body of the email `rapportering/email/<template_base>`
    (`_subject.txt` and `.txt`), in the site's language whoever caused it, with `site_url`
    for absolute links (a scheduled command has no request to build them from)."""
    context = {"site_url": settings.SITE_URL.rstrip("/"), **context}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"rapportering/email/{template_base}_subject.txt", context)
        body = render_to_string(f"rapportering/email/{template_base}.txt", context)
    return " ".join(subject.split()), body


def daily_reminder_messages(reminder, *, days, today):
    """The emails of `reminder` (a DirectorateReminder), one to each of its directorate's
    users with an email address."""
    subject, body = render_email("reminder", {"reminder": reminder, "days": days, "today": today})
    return [
        EmailMessage(subject, body, to=[address])
        for address in recipients(reminder.directorate).values_list("email", flat=True)
    ]


def daily_reminder_send(reminder, *, days, today):
    """Email `reminder` (a DirectorateReminder) once a day: recorded as one `Reminder` per
    round it lists, and one without a round for its milestones, which the database allows
    once per directorate, round and day. Returns the emails sent, or None when the
    directorate was already reminded today (by another run, on this or another instance).

    The rows are written, then the emails sent, then the transaction committed: a run that
    meets the rows of another (PostgreSQL waits for that one to commit) sends nothing, and
    emails the mail server refuses leave no row, so that the next run sends them."""
    messages = daily_reminder_messages(reminder, days=days, today=today)
    if not messages:
        return []
    rows = [(round, [item.text for item in group.items]) for round, group in reminder.rounds]
    if reminder.overdue_count or reminder.due_soon_count:
        milestones = [*reminder.overdue, *reminder.due_soon]
        rows.append((None, [f"{o.due_label}: {o.milestone.text}" for o in milestones]))
    try:
        with transaction.atomic():
            Reminder.objects.bulk_create(
                Reminder(
                    round=round,
                    directorate=reminder.directorate,
                    day=today,
                    recipients=[message.to[0] for message in messages],
                    subject=messages[0].subject,
                    items=items,
                )
                for round, items in rows
            )
            get_connection().send_messages(messages)
    except IntegrityError:
        return None
    return messages


@dataclass
class RoundReminders:
    """What `round_reminders_send` did: the reminders sent, and the directorates left out
    because they were reminded recently or have no user with an email address."""

    sent: list = field(default_factory=list)
    recently_reminded: list = field(default_factory=list)
    without_recipients: list = field(default_factory=list)


def last_reminders(round):
    """{directorate id: the latest `Reminder` of it in `round`}."""
    latest = {}
    for reminder in round.reminders.select_related("sent_by").order_by("sent_at", "pk"):
        latest[reminder.directorate_id] = reminder
    return latest


def round_reminders_send(*, round_id, user, directorate=None, again=False, today=None):
    """Email each user of `directorate` (or of every directorate that lacks something in the
    round) the round's missing items of that directorate, with links, and record each
    reminder on the round. A directorate reminded within `Reminder.RECENT` is left out
    unless `again`. One transaction with the round locked, so that two clicks send once."""
    today = today or clock.today()
    result = RoundReminders()
    with transaction.atomic():
        round = ReportRound.objects.select_for_update().select_related("plan").get(pk=round_id)
        missing = missing_content(round, today)
        groups = [g for g in missing.groups if g.directorate is not None]
        if directorate is not None:
            groups = [g for g in groups if g.directorate == directorate]
        latest = last_reminders(round)
        now = timezone.now()
        messages = []
        for group in groups:
            previous = latest.get(group.directorate.pk)
            if previous and not again and previous.is_recent:
                result.recently_reminded.append(previous)
                continue
            addresses = list(recipients(group.directorate).values_list("email", flat=True))
            if not addresses:
                result.without_recipients.append(group.directorate)
                continue
            subject, body = render_email(
                "round_reminder", {"round": round, "group": group, "today": today}
            )
            messages += [EmailMessage(subject, body, to=[address]) for address in addresses]
            result.sent.append(
                Reminder.objects.create(
                    round=round,
                    directorate=group.directorate,
                    sent_by=user,
                    sent_at=now,
                    day=today,
                    recipients=addresses,
                    subject=subject,
                    items=[item.text for item in group.items],
                )
            )
        # Sent last: if the mail server refuses them, no reminder is recorded as sent.
        if messages:
            get_connection().send_messages(messages)
    return result


def recipients(directorate):
    """The active directorate users of `directorate` who have an email address."""
    return (
        get_user_model()
        .objects.filter(directorate=directorate, is_active=True, groups__name=Role.DIRECTORATE)
        .exclude(email="")
        .order_by("username")
    )
