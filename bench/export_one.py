"""Export the 2019 report of the seeded 2018–2020 plan in one format (argv[1]) from the
database in DATABASE_URL; print the seconds it took and the process's peak memory as JSON."""

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

from rapportering.exports import FORMATS, in_report_language  # noqa: E402
from rapportering.report import build_report  # noqa: E402
from tiltak.models import Plan  # noqa: E402


def main(format):
    plan = Plan.objects.get(slug="handlingsplan-2018-2020")
    started = time.perf_counter()
    with in_report_language():
        data = FORMATS[format].render(build_report(plan=plan, year=2019))
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    print(
        json.dumps({"seconds": round(seconds, 2), "peak_mb": round(peak_mb, 1), "bytes": len(data)})
    )


if __name__ == "__main__":
    main(sys.argv[1])
