"""import_plan and export_plan, through the management commands, against the database."""

import re

import pytest
import yaml
from django.core.management import CommandError, call_command

from tests.factories import PLAN_FILES, SEEDS, UNSEEN_PLAN, counts, export, import_text, stripped
from tiltak.history import acting_as
from tiltak.models import Measure, Milestone, Occurrence
from tiltak.schedule import interpret_due_text

pytestmark = pytest.mark.django_db


def walk_measures(data):
    def walk(measures):
        for measure in measures:
            yield measure
            yield from walk(measure.get("measures") or [])

    for part in data["parts"]:
        yield from walk(part["measures"])


def with_interpreted_dates(data):
    """The file as the exporter writes it: every milestone with its dates."""
    years = list(range(data["plan"]["start"].year, data["plan"]["end"].year + 1))
    for measure in walk_measures(data):
        for milestone in measure["milestones"]:
            if "dates" not in milestone:
                milestone["dates"] = list(interpret_due_text(milestone["due"], years=years).dates)
            # Keys in the order the exporter writes them.
            order = ["text", "due", "dates", "responsible", "note"]
            items = sorted(milestone.items(), key=lambda item: order.index(item[0]))
            milestone.clear()
            milestone.update(items)
    return data


@pytest.mark.parametrize("path", PLAN_FILES, ids=lambda p: p.name)
def test_export_of_an_imported_plan_gives_back_the_file(path):
    original = yaml.safe_load(path.read_text(encoding="utf-8"))
    call_command("import_plan", str(path), verbosity=0)

    exported = yaml.safe_load(export(original["plan"]["slug"]))

    assert stripped(exported) == stripped(with_interpreted_dates(original))


@pytest.mark.parametrize("path", PLAN_FILES, ids=lambda p: p.name)
def test_an_exported_plan_imports_to_the_same_export_without_changes(path, tmp_path):
    call_command("import_plan", str(path), verbosity=0)
    slug = yaml.safe_load(path.read_text(encoding="utf-8"))["plan"]["slug"]
    first = export(slug)

    output = import_text(tmp_path, first)

    assert "er allerede oppdatert" in output
    assert export(slug) == first


def test_seeded_plans_hold_every_measure_and_milestone_of_their_documents(seeded_plans):
    plan_2015 = seeded_plans["tiltaksplan-2015"]
    plan_2018 = seeded_plans["handlingsplan-2018-2020"]

    assert list(plan_2015.parts.values_list("code", flat=True)) == ["A", "B", "C"]
    assert list(plan_2015.measures.values_list("number", flat=True)) == [
        "1", "1.1", "1.2", "1.3", "1.4", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11",
    ]  # fmt: skip
    assert set(
        Measure.objects.filter(parent__number="1", plan=plan_2015).values_list("number", flat=True)
    ) == {"1.1", "1.2", "1.3", "1.4"}
    assert Milestone.objects.filter(measure__plan=plan_2015).count() == 46

    assert list(plan_2018.parts.values_list("code", flat=True)) == ["1", "2", ""]
    assert list(plan_2018.measures.values_list("number", flat=True)) == [
        str(n) for n in range(1, 18)
    ]
    assert Milestone.objects.filter(measure__plan=plan_2018).count() == 22


def test_recurring_and_continuous_milestones_have_an_occurrence_per_year(seeded_plans):
    plan = seeded_plans["handlingsplan-2018-2020"]
    report = Milestone.objects.get(measure__plan=plan, measure__number="17")
    assert [(o.year, o.planned_date.isoformat()) for o in report.occurrences.all()] == [
        (2018, "2018-10-01"),
        (2019, "2019-10-01"),
        (2020, "2020-10-01"),
    ]
    continuous = Milestone.objects.get(measure__plan=plan, measure__number="12")
    assert [(o.year, o.planned_date) for o in continuous.occurrences.all()] == [
        (2018, None),
        (2019, None),
        (2020, None),
    ]
    twice_a_year = Milestone.objects.get(measure__plan=plan, measure__number="3")
    assert twice_a_year.occurrences.count() == 6


def test_an_ambiguous_due_text_keeps_its_wording_and_the_interpretation_given(seeded_plans):
    milestone = Milestone.objects.get(measure__number="1.1")
    assert milestone.due_text == "31.1.14"
    assert [o.planned_date.isoformat() for o in milestone.occurrences.all()] == ["2015-01-31"]
    assert "skrivefeil" in milestone.due_note


@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared/seeds is not beside the project")
@pytest.mark.parametrize("path", PLAN_FILES, ids=lambda p: p.name)
def test_every_text_in_the_plan_files_is_the_seed_documents_own_wording(path):
    seed = (SEEDS / path.with_suffix(".txt").name).read_text(encoding="utf-8")
    seed = re.sub(r"Side \d+ av \d+", " ", seed)  # page markers are not content
    words = " ".join(seed.split()).casefold()
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    texts = [part["title"] for part in data["parts"]]
    for measure in walk_measures(data):
        texts.append(measure["title"])
        for key in ("purpose", "contributions"):
            texts.extend(line for line in (measure.get(key) or "").splitlines() if line.strip())
        for milestone in measure["milestones"]:
            texts += [milestone["text"], milestone["due"]]
    missing = [text for text in texts if " ".join(text.split()).casefold() not in words]
    # A list item of the 2018 plan is numbered "1." in the source; that is still verbatim.
    missing = [text for text in missing if re.sub(r"^\d+\. ", "", text).casefold() not in words]
    assert missing == []


def test_a_plan_file_no_one_has_seen_imports_and_exports_back_unchanged(tmp_path):
    import_text(tmp_path, UNSEEN_PLAN)

    assert stripped(yaml.safe_load(export("handlingsplan-2021"))) == stripped(
        yaml.safe_load(UNSEEN_PLAN)
    )
    continuous = Milestone.objects.get(text="Underveis")
    assert list(continuous.occurrences.values_list("year", "planned_date")) == [
        (2021, None),
        (2022, None),
    ]


BROKEN_FILES = [
    ("bad YAML", "plan: [unclosed\n", "plan.yaml:2", "ikke gyldig YAML"),
    (
        "unknown directorate",
        UNSEEN_PLAN.replace("actor: KDI", "actor: Sjøfartsdirektoratet"),
        "plan.yaml:37",
        "ukjent aktør «Sjøfartsdirektoratet»",
    ),
    (
        "duplicate measure number",
        UNSEEN_PLAN.replace('number: "1.1"', 'number: "1"'),
        "plan.yaml:34",
        "tiltak 1: nummeret er allerede brukt (linje 13)",
    ),
    (
        "unreadable due text",
        UNSEEN_PLAN.replace(
            "due: Innen 1.3.2022\n                dates: [2022-03-01]\n", "due: når det passer\n"
        ),
        "plan.yaml:41",
        "kan ikke lese fristen «når det passer»",
    ),
    (
        "missing key",
        UNSEEN_PLAN.replace("    title: Andre del\n", ""),
        "plan.yaml:43",
        "mangler nøkkelen «title»",
    ),
    (
        "empty title",
        UNSEEN_PLAN.replace("title: Et tiltak", "title:"),
        "plan.yaml:14",
        "«title» er tom",
    ),
    (
        "unknown key",
        UNSEEN_PLAN.replace("contributions:", "bidrag:"),
        "plan.yaml:19",
        "ukjent nøkkel «bidrag»",
    ),
    (
        "date out of range",
        UNSEEN_PLAN.replace("2022-03-01", "2062-03-01"),
        "plan.yaml:42",
        "for langt fra planperioden",
    ),
    (
        "bad role",
        UNSEEN_PLAN.replace("role: lead", "role: boss"),
        "plan.yaml:22",
        "rollen «boss»",
    ),
    (
        "duplicate key",
        UNSEEN_PLAN.replace("  source: Skrevet for testen\n", "  source: a\n  source: b\n"),
        "plan.yaml:7",
        "duplicate key «source»",
    ),
    (
        "bad slug",
        UNSEEN_PLAN.replace("slug: handlingsplan-2021", "slug: Handlingsplan 2021"),
        "plan.yaml:2",
        "slug",
    ),
    (
        "slutter før den begynner",
        UNSEEN_PLAN.replace("end: 2022-12-31", "end: 2020-12-31"),
        "plan.yaml:5",
        "slutter før den begynner",
    ),
]


@pytest.mark.parametrize(
    ("case", "text", "where", "reason"), BROKEN_FILES, ids=[c[0] for c in BROKEN_FILES]
)
def test_a_broken_file_is_refused_with_file_line_and_reason_and_writes_nothing(
    tmp_path, seeded_plans, case, text, where, reason
):
    before = counts()

    with pytest.raises(CommandError) as raised:
        import_text(tmp_path, text)

    message = str(raised.value)
    assert where in message
    assert reason in message
    assert counts() == before


def test_a_file_that_is_not_utf8_is_refused(tmp_path, db):
    path = tmp_path / "latin1.yaml"
    path.write_bytes(UNSEEN_PLAN.encode("latin-1"))

    before = counts()
    with pytest.raises(CommandError, match="ikke UTF-8-tekst"):
        call_command("import_plan", str(path))
    assert counts() == before


def test_one_bad_file_among_several_leaves_the_database_untouched(tmp_path, db):
    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    good.write_text(UNSEEN_PLAN, encoding="utf-8")
    bad.write_text(UNSEEN_PLAN.replace("actor: KDI", "actor: Ingen"), encoding="utf-8")

    before = counts()
    with pytest.raises(CommandError):
        call_command("import_plan", str(good), str(bad), verbosity=0)
    assert counts() == before


def report_status(occurrence, user, **values):
    for name, value in values.items():
        setattr(occurrence, name, value)
    from django.utils import timezone

    occurrence.updated_by, occurrence.updated_at = user, timezone.now()
    with acting_as(user):
        occurrence.save()


def test_reimport_updates_in_place_and_keeps_status_and_its_history(tmp_path, coordinator):
    import_text(tmp_path, UNSEEN_PLAN)
    occurrence = Occurrence.objects.get(milestone__text="Ferdig")
    report_status(occurrence, coordinator, status=Occurrence.Status.POSTPONED, comment="Forsinket")
    changed = UNSEEN_PLAN.replace("title: Et deltiltak", "title: Et omdøpt deltiltak").replace(
        "          - text: Underveis\n",
        "          - text: Nytt punkt\n            due: 4. kvartal 2022\n          - text: Underveis\n",
    )

    output = import_text(tmp_path, changed)

    assert "~ tiltak 1.1: title" in output
    assert "+ tiltak 1: milepæl «Nytt punkt»" in output
    occurrence.refresh_from_db()
    assert occurrence.milestone.measure.title == "Et omdøpt deltiltak"
    assert occurrence.status == Occurrence.Status.POSTPONED
    assert occurrence.comment == "Forsinket"
    assert occurrence.history.count() == 2
    assert (
        Milestone.objects.get(text="Nytt punkt").occurrences.get().planned_date.isoformat()
        == "2022-12-31"
    )


def test_reimport_refuses_to_drop_an_occurrence_with_reported_status(tmp_path, coordinator):
    import_text(tmp_path, UNSEEN_PLAN)
    report_status(
        Occurrence.objects.get(milestone__text="Ferdig"),
        coordinator,
        status=Occurrence.Status.COMPLETED,
    )
    before = counts()
    without = UNSEEN_PLAN.replace("dates: [2022-03-01]", "dates: [2022-04-01]")

    with pytest.raises(CommandError, match="har rapportert status"):
        import_text(tmp_path, without)
    assert counts() == before


def test_dry_run_prints_the_changes_and_writes_nothing(tmp_path, db):
    before = counts()

    output = import_text(tmp_path, UNSEEN_PLAN, "plan.yaml", "--dry-run")

    assert "+ plan handlingsplan-2021" in output
    assert "+ tiltak 1.1" in output
    assert "prøvekjøring, ingenting er skrevet" in output
    assert counts() == before


def test_export_of_an_unknown_plan_names_the_plans_there_are(seeded_plans):
    with pytest.raises(CommandError, match=r"No plan with the slug «ukjent».*tiltaksplan-2015"):
        export("ukjent")
