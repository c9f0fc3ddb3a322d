"""Writing a plan back out as a plan file (shared/plan-format.md)."""

from collections import defaultdict

import yaml

from tiltak.plan_files.spec import actor_reference


def _measure_tree(plan):
    """The plan's measures in order, by part (top-level ones) and by parent (sub-measures),
    each with its responsibilities, milestones and occurrences, in a fixed number of queries."""
    measures = plan.measures.prefetch_related(
        "responsibilities__actor", "milestones__responsible", "milestones__occurrences"
    )
    top_measures, children = defaultdict(list), defaultdict(list)
    for measure in measures:
        if measure.parent_id is None:
            top_measures[measure.part_id].append(measure)
        else:
            children[measure.parent_id].append(measure)
    return top_measures, children


def plan_to_data(plan):
    """The plan as the plain structure of a plan file."""
    top_measures, children = _measure_tree(plan)
    used = []

    def use(actor):
        if not actor.is_directorate and actor not in used:
            used.append(actor)
        return actor_reference(actor)

    def measure_data(measure):
        data = {"number": measure.number, "title": measure.title}
        if measure.purpose:
            data["purpose"] = measure.purpose
        if measure.contributions:
            data["contributions"] = measure.contributions
        data["responsible"] = [
            {"actor": use(r.actor), "role": r.role} for r in measure.responsibilities.all()
        ]
        data["milestones"] = [milestone_data(m) for m in measure.milestones.all()]
        if sub_measures := children[measure.pk]:
            data["measures"] = [measure_data(sub) for sub in sub_measures]
        return data

    def milestone_data(milestone):
        data = {"text": milestone.text, "due": milestone.due_text}
        data["dates"] = sorted(
            o.planned_date for o in milestone.occurrences.all() if o.planned_date is not None
        )
        if milestone.responsible:
            data["responsible"] = use(milestone.responsible)
        if milestone.due_note:
            data["note"] = milestone.due_note
        return data

    parts = [
        {
            "code": part.code,
            "title": part.title,
            "measures": [measure_data(m) for m in top_measures[part.pk]],
        }
        for part in plan.parts.all()
    ]
    declared = [link.actor for link in plan.declared_actors.select_related("actor")]
    actors = declared + [actor for actor in used if actor not in declared]
    data = {
        "plan": {
            "slug": plan.slug,
            "title": plan.title,
            "start": plan.start,
            "end": plan.end,
            "source": plan.source,
        }
    }
    if actors:
        data["actors"] = [{"name": actor_reference(actor)} for actor in actors]
    data["parts"] = parts
    return data


class _PlanDumper(yaml.SafeDumper):
    """Indents lists under their key and writes multi-line text as literal blocks."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def _represent_str(dumper, value):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_PlanDumper.add_representer(str, _represent_str)


def dump_plan(plan):
    """The plan as plan-file text."""
    return yaml.dump(
        plan_to_data(plan),
        Dumper=_PlanDumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
