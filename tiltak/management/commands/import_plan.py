from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tiltak.plan_files import PlanFileError, plan_import, read_plan_file


class Command(BaseCommand):
    help = (
        "Import plan files (shared/plan-format.md). If any file has an error, nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument(
            "--dry-run", action="store_true", help="Print what would change, and change nothing."
        )

    def handle(self, *args, files, dry_run, **options):
        """Check every file first, then import them all in one transaction: all or nothing."""
        specs = [(path, self.read(path)) for path in files]
        with transaction.atomic():
            for path, spec in specs:
                try:
                    result = plan_import(spec=spec, dry_run=dry_run)
                except PlanFileError as error:  # PlanImportError: would lose reported status
                    raise self.refused(path, error) from None
                if dry_run or not result.created or options["verbosity"] > 1:
                    for change in result.changes:
                        self.stdout.write(f"  {change}")
                self.stdout.write(self.style.SUCCESS(self.summary(path, result, dry_run)))

    def read(self, path):
        try:
            return read_plan_file(path)
        except PlanFileError as error:
            raise self.refused(path, error) from None

    @staticmethod
    def refused(path, error):
        heading = _("%(path)s was not imported:") % {"path": path}
        return CommandError("\n".join([heading, *error.errors]))

    @staticmethod
    def summary(path, result, dry_run):
        values = {"path": path, "slug": result.plan.slug, "count": len(result.changes)}
        if dry_run:
            return (
                ngettext(
                    "%(path)s: %(count)s change would be made (dry run, nothing written)",
                    "%(path)s: %(count)s changes would be made (dry run, nothing written)",
                    len(result.changes),
                )
                % values
            )
        if result.created:
            return _("%(path)s: created plan %(slug)s") % values
        if result.changes:
            return (
                ngettext(
                    "%(path)s: updated plan %(slug)s (%(count)s change)",
                    "%(path)s: updated plan %(slug)s (%(count)s changes)",
                    len(result.changes),
                )
                % values
            )
        return _("%(path)s: plan %(slug)s is up to date") % values
