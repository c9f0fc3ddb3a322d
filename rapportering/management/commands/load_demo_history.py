from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from rapportering.demo_history import DEMO_PLAN, DemoHistoryExists, load
from tiltak import clock


class Command(BaseCommand):
    help = (
        f"Load the demonstration's history of {DEMO_PLAN} as of the demo's date (DEMO_TODAY): "
        "status updates, deviations, a finalised 2018 report and an open 2019 round. Run by "
        "`make run`; does nothing when the history is there already. Not for production."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=0, help="the same seed, the same history")

    def handle(self, *args, seed, **options):
        if settings.PRODUCTION or not clock.is_demo():
            raise CommandError(
                "The demonstration's history needs the demo's date: set DEMO_TODAY (make run "
                "does), never in production."
            )
        try:
            load(today=clock.today(), seed=seed)
        except DemoHistoryExists:
            self.stdout.write("The demonstration's history is loaded already.")
            return
        self.stdout.write(
            self.style.SUCCESS(f"Loaded the demonstration's history as of {clock.today()}.")
        )
