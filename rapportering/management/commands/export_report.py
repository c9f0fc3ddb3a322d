import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rapportering.exports import EXPORTERS
from rapportering.report import build_report
from tiltak.models import Plan


class Command(BaseCommand):
    help = (
        "Write the yearly status and deviation report of a plan to a file. No report has been "
        "finalised yet, so it is a draft built from the current data, marked UTKAST."
    )

    def add_arguments(self, parser):
        parser.add_argument("plan", metavar="PLAN_SLUG")
        parser.add_argument("year", metavar="YEAR", type=int)
        parser.add_argument("--format", required=True, choices=sorted(EXPORTERS))
        parser.add_argument("--output", required=True, metavar="FILE")

    def handle(self, *args, plan, year, format, output, **options):
        found = Plan.objects.filter(slug=plan).first()
        if found is None:
            raise CommandError(f"No plan with the slug «{plan}».")
        if year not in found.years:
            raise CommandError(
                f"{found.slug} runs {found.period_label}; {year} is not one of its years."
            )
        content = EXPORTERS[format](build_report(plan=found, year=year))
        target = Path(output)
        # Write beside the target and move it into place: a failed export leaves no partial file.
        handle, temporary = tempfile.mkstemp(dir=target.parent or ".", prefix=f".{target.name}.")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(content)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        self.stdout.write(self.style.SUCCESS(f"Wrote {target} ({len(content)} bytes)"))
