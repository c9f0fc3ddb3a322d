"""The yearly joint status and deviation report, built once as plain data.

`build_report` returns a `Report` of plain values (text already in the report's language,
dates as text), so that a finalised report can be kept exactly as it was sent, and every
exporter (CSV and Excel here; PDF and Word to come) renders this one structure.
"""

from dataclasses import asdict, dataclass, field

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from rapportering.dashboards import occurrences_of
from tiltak.models import deviation_condition


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
class MeasureSection:
    number: str
    title: str
    responsible: str
    lines: list = field(default_factory=list)


@dataclass
class Report:
    plan: str
    plan_slug: str
    year: int
    draft: bool
    made: str
    measures: list
    deviations: list
    appendix: list

    @property
    def title(self):
        title = _("Joint status and deviation report %(year)s – %(plan)s") % {
            "year": self.year,
            "plan": self.plan,
        }
        return _("DRAFT: %(title)s") % {"title": title} if self.draft else title

    def as_dict(self):
        return asdict(self)


def _day(value):
    return date_format(value, "SHORT_DATE_FORMAT") if value else ""


def _line(state, deviation):
    measure = state.milestone.measure
    return Line(
        measure=f"{measure.number} {measure.title}",
        milestone=state.milestone.text,
        due_text=state.milestone.due_text,
        planned=_day(state.planned_date) or _("%(year)s (continuous)") % {"year": state.year},
        new_date=_day(state.new_date),
        status=str(state.get_status_display()),
        assessment=str(state.get_assessment_display()) if state.assessment else _("Not assessed"),
        comment=state.comment,
        cause=state.deviation_cause,
        consequence=state.deviation_consequence,
        corrective_action=state.corrective_action,
        ministries_must_decide=_("yes") if state.needs_ministry_decision else _("no"),
        deviation=deviation,
    )


def build_report(*, plan, year, today=None, draft=True):
    """The report of `plan` for `year`: every measure with its milestones of the year, the
    deviations with their cause, consequence, corrective action and new date, and an
    appendix of every milestone occurrence of the year."""
    today = today or timezone.localdate()
    states = (
        occurrences_of(plan, year)
        .select_related("milestone__measure")
        .order_by("milestone__measure__position", "milestone__position", "planned_date")
    )
    deviating = set(states.filter(deviation_condition(today)).values_list("id", flat=True))
    lines_by_measure = {}
    appendix = []
    for state in states:
        line = _line(state, state.id in deviating)
        appendix.append(line)
        lines_by_measure.setdefault(state.milestone.measure_id, []).append(line)
    measures = [
        MeasureSection(
            number=measure.number,
            title=measure.title,
            responsible=", ".join(
                f"{r.actor} ({r.get_role_display().lower()})"
                for r in measure.responsibilities.all()
            ),
            lines=lines_by_measure.get(measure.pk, []),
        )
        for measure in plan.measures.prefetch_related("responsibilities__actor")
    ]
    return Report(
        plan=plan.title,
        plan_slug=plan.slug,
        year=year,
        draft=draft,
        made=_day(today),
        measures=measures,
        deviations=[line for line in appendix if line.deviation],
        appendix=appendix,
    )
