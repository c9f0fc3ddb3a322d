"""Importing a checked plan file (`PlanSpec`) into the database, in one transaction."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from tiltak.history import acting_as, system_user
from tiltak.models import Actor, Measure, Milestone, Part, Plan, PlanActor, Responsibility
from tiltak.plan_files.spec import PlanFileError, PlanSpec
from tiltak.services import occurrences_sync, refused_message


class PlanImportError(PlanFileError):
    """The file is valid, but importing it would lose status that has been reported."""


@dataclass
class ImportResult:
    plan: Plan | None
    created: bool
    changes: list[str] = field(default_factory=list)


def plan_import(*, spec: PlanSpec, dry_run: bool = False) -> ImportResult:
    """Create the plan in `spec`, or update the plan with its slug in place.

    Objects are matched to what is there (parts by code or title, measures by number,
    milestones by text and then by order, occurrences by date), so that the status
    reported on them is kept. Anything the file no longer holds is deleted, unless status
    has been reported on it: then nothing is written and PlanImportError says why.
    With `dry_run`, the changes are worked out and reported, and rolled back.
    """
    with acting_as(system_user()), transaction.atomic():
        importer = _PlanImporter(spec)
        result = importer.run()
        if importer.blocked:
            raise PlanImportError(importer.blocked)
        if dry_run:
            transaction.set_rollback(True)
    return result


def _update(instance, **values):
    """Set the values that differ and save only then; the names of the changed fields."""
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, values[name])
    if changed:
        instance.full_clean(validate_unique=False, validate_constraints=False)
        instance.save()
    return changed


class _PlanImporter:
    def __init__(self, spec):
        self.spec = spec
        self.changes = []
        self.blocked = []

    def note(self, message):
        self.changes.append(message)

    def run(self):
        spec = self.spec
        values = {
            "title": spec.title,
            "start": spec.start,
            "end": spec.end,
            "source": spec.source,
        }
        plan = Plan.objects.filter(slug=spec.slug).first()
        created = plan is None
        if created:
            plan = Plan(slug=spec.slug, **values)
            plan.full_clean()
            plan.save()
            self.note(_("+ plan %(slug)s") % {"slug": spec.slug})
        elif changed := _update(plan, **values):
            self.note(
                _("~ plan %(slug)s: %(fields)s") % {"slug": spec.slug, "fields": ", ".join(changed)}
            )
        self.plan = plan
        self.import_actors()
        self.import_parts()
        return ImportResult(plan=plan, created=created, changes=self.changes)

    def actor(self, ref):
        """The Actor for a reference, creating an actor the file declares that is new."""
        if ref.actor is None:
            ref.actor = Actor.objects.create(name=ref.name, kind=Actor.Kind.OTHER)
            self.note(_("+ actor %(name)s") % {"name": ref.name})
        return ref.actor

    def import_actors(self):
        existing = {link.actor_id: link for link in self.plan.declared_actors.all()}
        for position, ref in enumerate(self.spec.actors):
            actor = self.actor(ref)
            link = existing.pop(actor.pk, None)
            if link is None:
                PlanActor.objects.create(plan=self.plan, actor=actor, position=position)
            else:
                _update(link, position=position)
        for link in existing.values():
            link.delete()

    def import_parts(self):
        existing = list(self.plan.parts.all())
        measures = {m.number: m for m in self.plan.measures.select_related("parent")}
        position = 0
        for part_position, part_spec in enumerate(self.spec.parts):
            part = self.match_part(existing, part_spec)
            if part is None:
                part = Part.objects.create(
                    plan=self.plan,
                    code=part_spec.code,
                    title=part_spec.title,
                    position=part_position,
                )
                self.note(_("+ part %(part)s") % {"part": part})
            else:
                existing.remove(part)
                if changed := _update(
                    part, code=part_spec.code, title=part_spec.title, position=part_position
                ):
                    self.note(
                        _("~ part %(part)s: %(fields)s")
                        % {"part": part, "fields": ", ".join(changed)}
                    )
            position = self.import_measures(part, part_spec.measures, None, measures, position)
        for measure in measures.values():
            self.remove_measure(measure)
        for part in existing:
            self.note(_("- part %(part)s") % {"part": part})
            part.delete()

    @staticmethod
    def match_part(existing, spec):
        for part in existing:
            if (spec.code and part.code == spec.code) or (
                not spec.code and part.title == spec.title
            ):
                return part
        return None

    def import_measures(self, part, specs, parent, existing, position):
        for spec in specs:
            values = {
                "part": part,
                "parent": parent,
                "title": spec.title,
                "purpose": spec.purpose,
                "contributions": spec.contributions,
                "position": position,
            }
            position += 1
            measure = existing.pop(spec.number, None)
            if measure is None:
                measure = Measure(plan=self.plan, number=spec.number, **values)
                measure.full_clean(validate_constraints=False)
                measure.save()
                self.note(_("+ measure %(number)s") % {"number": spec.number})
            elif changed := _update(measure, **values):
                self.note(
                    _("~ measure %(number)s: %(fields)s")
                    % {"number": spec.number, "fields": ", ".join(changed)}
                )
            self.import_responsibilities(measure, spec.responsible)
            self.import_milestones(measure, spec.milestones)
            position = self.import_measures(part, spec.measures, measure, existing, position)
        return position

    def import_responsibilities(self, measure, specs):
        existing = {r.actor_id: r for r in measure.responsibilities.all()}
        for position, spec in enumerate(specs):
            actor = self.actor(spec.actor)
            responsibility = existing.pop(actor.pk, None)
            if responsibility is None:
                Responsibility.objects.create(
                    measure=measure, actor=actor, role=spec.role, position=position
                )
                self.note(
                    _("+ measure %(number)s: %(actor)s (%(role)s)")
                    % {"number": measure.number, "actor": actor, "role": spec.role}
                )
            elif _update(responsibility, role=spec.role, position=position):
                self.note(
                    _("~ measure %(number)s: %(actor)s (%(role)s)")
                    % {"number": measure.number, "actor": actor, "role": spec.role}
                )
        for responsibility in existing.values():
            self.note(
                _("- measure %(number)s: %(actor)s")
                % {"number": measure.number, "actor": responsibility.actor}
            )
            responsibility.delete()

    def import_milestones(self, measure, specs):
        existing = list(measure.milestones.select_related("responsible"))
        by_text = {}
        for milestone in existing:
            by_text.setdefault(milestone.text, []).append(milestone)
        matched = []
        for spec in specs:
            candidates = by_text.get(spec.text)
            matched.append(candidates.pop(0) if candidates else None)
        unmatched = [m for m in existing if m not in matched]
        for index in range(len(specs)):
            if matched[index] is None and unmatched:
                matched[index] = unmatched.pop(0)
        for position, (spec, milestone) in enumerate(zip(specs, matched, strict=True)):
            values = {
                "text": spec.text,
                "due_text": spec.due,
                "due_note": spec.note,
                "responsible": self.actor(spec.responsible) if spec.responsible else None,
                "position": position,
            }
            if milestone is None:
                milestone = Milestone.objects.create(measure=measure, **values)
                self.note(
                    _("+ measure %(number)s: milestone «%(text)s»")
                    % {"number": measure.number, "text": spec.text}
                )
            elif changed := _update(milestone, **values):
                self.note(
                    _("~ measure %(number)s: milestone «%(text)s»: %(fields)s")
                    % {"number": measure.number, "text": spec.text, "fields": ", ".join(changed)}
                )
            self.import_occurrences(milestone, spec.dates)
        for milestone in unmatched:
            self.remove_milestone(milestone)

    def import_occurrences(self, milestone, dates):
        change = occurrences_sync(milestone=milestone, dates=dates, years=self.plan.years)
        for occurrence in change.created:
            self.note(
                _("+ milestone «%(text)s»: %(when)s") % {"text": milestone.text, "when": occurrence}
            )
        for occurrence in change.removed:
            self.note(
                _("- milestone «%(text)s»: %(when)s") % {"text": milestone.text, "when": occurrence}
            )
        self.blocked += [refused_message(o) for o in change.refused]

    def remove_occurrence(self, occurrence):
        if occurrence.is_reported:
            self.blocked.append(refused_message(occurrence))
            return
        self.note(
            _("- milestone «%(text)s»: %(when)s")
            % {"text": occurrence.milestone.text, "when": occurrence.when}
        )
        occurrence.delete()

    def remove_milestone(self, milestone):
        for occurrence in milestone.occurrences.all():
            self.remove_occurrence(occurrence)
        self.note(_("- milestone «%(text)s»") % {"text": milestone.text})
        milestone.delete()

    def remove_measure(self, measure):
        for milestone in measure.milestones.all():
            self.remove_milestone(milestone)
        self.note(_("- measure %(number)s") % {"number": measure.number})
        measure.delete()
