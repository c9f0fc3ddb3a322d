"""Finalise the largest 2019 report of the seeded 2018–2020 plan that the text limits allow
(rapportering.demo_data.fill_to_the_limits) in the database in DATABASE_URL, and roll it all
back; print the seconds the finalising took (the report built and written in every format, as
one request does) on the clock and in CPU time (which a busy machine changes less), the
process's peak memory and the files' sizes as JSON."""

import json
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bolig.settings")

import django

django.setup()

from django.db import transaction  # noqa: E402

from rapportering.demo_data import fill_to_the_limits  # noqa: E402
from rapportering.models import ReportRound  # noqa: E402
from rapportering.services import report_finalise  # noqa: E402
from tiltak.models import Plan, User  # noqa: E402


def main():
    plan = Plan.objects.get(slug="handlingsplan-2018-2020")
    user = User.objects.get(username="koordinator")
    with transaction.atomic():
        report_round, _created = ReportRound.objects.get_or_create(
            plan=plan,
            year=2019,
            defaults={
                "ministry_deadline": "2019-10-01",
                "internal_deadline": "2019-09-01",
                "opened_by": user,
            },
        )
        fill_to_the_limits(report_round, user)
        started, cpu_started = time.perf_counter(), time.process_time()
        final = report_finalise(round_id=report_round.pk, user=user)
        seconds = time.perf_counter() - started
        cpu_seconds = time.process_time() - cpu_started
        sizes = {f.format: len(f.data) for f in final.files.all()}
        transaction.set_rollback(True)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    figures = {
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu_seconds, 2),
        "peak_mb": round(peak_mb, 1),
        "bytes": sizes,
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
