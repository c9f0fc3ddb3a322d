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
from django.utils.translation import gettext as _

from rapportering.models import FinalReport, ReportRound
from rapportering.states import (
    Tally,
    occurrence_states,
    occurrences_of,
    tallies,
    with_due_date,
)
from tiltak import clock
from tiltak.formatting import short_date
from tiltak.free_text import clean_text
from tiltak.models import Occurrence, deviation_condition, marked


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
    """What changed since the previous year's report: `since` says from when."""

    since: str
    status_changes: list
    new_deviations: list
    closed_deviations: list


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
    deviations: list
    changes: Changes
    appendix: list

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
                "deviations": lines(data["deviations"]),
                "changes": Changes(
                    since=changes["since"],
                    status_changes=[StatusChange(**c) for c in changes["status_changes"]],
                    new_deviations=lines(changes["new_deviations"]),
                    closed_deviations=lines(changes["closed_deviations"]),
                ),
                "appendix": lines(data["appendix"]),
            }
        )


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
    """The moment the changes are counted from, and how the report says it: the previous
    year's report when one was finalised, else the end of the previous year."""
    previous = (
        FinalReport.objects.filter(round__plan=plan, round__year=year - 1)
        .order_by("-version")
        .first()
    )
    if previous is not None:
        since = timezone.localdate(previous.finalised_at)
        text = _("Changes since the report for %(year)s (version %(version)s, %(date)s).") % {
            "year": year - 1,
            "version": previous.version,
            "date": short_date(since),
        }
    else:
        since = date(year - 1, 12, 31)
        text = _(
            "No report for %(year)s has been finalised here; the changes are counted from %(date)s."
        ) % {"year": year - 1, "date": short_date(since)}
    return min(since, today - timedelta(days=1)), text


def _changes(plan, year, today):
    """Status changes, and deviations opened and closed, on the plan's milestones up to and
    including `year`, between the baseline and `today`."""
    since, text = _baseline(plan, year, today)
    relevant = Q(milestone__measure__plan=plan, year__lte=year)
    then = with_due_date(occurrence_states(since).filter(relevant))
    status_then, deviating_then = {}, set()
    for occurrence_id, status, deviating in then.values_list(
        "id", "status", marked(deviation_condition(since))
    ):
        status_then[occurrence_id] = status
        if deviating:
            deviating_then.add(occurrence_id)
    now = (
        Occurrence.objects.filter(relevant)
        .with_due_date()
        .select_related("milestone__measure")
        .annotate(in_deviations=marked(deviation_condition(today)))
        .order_by(*ORDER)
    )
    labels = dict(Occurrence.Status.choices)
    status_changes, opened, closed = [], [], []
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
        if state.in_deviations and state.id not in deviating_then:
            opened.append(_line(state, True))
        if state.id in deviating_then and not state.in_deviations:
            closed.append(_line(state, False))
    return Changes(text, status_changes, opened, closed)


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
                contributions.setdefault(contribution.measure_id, []).append(
                    ContributionText(
                        directorate=contribution.directorate.name,
                        status_assessment=contribution.status_assessment,
                        deviation_handling=contribution.deviation_handling,
                        challenges=contribution.challenges,
                        delivered=contribution.is_delivered,
                    )
                )
    measures = [
        MeasureSection(
            number=measure.number,
            title=measure.title,
            responsible=", ".join(
                f"{r.actor} ({r.get_role_display().lower()})"
                for r in measure.responsibilities.all()
            ),
            lines=lines_by_measure.get(measure.pk, []),
            contributions=contributions.get(measure.pk, []),
        )
        for measure in plan.measures.prefetch_related("responsibilities__actor")
    ]
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
        deviations=[line for line in appendix if line.deviation],
        changes=_changes(plan, year, today),
        appendix=appendix,
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
