"""The yearly joint status and deviation report, built once as plain data.

`build_report` returns a `Report` of plain values (text already in the report's language,
dates as text). A finalised report keeps `Report.as_dict()` as its content, and every
exporter and the report's pages render this one structure, built now or read back with
`Report.from_dict`.
"""

from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from rapportering.deviations import deviation_sections
from rapportering.models import FinalReport, ReportRound
from rapportering.states import (
    Tally,
    occurrence_states,
    occurrences_of,
    tallies,
)
from tiltak import clock
from tiltak.formatting import short_date
from tiltak.free_text import clean_text
from tiltak.models import Actor, Occurrence, deviation_condition, marked
from tiltak.selectors import plan_participation


@dataclass
class Line:
    """One milestone occurrence of the year, as the report shows it."""

    measure: str
    milestone: str
    due_text: str
    planned: str
    new_date: str
    status: str
    assessment: str
    comment: str
    cause: str
    consequence: str
    corrective_action: str
    ministries_must_decide: str
    deviation: bool


@dataclass
class ContributionText:
    directorate: str
    status_assessment: str
    deviation_handling: str
    challenges: str
    delivered: bool


@dataclass
class MeasureSection:
    number: str
    title: str
    responsible: str
    lines: list = field(default_factory=list)
    contributions: list = field(default_factory=list)


@dataclass
class StatusChange:
    measure: str
    milestone: str
    planned: str
    before: str
    after: str


@dataclass
class Changes:
    """What changed since the previous finalised report of the plan: `since` says which."""

    since: str
    status_changes: list


@dataclass
class DeviationSection:
    """One of the report's deviation sections (`rapportering.deviations`), titled in the
    report's language."""

    key: str
    title: str
    lines: list


@dataclass
class Chart:
    key: str
    title: str
    tallies: list


@dataclass
class Report:
    plan: str
    plan_slug: str
    year: int
    made: str
    version: int | None
    replaces: str
    summary: str
    challenges: str
    challenge_actions: str
    charts: list
    measures: list
    deviation_sections: list
    changes: Changes
    appendix: list
    parties: str = ""  # who reports, on the title page; empty in versions made before it

    @property
    def draft(self):
        return self.version is None

    @property
    def title(self):
        title = _("Joint status and deviation report %(year)s – %(plan)s") % {
            "year": self.year,
            "plan": self.plan,
        }
        return _("DRAFT: %(title)s") % {"title": title} if self.draft else title

    @property
    def subtitle(self):
        if self.draft:
            return _("Draft built from the data of %(date)s; not finalised.") % {"date": self.made}
        return _("Version %(version)s, finalised %(date)s.") % {
            "version": self.version,
            "date": self.made,
        }

    def as_dict(self):
        return asdict(self)

    @classmethod
    def from_dict(cls, data):
        """The report as kept in a finalised version's content."""

        def lines(items):
            return [Line(**item) for item in items]

        data = _in_current_shape(data)
        changes = data["changes"]
        return cls(
            **{
                **data,
                "charts": [
                    Chart(c["key"], c["title"], [Tally(**t) for t in c["tallies"]])
                    for c in data["charts"]
                ],
                "measures": [
                    MeasureSection(
                        **{
                            **m,
                            "lines": lines(m["lines"]),
                            "contributions": [ContributionText(**c) for c in m["contributions"]],
                        }
                    )
                    for m in data["measures"]
                ],
                "deviation_sections": [
                    DeviationSection(d["key"], d["title"], lines(d["lines"]))
                    for d in data["deviation_sections"]
                ],
                "changes": Changes(
                    since=changes["since"],
                    status_changes=[StatusChange(**c) for c in changes["status_changes"]],
                ),
                "appendix": lines(data["appendix"]),
            }
        )


def _in_current_shape(data):
    """The content of a version finalised before the report had its three deviation
    sections, in today's shape, saying what it showed then: every deviation of the year as
    one section, and the deviations opened and closed since the previous report as two."""
    if "deviation_sections" in data:
        return data
    changes = data["changes"]
    return {
        **{key: value for key, value in data.items() if key != "deviations"},
        "deviation_sections": [
            {"key": "deviations", "title": _("Deviations"), "lines": data["deviations"]},
            {
                "key": "new",
                "title": _("New deviations since the previous report"),
                "lines": changes["new_deviations"],
            },
            {
                "key": "closed",
                "title": _("Closed deviations since the previous report"),
                "lines": changes["closed_deviations"],
            },
        ],
        "changes": {"since": changes["since"], "status_changes": changes["status_changes"]},
    }


def _line(state, deviation):
    measure = state.milestone.measure
    return Line(
        measure=f"{measure.number} {measure.title}",
        milestone=state.milestone.text,
        due_text=state.milestone.due_text,
        planned=state.planned_label,
        new_date=short_date(state.new_date),
        status=str(state.get_status_display()),
        assessment=str(state.get_assessment_display()) if state.assessment else _("Not assessed"),
        comment=state.comment,
        cause=state.deviation_cause,
        consequence=state.deviation_consequence,
        corrective_action=state.corrective_action,
        ministries_must_decide=_("yes") if state.needs_ministry_decision else _("no"),
        deviation=deviation,
    )


ORDER = ("milestone__measure__position", "milestone__position", "planned_date", "year")


def _baseline(plan, year, today):
    """The moment the changes are counted from, and how the report says it: when the previous
    finalised report of the plan (of an earlier year, its latest version) was finalised, else
    the end of the previous year."""
    previous = (
        FinalReport.objects.filter(round__plan=plan, round__year__lt=year)
        .select_related("round")
        .order_by("-round__year", "-version")
        .first()
    )
    if previous is not None:
        since = timezone.localdate(previous.finalised_at)
        text = _("Changes since the report for %(year)s (version %(version)s, %(date)s).") % {
            "year": previous.round.year,
            "version": previous.version,
            "date": short_date(since),
        }
    else:
        since = date(year - 1, 12, 31)
        text = _(
            "No earlier report of this plan has been finalised here; the changes are counted "
            "from %(date)s."
        ) % {"date": short_date(since)}
    return min(since, today - timedelta(days=1)), text


def _changes(plan, year, today):
    """The status changes on the plan's milestones up to and including `year`, between the
    previous finalised report and `today`."""
    since, text = _baseline(plan, year, today)
    relevant = Q(milestone__measure__plan=plan, year__lte=year)
    status_then = dict(occurrence_states(since).filter(relevant).values_list("id", "status"))
    now = Occurrence.objects.filter(relevant).select_related("milestone__measure").order_by(*ORDER)
    labels = dict(Occurrence.Status.choices)
    status_changes = []
    for state in now:
        before = status_then.get(state.id)
        if before is not None and before != state.status:
            status_changes.append(
                StatusChange(
                    measure=f"{state.milestone.measure.number} {state.milestone.measure.title}",
                    milestone=state.milestone.text,
                    planned=state.planned_label,
                    before=str(labels[before]),
                    after=str(state.get_status_display()),
                )
            )
    return Changes(text, status_changes)


def _deviation_sections(plan, year, today):
    sections = deviation_sections(plan, year, today)
    return [
        DeviationSection(
            "new",
            _("New deviations in %(year)s") % {"year": year},
            [_line(o, True) for o in sections.new],
        ),
        DeviationSection(
            "still_open",
            _("Deviations that are still open"),
            [_line(o, True) for o in sections.still_open],
        ),
        DeviationSection(
            "closed",
            _("Deviations closed in %(year)s") % {"year": year},
            [_line(o, True) for o in sections.closed],
        ),
    ]


def _parties(plan, name):
    """ "From Husbanken (HB), for …": the coordinator, and the directorates taking part in
    the plan, named by `name`."""
    coordinators = list(Actor.objects.filter(is_coordinator=True))
    directorates = [d for d in plan_participation(plan).directorates if not d.is_coordinator]
    if not coordinators or not directorates:
        return ""
    return _("From %(coordinator)s, for %(directorates)s") % {
        "coordinator": get_text_list([name(a) for a in coordinators], _("and")),
        "directorates": get_text_list([name(d) for d in directorates], _("and")),
    }


class ActorNames:
    """How the report names actors: the full name with the short name the first time, the
    short name after ("Helsedirektoratet (Hdir)", then "Hdir"); the full name of an actor
    without a short name."""

    def __init__(self):
        self.mentioned = set()

    def __call__(self, actor):
        if not actor.short_name:
            return actor.name
        if actor.pk in self.mentioned:
            return actor.short_name
        self.mentioned.add(actor.pk)
        return f"{actor.name} ({actor.short_name})"


def build_report(*, plan, year, today=None, round=None, version=None, replaces=""):
    """The report of `plan` for `year` as the data stand `today`: the compilation and
    contributions of its `round` (if one is open), every measure with its milestones of the
    year, the deviations, what changed since the previous year's report, the charts and an
    appendix of every milestone occurrence of the year. A draft unless a `version` is given."""
    today = today or clock.today()
    if round is None:
        round = ReportRound.objects.filter(plan=plan, year=year).first()
    states = (
        occurrences_of(plan, year)
        .select_related("milestone__measure")
        .annotate(in_deviations=marked(deviation_condition(today)))
        .order_by(*ORDER)
    )
    lines_by_measure = {}
    appendix = []
    for state in states:
        line = _line(state, state.in_deviations)
        appendix.append(line)
        lines_by_measure.setdefault(state.milestone.measure_id, []).append(line)
    contributions = {}
    if round is not None:
        for contribution in round.contributions.select_related("directorate"):
            if contribution.is_written:
                contributions.setdefault(contribution.measure_id, []).append(contribution)
    name = ActorNames()
    parties = _parties(plan, name)  # the title page: the first mention of each
    measures = []
    for measure in plan.measures.prefetch_related("responsibilities__actor"):
        # In the order the document reads: the responsible actors, then the contributions.
        responsible = ", ".join(
            f"{name(r.actor)} ({r.get_role_display().lower()})"
            for r in measure.responsibilities.all()
        )
        measures.append(
            MeasureSection(
                number=measure.number,
                title=measure.title,
                responsible=responsible,
                lines=lines_by_measure.get(measure.pk, []),
                contributions=[
                    ContributionText(
                        directorate=name(contribution.directorate),
                        status_assessment=contribution.status_assessment,
                        deviation_handling=contribution.deviation_handling,
                        challenges=contribution.challenges,
                        delivered=contribution.is_delivered,
                    )
                    for contribution in contributions.get(measure.pk, [])
                ],
            )
        )
    by_status, by_assessment = tallies(states)
    report = Report(
        plan=plan.title,
        plan_slug=plan.slug,
        year=year,
        made=short_date(today),
        version=version,
        replaces=replaces,
        summary=round.summary if round else "",
        challenges=round.challenges if round else "",
        challenge_actions=round.challenge_actions if round else "",
        charts=[
            Chart("status", _("Milestones by status"), _plain(by_status)),
            Chart("assessment", _("Milestones by assessment"), _plain(by_assessment)),
        ],
        measures=measures,
        deviation_sections=_deviation_sections(plan, year, today),
        changes=_changes(plan, year, today),
        appendix=appendix,
        parties=parties,
    )
    return Report.from_dict(_cleaned(report.as_dict()))


def _cleaned(data):
    """The report's data with every text through `clean_text`: text stored before the forms
    cleaned it, or written by SQL, must not break the XML of the Word and Excel files."""
    if isinstance(data, str):
        return clean_text(data)
    if isinstance(data, dict):
        return {key: _cleaned(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_cleaned(value) for value in data]
    return data


def _plain(tally_list):
    return [Tally(t.key, str(t.label), t.count) for t in tally_list]
