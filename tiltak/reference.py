"""The strategy's fixed cast and goals, from DOMAIN.md and the 2015 plan's introduction.

Loaded after every `migrate` (and every test-database flush) by `ensure_reference_data`,
which only fills what is empty, so that later edits in the admin are never overwritten.
"""

from django.contrib.auth.models import Group
from django.db import transaction

from tiltak.history import acting_as, system_user
from tiltak.models import Actor, ActorAlias, Goal
from tiltak.roles import Role

# Other names (ActorAlias) are for true synonyms only: the same body under another word or
# spelling the plans use, so that a plan file may name it either way; an export writes the
# actor's own name. They are NAV for AVdir and Helsemyndighetene for Hdir (the 2018–2020 plan's
# words), and the plans' other spellings "Redaksjonen av Veiviseren" and "Direktørnettverket for
# velferdsdirektoratene". A different body is an actor of its own, however close: Fylkesmannen
# (the county governor, named by the 2015 plan) is not Regional stat (the 2018–2020 plan's wider
# word for the state's regional bodies together).

# (short name, name, other names the texts use)
DIRECTORATES = [
    ("HB", "Husbanken", []),
    ("AVdir", "Arbeids- og velferdsdirektoratet", ["NAV"]),
    ("Bufdir", "Barne-, ungdoms- og familiedirektoratet", []),
    ("Hdir", "Helsedirektoratet", ["Helsemyndighetene"]),
    ("KDI", "Kriminalomsorgsdirektoratet", []),
    ("IMDi", "Integrerings- og mangfoldsdirektoratet", []),
]
COORDINATOR = "HB"

MINISTRIES = [
    ("ASD", "Arbeids- og sosialdepartementet"),
    ("BLD", "Barne-, likestillings- og inkluderingsdepartementet"),
    ("HOD", "Helse- og omsorgsdepartementet"),
    ("JD", "Justis- og beredskapsdepartementet"),
    ("KMD", "Kommunal- og moderniseringsdepartementet"),
]

OTHER_ACTORS = [
    ("Regional stat", []),
    ("Fylkesmannen", []),
    ("Redaksjonen for Veiviseren", ["Redaksjonen av Veiviseren"]),
    ("Kommunene", []),
    ("KS", []),
    ("Oslo kommune", []),
    ("Oslo Economics", []),
    ("Nasjonalt kunnskapssenter for helsetjenesten", []),
    ("Samordningsgruppen", []),
    ("Ressursgruppen", []),
    ("Direktørnettverket", ["Direktørnettverket for velferdsdirektoratene"]),
]

# (code, kind, title, parent code)
GOALS = [
    ("1", Goal.Kind.MAIN_GOAL, "Alle skal ha et godt sted å bo", None),
    ("1a", Goal.Kind.PRIORITY_AREA, "Hjelp fra midlertidig til varig bolig", "1"),
    ("1b", Goal.Kind.PRIORITY_AREA, "Hjelp til å skaffe egnet bolig", "1"),
    (
        "2",
        Goal.Kind.MAIN_GOAL,
        "Alle med behov for tjenester, skal få hjelp til å mestre boforholdet",
        None,
    ),
    ("2a", Goal.Kind.PRIORITY_AREA, "Forhindre utkastelser", "2"),
    ("2b", Goal.Kind.PRIORITY_AREA, "Gi oppfølging og tjenester i hjemmet", "2"),
    ("3", Goal.Kind.MAIN_GOAL, "Den offentlige innsatsen skal være helhetlig og effektiv", None),
    ("3a", Goal.Kind.PRIORITY_AREA, "Sikre god styring og målretting av arbeidet", "3"),
    ("3b", Goal.Kind.PRIORITY_AREA, "Stimulere til nytenkning og sosial innovasjon", "3"),
    ("3c", Goal.Kind.PRIORITY_AREA, "Planlegge for gode bomiljøer", "3"),
    ("S", Goal.Kind.SPECIAL_EFFORT, "Særlig innsats overfor barnefamilier og unge", None),
    (
        "S1",
        Goal.Kind.RESULT_GOAL,
        "Utleieboliger for barnefamilier skal være av god kvalitet og i et trygt bomiljø",
        "S",
    ),
    (
        "S2",
        Goal.Kind.RESULT_GOAL,
        "Midlertidige botilbud skal bare unntaksvis benyttes av barnefamilier og unge, "
        "og slike opphold skal ikke vare mer enn tre måneder.",
        "S",
    ),
    (
        "S3",
        Goal.Kind.RESULT_GOAL,
        "Bostedsløshet blant barnefamilier og unge skal forebygges og reduseres.",
        "S",
    ),
]


@transaction.atomic
def ensure_reference_data():
    """Create the role groups, and the actors and goals when there are none yet."""
    for role in Role:
        Group.objects.get_or_create(name=role.value)
    with acting_as(system_user()):
        if not Actor.objects.exists():
            _create_actors()
        if not Goal.objects.exists():
            _create_goals()


def _create_actors():
    for short_name, name, aliases in DIRECTORATES:
        actor = Actor.objects.create(
            short_name=short_name,
            name=name,
            kind=Actor.Kind.DIRECTORATE,
            is_coordinator=short_name == COORDINATOR,
        )
        for alias in aliases:
            ActorAlias.objects.create(actor=actor, name=alias)
    for short_name, name in MINISTRIES:
        Actor.objects.create(short_name=short_name, name=name, kind=Actor.Kind.MINISTRY)
    for name, aliases in OTHER_ACTORS:
        actor = Actor.objects.create(name=name, kind=Actor.Kind.OTHER)
        for alias in aliases:
            ActorAlias.objects.create(actor=actor, name=alias)


def _create_goals():
    created = {}
    for position, (code, kind, title, parent_code) in enumerate(GOALS):
        created[code] = Goal.objects.create(
            code=code, kind=kind, title=title, parent=created.get(parent_code), position=position
        )
