from django.core.management.base import BaseCommand, CommandError

from tiltak.models import Plan
from tiltak.plan_files import dump_plan


class Command(BaseCommand):
    help = "Write a plan as a plan file (shared/plan-format.md) to standard output."

    def add_arguments(self, parser):
        parser.add_argument("slug", metavar="SLUG")

    def handle(self, *args, slug, **options):
        plan = Plan.objects.filter(slug=slug).first()
        if plan is None:
            known = ", ".join(Plan.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f"No plan with the slug «{slug}». Plans: {known}.")
        self.stdout.write(dump_plan(plan), ending="")
