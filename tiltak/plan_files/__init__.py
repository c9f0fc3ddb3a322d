"""Plan files (shared/plan-format.md): reading a file into a checked `PlanSpec` (`reader`),
importing a `PlanSpec` into the database (`importer`), and writing a plan back out (`writer`).

Keys this application adds to the format (all optional):
- a milestone's `note`: how an ambiguous due text is read (shown beside the milestone).
"""

from tiltak.plan_files.importer import ImportResult, PlanImportError, plan_import
from tiltak.plan_files.reader import MAX_DEPTH, MAX_FILE_BYTES, parse_plan, read_plan_file
from tiltak.plan_files.spec import PlanFileError, PlanSpec
from tiltak.plan_files.writer import dump_plan, plan_to_data

__all__ = [
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "ImportResult",
    "PlanFileError",
    "PlanImportError",
    "PlanSpec",
    "dump_plan",
    "parse_plan",
    "plan_import",
    "plan_to_data",
    "read_plan_file",
]
