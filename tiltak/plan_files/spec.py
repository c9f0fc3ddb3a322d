"""What a plan file says, checked: the dataclasses the reader makes and the importer writes."""

from dataclasses import dataclass, field
from datetime import date

from tiltak.models import Actor


class PlanFileError(Exception):
    """A plan file that cannot be imported; `errors` says why, a line each."""

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))


def actor_reference(actor):
    """How a plan file names an actor: a directorate by its short name, others by name."""
    return actor.short_name if actor.is_directorate else actor.name


@dataclass
class ActorRef:
    """An actor named in a file: a known one, or one the file declares that is new."""

    name: str
    actor: Actor | None = None


@dataclass
class MilestoneSpec:
    text: str
    due: str
    dates: tuple[date, ...] = ()
    responsible: ActorRef | None = None
    note: str = ""
    due_line: int = 0
    dates_given: bool = False
    dates_line: int = 0


@dataclass
class ResponsibilitySpec:
    actor: ActorRef
    role: str


@dataclass
class MeasureSpec:
    number: str
    title: str
    purpose: str = ""
    contributions: str = ""
    responsible: list[ResponsibilitySpec] = field(default_factory=list)
    milestones: list[MilestoneSpec] = field(default_factory=list)
    measures: list["MeasureSpec"] = field(default_factory=list)
    line: int = 0


@dataclass
class PartSpec:
    code: str
    title: str
    measures: list[MeasureSpec] = field(default_factory=list)


@dataclass
class PlanSpec:
    slug: str
    title: str
    start: date
    end: date
    source: str
    actors: list[ActorRef] = field(default_factory=list)
    parts: list[PartSpec] = field(default_factory=list)

    @property
    def years(self):
        return list(range(self.start.year, self.end.year + 1))

    def all_measures(self):
        """Every measure and sub-measure, in document order, with its part and parent."""

        def walk(part, measures, parent):
            for measure in measures:
                yield part, parent, measure
                yield from walk(part, measure.measures, measure)

        for part in self.parts:
            yield from walk(part, part.measures, None)
