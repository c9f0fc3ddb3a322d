"""Reading plan files (shared/plan-format.md) into a checked `PlanSpec`.

Reading never touches the database except to look actors up. Every problem in a file is
reported, each with file, line and reason; files too large, too deep or with YAML anchors and
aliases are refused before they can exhaust the machine.
"""

import contextlib
import re
from datetime import date

import yaml
from django.utils.translation import gettext as _

from tiltak.free_text import clean_text
from tiltak.models import Actor, Measure, Milestone, Part, Plan, Responsibility
from tiltak.plan_files.spec import (
    ActorRef,
    MeasureSpec,
    MilestoneSpec,
    PartSpec,
    PlanFileError,
    PlanSpec,
    ResponsibilitySpec,
    actor_reference,
)
from tiltak.schedule import DueTextError, interpret_due_text

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
EARLIEST_YEAR, LATEST_YEAR = 1990, 2100
# How far before or after its period a milestone of a plan may fall due.
MILESTONE_YEARS_OUTSIDE_PERIOD = 5


# Reading YAML with line numbers ------------------------------------------------------------

# The largest plan file read: the seeded plans are 25–45 kB; this leaves room for a plan many
# times their size, and refuses a file meant to fill the memory before it is parsed.
MAX_FILE_BYTES = 2 * 1024 * 1024
# How deep YAML collections may nest: a plan file needs about ten levels (plan, parts,
# measures, sub-measures, milestones, dates); thousands would exhaust Python's stack.
MAX_DEPTH = 50


class _Mapping(dict):
    line = 0
    key_lines: dict


class _RefusedYAML(yaml.MarkedYAMLError):
    """YAML that is valid, but that a plan file may not hold."""

    def __init__(self, problem, mark):
        super().__init__(problem=problem, problem_mark=mark)


class _LineLoader(yaml.SafeLoader):
    """A safe loader whose mappings know their line, and which refuses duplicate keys,
    anchors and aliases (a plan file has no use for them, and aliases of aliases expand
    exponentially: "billion laughs"), and collections nested deeper than MAX_DEPTH."""

    depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _RefusedYAML(
                _("anchors and aliases (& and *) are not allowed in a plan file"),
                event.start_mark,
            )
        if self.depth >= MAX_DEPTH:
            raise _RefusedYAML(
                _("nested deeper than %(depth)s levels") % {"depth": MAX_DEPTH},
                event.start_mark,
            )
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_object(self, node, deep=False):
        """A value PyYAML's constructors cannot make (a date 2020-13-45, a list as a key,
        `!!timestamp x`) is a problem at its line, not a traceback."""
        try:
            return super().construct_object(node, deep=deep)
        except (ArithmeticError, AttributeError, LookupError, TypeError, ValueError) as error:
            raise _RefusedYAML(
                _("a value that cannot be read (%(problem)s)") % {"problem": error},
                node.start_mark,
            ) from None


def _construct_mapping(loader, node):
    loader.flatten_mapping(node)
    seen = {}
    for key_node, _value in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key «{key}»", key_node.start_mark
            )
        seen[key] = key_node.start_mark.line + 1
    mapping = _Mapping(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = seen
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_plan_file(path):
    """Read and check the plan file at `path`; raise PlanFileError naming every problem."""
    name = str(path)
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)  # no more than needed to know it is too large
    except OSError as error:
        raise PlanFileError([f"{name}: {error.strerror}"]) from None
    return parse_plan(raw, name)


def parse_plan(raw, name="<plan>"):
    """Check plan-file bytes (or text) and return a PlanSpec; raise PlanFileError if wrong."""
    size = len(raw.encode("utf-8") if isinstance(raw, str) else raw)
    if size > MAX_FILE_BYTES:
        message = _("the file is larger than %(limit)s MB; a plan file is far smaller") % {
            "limit": MAX_FILE_BYTES // (1024 * 1024)
        }
        raise PlanFileError([f"{name}: {message}"])
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            message = _("the file is not UTF-8 text (byte %(position)s)") % {
                "position": error.start
            }
            raise PlanFileError([f"{name}: {message}"]) from None
    try:
        data = yaml.load(raw, Loader=_LineLoader)  # nosec B506: _LineLoader is a SafeLoader
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        message = _("not valid YAML: %(problem)s") % {"problem": problem}
        raise PlanFileError([f"{name}{line}: {message}"]) from None
    return _Checker(name).plan(data)


class _Checker:
    """Turns loaded YAML into a PlanSpec, collecting every error it finds."""

    def __init__(self, name):
        self.name = name
        self.errors = []
        self.declared = {}

    def error(self, line, message):
        self.errors.append(f"{self.name}:{line}: {message}")

    def mapping(self, value, line, what):
        if not isinstance(value, _Mapping):
            self.error(line, _("%(what)s must be a mapping of keys and values") % {"what": what})
            return None
        return value

    def keys(self, mapping, required, optional, what):
        for key in required:
            if key not in mapping:
                self.error(
                    mapping.line, _("%(what)s lacks the key «%(key)s»") % {"what": what, "key": key}
                )
        for key in mapping:
            if key not in required and key not in optional:
                self.error(
                    mapping.key_lines.get(key, mapping.line),
                    _("%(what)s has an unknown key «%(key)s»") % {"what": what, "key": key},
                )

    def text(self, mapping, key, what, required=True, field=None):
        """The text under `key`, cleaned as the forms clean it (`clean_text`), and no longer
        than the model `field` it goes into allows."""
        value = mapping.get(key)
        line = mapping.key_lines.get(key, mapping.line)
        if value is None:
            if required and key in mapping:
                self.error(line, _("%(what)s: «%(key)s» is empty") % {"what": what, "key": key})
            return ""
        if isinstance(value, bool | float):
            self.error(
                line,
                _("%(what)s: «%(key)s» must be text; put it in quotes")
                % {"what": what, "key": key},
            )
            return ""
        if isinstance(value, int | date):
            value = str(value)
        if not isinstance(value, str):
            self.error(line, _("%(what)s: «%(key)s» must be text") % {"what": what, "key": key})
            return ""
        value = clean_text(value).strip()
        if required and not value:
            self.error(line, _("%(what)s: «%(key)s» is empty") % {"what": what, "key": key})
        if field is not None and len(value) > field.max_length:
            self.error(
                line,
                _("%(what)s: «%(key)s» has %(length)s characters; at most %(limit)s are allowed")
                % {"what": what, "key": key, "length": len(value), "limit": field.max_length},
            )
        return value

    def list(self, mapping, key, what):
        value = mapping.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(
                mapping.key_lines.get(key, mapping.line),
                _("%(what)s: «%(key)s» must be a list") % {"what": what, "key": key},
            )
            return []
        return value

    def day(self, mapping, key, what):
        return self.date_value(mapping.get(key), mapping.key_lines.get(key, mapping.line), what)

    def date_value(self, value, line, what):
        if isinstance(value, str):
            with contextlib.suppress(ValueError):
                value = date.fromisoformat(value)
        if not isinstance(value, date):
            self.error(
                line,
                _("%(what)s: «%(value)s» is not a date written YYYY-MM-DD")
                % {"what": what, "value": value},
            )
            return None
        if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
            self.error(
                line,
                _("%(what)s: the date %(date)s is out of range") % {"what": what, "date": value},
            )
            return None
        return value

    # The file, top down.

    def plan(self, data):
        if not isinstance(data, _Mapping):
            message = _("a plan file is a mapping with the keys plan and parts")
            raise PlanFileError([f"{self.name}:1: {message}"])
        self.keys(data, ["plan", "parts"], ["actors"], _("The file"))
        header = self.mapping(data.get("plan"), data.key_lines.get("plan", 1), "plan")
        spec = None
        if header is not None:
            spec = self.header(header)
        for item in self.list(data, "actors", "actors"):
            self.declare_actor(item, data.key_lines.get("actors", data.line))
        parts = [
            self.part(item, data.key_lines.get("parts", data.line))
            for item in self.list(data, "parts", "parts")
        ]
        if spec is not None:
            spec.actors = list(self.declared.values())
            spec.parts = [part for part in parts if part is not None]
            self.check_numbers(spec)
            self.check_dates(spec)
        if self.errors or spec is None:
            raise PlanFileError(self.errors)
        return spec

    def header(self, header):
        what = "plan"
        self.keys(header, ["slug", "title", "start", "end", "source"], [], what)
        slug = self.text(header, "slug", what, field=Plan.slug.field)
        if slug and not SLUG_PATTERN.match(slug):
            self.error(
                header.key_lines.get("slug", header.line),
                _("plan: the slug «%(slug)s» may only hold a–z, 0–9 and hyphens") % {"slug": slug},
            )
        start, end = self.day(header, "start", what), self.day(header, "end", what)
        if start and end and end < start:
            self.error(header.key_lines["end"], _("plan: it ends before it starts"))
            start = end = None
        spec = PlanSpec(
            slug=slug,
            title=self.text(header, "title", what, field=Plan.title.field),
            start=start,
            end=end,
            source=self.text(header, "source", what, field=Plan.source.field),
        )
        return spec

    def declare_actor(self, item, line):
        item = self.mapping(item, line, "actors")
        if item is None:
            return
        self.keys(item, ["name"], [], "actors")
        name = self.text(item, "name", "actors", field=Actor.name.field)
        if not name:
            return
        known = Actor.objects.resolve(name).first()
        if known is not None and name != actor_reference(known):
            # The export writes a declared actor by its own name: another name would not
            # come back as the file wrote it.
            self.error(
                item.key_lines.get("name", item.line),
                _("actors: «%(name)s» is called «%(known)s»; declare it by that name")
                % {"name": name, "known": actor_reference(known)},
            )
            return
        self.declared[name.casefold()] = ActorRef(name, known)

    def resolve_actor(self, name, line, what):
        known = Actor.objects.resolve(name).first()
        if known is not None:
            return ActorRef(name, known)
        if name.casefold() in self.declared:
            return self.declared[name.casefold()]
        self.error(
            line,
            _(
                "%(what)s: unknown actor «%(name)s»; use a directorate's short name (HB, AVdir, Bufdir, Hdir, KDI, IMDi) or declare it under actors"
            )
            % {"what": what, "name": name},
        )
        return None

    def part(self, item, line):
        item = self.mapping(item, line, _("a part"))
        if item is None:
            return None
        code = self.text(item, "code", _("a part"), required=False, field=Part.code.field)
        what = _("part %(code)s") % {"code": code} if code else _("a part")
        self.keys(item, ["code", "title", "measures"], [], what)
        part = PartSpec(code=code, title=self.text(item, "title", what, field=Part.title.field))
        part.measures = self.measures(item, what)
        return part

    def measures(self, item, what):
        line = item.key_lines.get("measures", item.line)
        found = [self.measure(entry, line) for entry in self.list(item, "measures", what)]
        return [measure for measure in found if measure is not None]

    def measure(self, item, line):
        item = self.mapping(item, line, _("a measure"))
        if item is None:
            return None
        number = self.text(item, "number", _("a measure"), field=Measure.number.field)
        what = _("measure %(number)s") % {"number": number}
        self.keys(
            item,
            ["number", "title"],
            ["purpose", "contributions", "responsible", "milestones", "measures"],
            what,
        )
        measure = MeasureSpec(
            number=number,
            title=self.text(item, "title", what, field=Measure.title.field),
            purpose=self.text(item, "purpose", what, required=False, field=Measure.purpose.field),
            contributions=self.text(
                item, "contributions", what, required=False, field=Measure.contributions.field
            ),
        )
        measure.line = item.line
        measure.responsible = self.responsibilities(item, what)
        measure.milestones = [
            self.milestone(entry, item.key_lines.get("milestones", item.line), what)
            for entry in self.list(item, "milestones", what)
        ]
        measure.milestones = [m for m in measure.milestones if m is not None]
        measure.measures = self.measures(item, what)
        return measure

    def responsibilities(self, item, what):
        found, seen = [], set()
        for entry in self.list(item, "responsible", what):
            entry = self.mapping(entry, item.key_lines.get("responsible", item.line), what)
            if entry is None:
                continue
            self.keys(entry, ["actor", "role"], [], what)
            name = self.text(entry, "actor", what)
            role = self.text(entry, "role", what)
            if role and role not in Responsibility.Role.values:
                self.error(
                    entry.key_lines["role"],
                    _("%(what)s: the role «%(role)s» is not one of lead, coordinator, contributor")
                    % {"what": what, "role": role},
                )
                continue
            actor = self.resolve_actor(name, entry.line, what) if name else None
            if actor is None or not role:
                continue
            key = actor.actor.pk if actor.actor else actor.name.casefold()
            if key in seen:
                self.error(
                    entry.line,
                    _("%(what)s: «%(name)s» is responsible twice") % {"what": what, "name": name},
                )
                continue
            seen.add(key)
            found.append(ResponsibilitySpec(actor, role))
        return found

    def milestone(self, item, line, what):
        item = self.mapping(item, line, what)
        if item is None:
            return None
        self.keys(item, ["text", "due"], ["dates", "responsible", "note"], what)
        milestone = MilestoneSpec(
            text=self.text(item, "text", what, field=Milestone.text.field),
            due=self.text(item, "due", what, field=Milestone.due_text.field),
            note=self.text(item, "note", what, required=False, field=Milestone.due_note.field),
            due_line=item.key_lines.get("due", item.line),
            dates_given="dates" in item,
            dates_line=item.key_lines.get("dates", item.line),
        )
        if milestone.dates_given:
            dates = [
                self.date_value(value, milestone.dates_line, what)
                for value in self.list(item, "dates", what)
            ]
            milestone.dates = tuple(sorted(d for d in dates if d is not None))
            if len(set(milestone.dates)) != len(milestone.dates):
                self.error(
                    milestone.dates_line, _("%(what)s: a date is given twice") % {"what": what}
                )
        name = self.text(item, "responsible", what, required=False)
        if name:
            milestone.responsible = self.resolve_actor(name, item.key_lines["responsible"], what)
        return milestone

    def check_numbers(self, spec):
        first_line = {}
        for _part, _parent, measure in spec.all_measures():
            if measure.number in first_line:
                self.error(
                    measure.line,
                    _("measure %(number)s: the number is used already (line %(line)s)")
                    % {"number": measure.number, "line": first_line[measure.number]},
                )
            else:
                first_line[measure.number] = measure.line

    def check_dates(self, spec):
        """Interpret each due text that has no dates, and keep every date within reach."""
        if not (spec.start and spec.end):
            return
        earliest = spec.start.year - MILESTONE_YEARS_OUTSIDE_PERIOD
        latest = spec.end.year + MILESTONE_YEARS_OUTSIDE_PERIOD
        for _part, _parent, measure in spec.all_measures():
            for milestone in measure.milestones:
                if not milestone.dates_given and milestone.due:
                    try:
                        milestone.dates = interpret_due_text(milestone.due, years=spec.years).dates
                    except DueTextError as error:
                        self.error(
                            milestone.due_line,
                            _(
                                "plan %(plan)s, measure %(number)s: cannot read the due text %(error)s; give its dates"
                            )
                            % {"plan": spec.slug, "number": measure.number, "error": error},
                        )
                        continue
                for day in milestone.dates:
                    if not earliest <= day.year <= latest:
                        self.error(
                            milestone.dates_line if milestone.dates_given else milestone.due_line,
                            _(
                                "measure %(number)s: %(date)s is too far from the plan's period %(start)s–%(end)s"
                            )
                            % {
                                "number": measure.number,
                                "date": day,
                                "start": spec.start.year,
                                "end": spec.end.year,
                            },
                        )
