from django.core.management.base import BaseCommand, CommandError

from rapportering.reminders import (
    daily_reminder_messages,
    daily_reminder_send,
    directorate_reminders,
)
from tiltak import clock


class Command(BaseCommand):
    help = (
        "Email each directorate's users what they must follow up: contributions to the yearly "
        "report and milestones that are due soon or overdue. Run it daily from a scheduler; "
        "a directorate is reminded once a day however often, and on however many instances, "
        "it runs, and one with nothing to follow up gets nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=14,
            help="Remind of what falls due within this many days (default 14).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Say who would get what; send nothing."
        )

    def handle(self, *args, days, dry_run, **options):
        if not 0 <= days <= 366:
            raise CommandError("--days must be between 0 and 366.")
        today = clock.today()
        sent = 0
        for reminder in directorate_reminders(days=days, today=today):
            if dry_run:
                messages = daily_reminder_messages(reminder, days=days, today=today)
            else:
                messages = daily_reminder_send(reminder, days=days, today=today)
            if messages is None:
                name = reminder.directorate.short_name
                self.stdout.write(f"{name}: already reminded today, nothing sent")
                continue
            for message in messages:
                self.stdout.write(f"{message.to[0]}: {message.subject}")
            sent += len(messages)
        verb = "Would send" if dry_run else "Sent"
        self.stdout.write(self.style.SUCCESS(f"{verb} {sent} reminder(s)."))
