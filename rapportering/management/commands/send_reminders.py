from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.management.base import BaseCommand, CommandError
from django.template.loader import render_to_string
from django.utils import translation

from rapportering.reminders import directorate_reminders, recipients
from tiltak import clock


class Command(BaseCommand):
    help = (
        "Email each directorate's users what they must follow up: contributions to the yearly "
        "report and milestones that are due soon or overdue. Safe to run daily from cron; a "
        "user with nothing to follow up gets nothing."
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
        messages = []
        with translation.override(settings.LANGUAGE_CODE):
            for reminder in directorate_reminders(days=days, today=today):
                context = {
                    "reminder": reminder,
                    "days": days,
                    "today": today,
                    "site_url": settings.SITE_URL.rstrip("/"),
                }
                subject = render_to_string("rapportering/email/reminder_subject.txt", context)
                body = render_to_string("rapportering/email/reminder.txt", context)
                for user in recipients(reminder.directorate):
                    messages.append(EmailMessage(" ".join(subject.split()), body, to=[user.email]))
                    self.stdout.write(f"{user.email}: {' '.join(subject.split())}")
        if not dry_run and messages:
            get_connection().send_messages(messages)
        verb = "Would send" if dry_run else "Sent"
        self.stdout.write(self.style.SUCCESS(f"{verb} {len(messages)} reminder(s)."))
