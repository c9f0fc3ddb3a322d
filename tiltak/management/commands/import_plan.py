from django.core.management.base import BaseCommand, CommandError

from tiltak.plan_files import PlanFileError, read_plan_file
from tiltak.services import PlanImportError, plan_import


class Command(BaseCommand):
    help = "Import plan files (shared/plan-format.md). A file with any error writes nothing."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument(
            "--dry-run", action="store_true", help="Print what would change, and change nothing."
        )

    def handle(self, *args, files, dry_run, **options):
        for path in files:
            try:
                result = plan_import(spec=read_plan_file(path), dry_run=dry_run)
            except (PlanFileError, PlanImportError) as error:
                raise CommandError(
                    f"{path} was not imported:\n" + "\n".join(error.errors)
                ) from None
            if dry_run or not result.created or options["verbosity"] > 1:
                for change in result.changes:
                    self.stdout.write(f"  {change}")
            if dry_run:
                summary = f"{path}: {len(result.changes)} change(s) would be made (dry run, nothing written)"
            elif result.created:
                summary = f"{path}: created plan {result.plan.slug}"
            elif result.changes:
                summary = (
                    f"{path}: updated plan {result.plan.slug} ({len(result.changes)} change(s))"
                )
            else:
                summary = f"{path}: plan {result.plan.slug} is up to date"
            self.stdout.write(self.style.SUCCESS(summary))
