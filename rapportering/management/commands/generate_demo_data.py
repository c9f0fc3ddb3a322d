import time

from django.core.management.base import BaseCommand, CommandError

from rapportering.demo_data import DEMO_PREFIX, generate, refresh_statistics
from tiltak.models import Plan


class Command(BaseCommand):
    help = (
        "Create N synthetic copies of each seeded plan, with years of status history and report "
        f"rounds, for benchmarks and load tests. Their slugs start with «{DEMO_PREFIX}»."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, required=True, help="copies of each plan (1–1000)")
        parser.add_argument("--seed", type=int, default=0, help="the same seed, the same data")

    def handle(self, *args, scale, seed, **options):
        if not 1 <= scale <= 1000:
            raise CommandError("--scale must be between 1 and 1000.")
        if not Plan.objects.exclude(slug__startswith=DEMO_PREFIX).exists():
            raise CommandError("No plans to copy: import the seeded plans first (make seed).")
        existing = Plan.objects.filter(slug__startswith=DEMO_PREFIX).count()
        if existing:
            raise CommandError(
                f"{existing} synthetic plans exist already. Start from a database with only the "
                "seeded plans (e.g. make seed with another DATABASE_URL)."
            )
        started = time.perf_counter()
        made = generate(scale=scale, seed=seed)
        refresh_statistics()
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Made {made.plans} plans, {made.measures} measures, {made.milestones} "
                f"milestones, {made.occurrences} occurrences with {made.status_updates} status "
                f"updates, {made.report_rounds} report rounds with {made.contributions} "
                f"contributions in {seconds:.1f} s."
            )
        )
