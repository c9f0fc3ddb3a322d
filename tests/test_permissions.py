"""The permission matrix: every URL pattern × every role × GET and POST.

The expected answer of each cell is written out below; a URL pattern without a row fails
the suite, so that no page can be added without deciding who may use it.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from rapportering.models import CalendarFeed, Contribution
from tests.factories import PASSWORD, final_report, make_user, measure, occurrence, report_round
from tiltak.models import Actor, User
from tiltak.roles import Role

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "coordinator", "own_directorate", "other_directorate", "reader", "admin"]
SIGN_IN = "login"  # anonymous visitors are sent to sign in

# The occurrence every status URL points at: AVdir leads measure 6 of the 2018–2020 plan.
# "own_directorate" is an AVdir user, "other_directorate" a KDI user.


def actor(short_name):
    return Actor.objects.get(short_name=short_name).pk


READ = {"anonymous": (SIGN_IN, SIGN_IN), **dict.fromkeys(ROLES[1:], (200, 405))}

# Editing plans: editors see the form and save (a valid body, so a redirect); nobody else may.
EDIT = {
    "anonymous": (SIGN_IN, SIGN_IN),
    "coordinator": (200, 302),
    "own_directorate": (403, 403),
    "other_directorate": (403, 403),
    "reader": (403, 403),
    "admin": (200, 302),
}
# Status and report contributions: editors, and the users of the directorate concerned.
OWN_DIRECTORATE = {**EDIT, "own_directorate": (200, 302)}
PLAN_BODY = {
    "title": "Prøveplan",
    "slug": "proveplan",
    "start": "2021-01-01",
    "end": "2021-12-31",
    "source": "Test",
}
SLUG = "handlingsplan-2018-2020"
ENDED_SLUG = "tiltaksplan-2015"

# The yearly report: directorates write their own contributions and read drafts; editors
# compile, finalise and download; readers see finalised versions only.
DRAFTS = {
    "anonymous": (SIGN_IN, SIGN_IN),
    **dict.fromkeys(["coordinator", "own_directorate", "other_directorate", "admin"], (200, 405)),
    "reader": (403, 405),
}
DOWNLOAD = {
    "anonymous": (SIGN_IN, SIGN_IN),
    **dict.fromkeys(["coordinator", "admin"], (200, 405)),
    **dict.fromkeys(["own_directorate", "other_directorate", "reader"], (403, 405)),
}
CONTRIBUTION_BODY = {"status_assessment": "Godt i gang", "deviation_handling": "", "challenges": ""}

# User administration: administrators only.
MANAGE_USERS = {
    "anonymous": (SIGN_IN, SIGN_IN),
    **dict.fromkeys(["coordinator", "own_directorate", "other_directorate", "reader"], (403, 403)),
    "admin": (200, 302),
}


# An address of single sign-on with no provider configured: not found, for everyone.
NO_PROVIDER = dict.fromkeys(ROLES, (404, 404))


def delivered_contribution_url():
    """The return address of AVdir's contribution on measure 6 to report_round(), delivered."""
    round = report_round()
    Contribution.objects.get_or_create(
        round=round,
        measure=measure(),
        directorate_id=actor("AVdir"),
        defaults={
            "status_assessment": "Levert",
            "delivered_at": "2019-08-20T12:00Z",
            "delivered_by": round.opened_by,
            "updated_by": round.opened_by,
        },
    )
    return reverse(
        "rapportering:contribution-return", args=[round.pk, measure().pk, actor("AVdir")]
    )


def other_user():
    """A user for the administrators to change: not the one signed in."""
    return make_user("endres", Role.READER)


# url name: (how to reverse it, the POST body, {role: (GET, POST)})
MATRIX = {
    "plan-create": (lambda: reverse("tiltak:plan-create"), lambda: PLAN_BODY, EDIT),
    "plan-update": (
        lambda: reverse("tiltak:plan-update", args=[SLUG]),
        lambda: {**PLAN_BODY, "slug": SLUG},
        EDIT,
    ),
    "plan-delete": (lambda: reverse("tiltak:plan-delete", args=[SLUG]), dict, EDIT),
    # Closing the ended 2015 plan: an empty body lacks every final status, so the form again.
    "plan-close": (
        lambda: reverse("tiltak:plan-close", args=[ENDED_SLUG]),
        dict,
        {**EDIT, "coordinator": (200, 422), "admin": (200, 422)},
    ),
    "part-create": (
        lambda: reverse("tiltak:part-create", args=[SLUG]),
        lambda: {"code": "Z", "title": "Ny del", "position": 9},
        EDIT,
    ),
    "part-update": (
        lambda: reverse("tiltak:part-update", args=[measure().part_id]),
        lambda: {"code": "1", "title": "Ny tittel", "position": 0},
        EDIT,
    ),
    "part-delete": (lambda: reverse("tiltak:part-delete", args=[measure().part_id]), dict, EDIT),
    "measure-create": (
        lambda: reverse("tiltak:measure-create", args=[SLUG]),
        lambda: {"number": "99", "title": "Nytt tiltak", "part": measure().part_id, "position": 99},
        EDIT,
    ),
    "measure-update": (
        lambda: reverse("tiltak:measure-update", args=[measure().pk]),
        lambda: {
            "number": "6",
            "title": "Læringsprosjekter",
            "part": measure().part_id,
            "position": 5,
        },
        EDIT,
    ),
    "measure-delete": (lambda: reverse("tiltak:measure-delete", args=[measure().pk]), dict, EDIT),
    "responsibility-create": (
        lambda: reverse("tiltak:responsibility-create", args=[measure().pk]),
        lambda: {"actor": actor("KDI"), "role": "contributor", "position": 9},
        EDIT,
    ),
    "responsibility-update": (
        lambda: reverse(
            "tiltak:responsibility-update",
            args=[measure().responsibilities.get(actor__short_name="AVdir").pk],
        ),
        lambda: {"actor": actor("AVdir"), "role": "coordinator", "position": 0},
        EDIT,
    ),
    "responsibility-delete": (
        lambda: reverse(
            "tiltak:responsibility-delete",
            args=[measure().responsibilities.get(actor__short_name="AVdir").pk],
        ),
        dict,
        EDIT,
    ),
    "milestone-create": (
        lambda: reverse("tiltak:milestone-create", args=[measure().pk]),
        lambda: {"text": "Ny milepæl", "due_text": "4. kvartal 2019", "position": 9},
        EDIT,
    ),
    "milestone-update": (
        lambda: reverse("tiltak:milestone-update", args=[occurrence().milestone_id]),
        lambda: {"text": "Invitasjon sendt", "due_text": "1. kvartal 2018", "position": 0},
        EDIT,
    ),
    "milestone-delete": (
        lambda: reverse("tiltak:milestone-delete", args=[occurrence().milestone_id]),
        dict,
        EDIT,
    ),
    "home": (lambda: reverse("home"), dict, READ),
    "plan-list": (lambda: reverse("tiltak:plan-list"), dict, READ),
    "plan-detail": (
        lambda: reverse("tiltak:plan-detail", args=["handlingsplan-2018-2020"]),
        dict,
        READ,
    ),
    "measure-list": (lambda: reverse("tiltak:measure-list"), dict, READ),
    "measure-detail": (lambda: reverse("tiltak:measure-detail", args=[measure().pk]), dict, READ),
    "my-directorate": (lambda: reverse("tiltak:my-directorate"), dict, READ),
    "overview": (lambda: reverse("rapportering:overview"), dict, READ),
    "goal-overview": (lambda: reverse("rapportering:goal-overview"), dict, READ),
    "timeline": (lambda: reverse("rapportering:timeline"), dict, READ),
    "calendar": (
        lambda: reverse("rapportering:calendar"),
        lambda: {"directorate": "AVdir"},
        {
            "anonymous": (SIGN_IN, SIGN_IN),
            "coordinator": (200, 302),
            "own_directorate": (200, 302),
            "other_directorate": (200, 404),  # only its own directorate's calendar
            "reader": (200, 302),
            "admin": (200, 302),
        },
    ),
    "calendar-feed": (
        lambda: CalendarFeed.objects.create(
            user=User.objects.get(username="koordinator"),
            directorate=Actor.objects.get(short_name="AVdir"),
            role=Role.COORDINATOR,
        ).get_absolute_url(),
        dict,
        dict.fromkeys(ROLES, (200, 405)),  # the secret address is the key: no sign-in
    ),
    "occurrence-status": (
        lambda: reverse("tiltak:occurrence-status", args=[occurrence().pk]),
        lambda: {"version": 0, "status": "completed"},
        OWN_DIRECTORATE,
    ),
    "report-rounds": (lambda: reverse("rapportering:report-rounds"), dict, READ),
    "report-round-create": (
        lambda: reverse("rapportering:report-round-create"),
        lambda: {"plan": measure().plan_id, "year": 2020},
        EDIT,
    ),
    "report-round": (lambda: report_round().get_absolute_url(), dict, READ),
    "report-contributions": (
        lambda: reverse("rapportering:report-contributions", args=[report_round().pk]),
        dict,
        DRAFTS,
    ),
    "contribution": (
        lambda: reverse(
            "rapportering:contribution", args=[report_round().pk, measure().pk, actor("AVdir")]
        ),
        lambda: CONTRIBUTION_BODY,
        OWN_DIRECTORATE,
    ),
    # Returning a delivered contribution: coordinators and admins, by POST only.
    "contribution-return": (
        delivered_contribution_url,
        lambda: {"comment": "Mangler vurdering av avvikene"},
        {
            **dict.fromkeys(ROLES, (405, 403)),
            "anonymous": (SIGN_IN, SIGN_IN),
            "coordinator": (405, 302),
            "admin": (405, 302),
        },
    ),
    # Reminders from the round page: coordinators and admins, by POST only.
    "report-remind": (
        lambda: reverse("rapportering:report-remind", args=[report_round().pk]),
        lambda: {"direktorat": "AVdir"},
        {
            **dict.fromkeys(ROLES, (405, 403)),
            "anonymous": (SIGN_IN, SIGN_IN),
            "coordinator": (405, 302),
            "admin": (405, 302),
        },
    ),
    "report-compile": (
        lambda: reverse("rapportering:report-compile", args=[report_round().pk]),
        lambda: {"summary": "Sammendrag", "challenges": "", "challenge_actions": ""},
        EDIT,
    ),
    "report-preview": (
        lambda: reverse("rapportering:report-preview", args=[report_round().pk]),
        dict,
        DRAFTS,
    ),
    "report-finalise": (
        lambda: reverse("rapportering:report-finalise", args=[report_round().pk]),
        dict,
        {**EDIT, "coordinator": (200, 422), "admin": (200, 422)},  # 422: content is missing
    ),
    "report-correct": (
        lambda: reverse("rapportering:report-correct", args=[final_report().round_id]),
        lambda: {"reason": "Feil tall"},
        {**EDIT, "coordinator": (200, 302), "admin": (200, 302)},
    ),
    "report-download": (
        lambda: reverse("rapportering:report-download", args=[report_round().pk, "csv"]),
        dict,
        DOWNLOAD,
    ),
    "final-report": (lambda: final_report().get_absolute_url(), dict, READ),
    "final-report-file": (
        lambda: reverse("rapportering:final-report-file", args=[final_report().pk, "csv"]),
        dict,
        DOWNLOAD,
    ),
    # Recording a version's dispatch to the ministries: those who finalise it.
    "final-report-dispatch": (
        lambda: reverse("rapportering:final-report-dispatch", args=[final_report().pk]),
        lambda: {
            "sent_on": "2019-10-01",
            "recipients": [Actor.objects.get(short_name="KMD", kind=Actor.Kind.MINISTRY).pk],
        },
        EDIT,
    ),
    "user-list": (
        lambda: reverse("tiltak:user-list"),
        dict,
        {**dict.fromkeys(ROLES, (403, 405)), "anonymous": (SIGN_IN, SIGN_IN), "admin": (200, 405)},
    ),
    "user-create": (
        lambda: reverse("tiltak:user-create"),
        lambda: {"username": "ny", "role": "directorate", "directorate": actor("KDI")},
        MANAGE_USERS,
    ),
    "user-update": (
        lambda: reverse("tiltak:user-update", args=[other_user().pk]),
        lambda: {"role": "coordinator"},
        MANAGE_USERS,
    ),
    "user-deactivate": (
        lambda: reverse("tiltak:user-deactivate", args=[other_user().pk]),
        dict,
        MANAGE_USERS,
    ),
    "user-reactivate": (
        lambda: reverse("tiltak:user-reactivate", args=[other_user().pk]),
        dict,
        {**MANAGE_USERS, **dict.fromkeys(ROLES[1:-1], (405, 403)), "admin": (405, 302)},
    ),
    "accessibility": (
        lambda: reverse("tiltak:accessibility"),
        dict,
        dict.fromkeys(ROLES, (200, 405)),
    ),
    "health": (lambda: reverse("tiltak:health"), dict, dict.fromkeys(ROLES, (200, 405))),
    "readiness": (lambda: reverse("tiltak:readiness"), dict, dict.fromkeys(ROLES, (200, 405))),
    # The session's time left, and "Stay signed in": every signed-in user, for their own session.
    "session-status": (lambda: reverse("tiltak:session-status"), dict, READ),
    "session-extend": (
        lambda: reverse("tiltak:session-extend"),
        dict,
        {"anonymous": (SIGN_IN, SIGN_IN), **dict.fromkeys(ROLES[1:], (405, 200))},
    ),
    "login": (
        lambda: reverse("login"),
        lambda: {"username": "x", "password": "y"},
        dict.fromkeys(ROLES, (200, 422)),  # a refused sign-in: the form again, with its error
    ),
    # Every signed-in user changes their own password (a valid body: saved, a redirect).
    "password-change": (
        lambda: reverse("password-change"),
        lambda: {
            "old_password": PASSWORD,
            "new_password1": "Nytt-og-langt-passord-2026",
            "new_password2": "Nytt-og-langt-passord-2026",
        },
        {"anonymous": (SIGN_IN, SIGN_IN), **dict.fromkeys(ROLES[1:], (200, 302))},
    ),
    "password-changed": (lambda: reverse("password-changed"), dict, READ),
    "logout": (
        lambda: reverse("logout"),
        dict,
        {"anonymous": (SIGN_IN, 302), **dict.fromkeys(ROLES[1:], (405, 302))},
    ),
    # Single sign-on: with no provider configured (as here) every SSO address is absent;
    # tests/test_sso.py and tests/e2e/test_sso_journeys.py try them with providers.
    "sso-login": (lambda: reverse("sso-login", args=["default"]), dict, NO_PROVIDER),
    "sso-callback": (lambda: reverse("sso-callback", args=["default"]), dict, NO_PROVIDER),
    "sso-frontchannel-logout": (
        lambda: reverse("sso-frontchannel-logout", args=["default"]),
        dict,
        NO_PROVIDER,
    ),
    # The directorates' organisation numbers (placing Ansattporten sign-ins): administrators.
    "sso-directorates": (
        lambda: reverse("sso-directorates"),
        dict,
        {**dict.fromkeys(ROLES, (403, 405)), "anonymous": (SIGN_IN, SIGN_IN), "admin": (200, 405)},
    ),
    "sso-directorate-org-number": (
        lambda: reverse("sso-directorate-org-number", args=[actor("AVdir")]),
        lambda: {"org_number": "910000002"},
        MANAGE_USERS,
    ),
    "set_language": (
        lambda: reverse("set_language"),
        lambda: {"language": "en", "next": "/"},
        dict.fromkeys(ROLES, (302, 302)),
    ),
    # Two-factor authentication (identity.mfa): one's own methods, for every signed-in user
    # (here with none, and none required); resetting someone's, for administrators.
    "mfa-overview": (lambda: reverse("mfa-overview"), dict, READ),
    # The second step: with nothing to verify, on to where the user was going.
    "mfa-verify": (
        lambda: reverse("mfa-verify"),
        lambda: {"code": "123456"},
        {"anonymous": (SIGN_IN, SIGN_IN), **dict.fromkeys(ROLES[1:], (302, 302))},
    ),
    # Adding an app: its key and QR code, then a code (a wrong one here: the form again).
    "mfa-app-add": (
        lambda: reverse("mfa-app-add"),
        lambda: {"code": "000000"},
        {"anonymous": (SIGN_IN, SIGN_IN), **dict.fromkeys(ROLES[1:], (200, 422))},
    ),
    # The QR code of one's own app being added; none is being added here.
    "mfa-app-qr": (
        lambda: reverse("mfa-app-qr"),
        dict,
        {"anonymous": (SIGN_IN, SIGN_IN), **dict.fromkeys(ROLES[1:], (404, 405))},
    ),
    # Recovery codes go with a method; without one, to the page of methods.
    "mfa-recovery-codes": (
        lambda: reverse("mfa-recovery-codes"),
        dict,
        {"anonymous": (SIGN_IN, SIGN_IN), **dict.fromkeys(ROLES[1:], (302, 302))},
    ),
    # Someone else's app: nobody finds it.
    "mfa-method-remove": (
        lambda: reverse(
            "mfa-method-remove",
            args=["app", TOTPDevice.objects.create(user=other_user(), confirmed=True).pk],
        ),
        dict,
        {"anonymous": (SIGN_IN, SIGN_IN), **dict.fromkeys(ROLES[1:], (404, 404))},
    ),
    # Passkeys: django-otp-webauthn's JSON views, POST only; completing one not begun is 400.
    "mfa-passkey-register-begin": (
        lambda: reverse("mfa-passkey-register-begin"),
        dict,
        {"anonymous": (SIGN_IN, SIGN_IN), **dict.fromkeys(ROLES[1:], (405, 200))},
    ),
    "mfa-passkey-register-complete": (
        lambda: reverse("mfa-passkey-register-complete"),
        dict,
        {"anonymous": (SIGN_IN, SIGN_IN), **dict.fromkeys(ROLES[1:], (405, 400))},
    ),
    "mfa-passkey-verify-begin": (
        lambda: reverse("mfa-passkey-verify-begin"),
        dict,
        {"anonymous": (SIGN_IN, SIGN_IN), **dict.fromkeys(ROLES[1:], (405, 200))},
    ),
    "mfa-passkey-verify-complete": (
        lambda: reverse("mfa-passkey-verify-complete"),
        dict,
        {"anonymous": (SIGN_IN, SIGN_IN), **dict.fromkeys(ROLES[1:], (405, 400))},
    ),
    "user-mfa-reset": (
        lambda: reverse("user-mfa-reset", args=[other_user().pk]),
        dict,
        MANAGE_USERS,
    ),
    "admin:": (
        lambda: reverse("admin:index"),
        dict,
        {
            **{role: ("admin-login", "admin-login") for role in ROLES if role != "admin"},
            "admin": (200, 200),  # the admin index accepts POST
        },
    ),
}


def url_patterns(patterns=None, namespace=""):
    """The name of every URL pattern; the admin's many URLs count as one, "admin:"."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                yield "admin:"
            else:
                yield from url_patterns(pattern.url_patterns, namespace)
        elif isinstance(pattern, URLPattern):
            yield pattern.name or pattern.pattern.describe()


def test_every_url_pattern_has_a_row_in_the_matrix():
    assert set(url_patterns()) == set(MATRIX)


@pytest.fixture
def user_for(request):
    def user(role):
        fixture = {
            "coordinator": "coordinator",
            "own_directorate": "directorate_user",
            "other_directorate": "other_directorate_user",
            "reader": "reader",
            "admin": "admin_user",
        }[role]
        return request.getfixturevalue(fixture)

    return user


CELLS = [(name, role, method) for name in MATRIX for role in ROLES for method in ("GET", "POST")]


@pytest.mark.parametrize(
    ("name", "role", "method"), CELLS, ids=[f"{n}-{r}-{m}" for n, r, m in CELLS]
)
def test_the_matrix(client, seeded_plans, coordinator, user_for, name, role, method):
    url_of, body_of, expected_by_role = MATRIX[name]
    expected = expected_by_role[role][0 if method == "GET" else 1]
    if role != "anonymous":
        client.force_login(user_for(role))
    url = url_of()

    response = client.get(url) if method == "GET" else client.post(url, body_of())

    if expected == SIGN_IN:
        assert response.status_code == 302
        assert response["Location"].startswith(f"{reverse('login')}?next=")
    elif expected == "admin-login":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    else:
        assert response.status_code == expected


@pytest.mark.parametrize(
    "user", ["directorate_user", "other_directorate_user", "reader", "coordinator", "admin_user"]
)
def test_the_work_lists_offer_status_updates_exactly_as_updatable_says(seeded_plans, request, user):
    """`updatable_in_work_of` answers without a query where it can; always as `updatable`."""
    from tiltak.models import Occurrence
    from tiltak.permissions import updatable, updatable_in_work_of

    who = request.getfixturevalue(user)
    avdir = Actor.objects.get(short_name="AVdir")
    rows = list(Occurrence.objects.of_active_plans().concerning(avdir))

    expected = set(
        updatable(who, Occurrence.objects.filter(pk__in=[o.pk for o in rows])).values_list(
            "pk", flat=True
        )
    )
    assert updatable_in_work_of(who, avdir, rows) == expected
    assert expected or user == "reader"
