import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rapportering.exports import FORMATS, in_report_language
from rapportering.models import FinalReportFile
from rapportering.report import build_report
from tiltak.models import Plan


class Command(BaseCommand):
    help = (
        "Write the yearly status and deviation report of a plan to a file: the latest "
        "finalised version exactly as it was sent, or, when none has been finalised, a draft "
        "built from the current data and marked UTKAST."
    )

    def add_arguments(self, parser):
        parser.add_argument("plan", metavar="PLAN_SLUG")
        parser.add_argument("year", metavar="YEAR", type=int)
        parser.add_argument("--format", required=True, choices=list(FORMATS))
        parser.add_argument("--output", required=True, metavar="FILE")

    def handle(self, *args, plan, year, format, output, **options):
        found = Plan.objects.filter(slug=plan).first()
        if found is None:
            raise CommandError(f"No plan with the slug «{plan}».")
        if year not in found.years:
            raise CommandError(
                f"{found.slug} runs {found.period_label}; {year} is not one of its years."
            )
        final = (
            FinalReportFile.objects.filter(
                report__round__plan=found, report__round__year=year, format=format
            )
            .order_by("-report__version")
            .first()
        )
        if final is not None:
            content, described = bytes(final.data), f"version {final.report.version}"
        else:
            with in_report_language():
                content = FORMATS[format].render(build_report(plan=found, year=year))
            described = "draft"
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
        self.stdout.write(
            self.style.SUCCESS(f"Wrote the {described} to {target} ({len(content)} bytes)")
        )
