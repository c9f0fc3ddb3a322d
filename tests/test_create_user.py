"""python manage.py create_user: provisioning users with a role."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from tiltak.roles import Role, role_of


def sign_in_request():
    """Sign-in is checked by django-axes, which needs the request it comes with."""
    return RequestFactory().post("/login/")


pytestmark = pytest.mark.django_db
User = get_user_model()
GOOD_PASSWORD = "Et-godt-passord-2026"


def create_user(*args):
    out = StringIO()
    call_command("create_user", *args, stdout=out)
    return out.getvalue()


def test_creates_a_directorate_user_with_the_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("BOLIG_PASSWORD", GOOD_PASSWORD)

    output = create_user("kari", "--role", "directorate", "--directorate", "NAV")

    user = User.objects.get(username="kari")
    assert "Opprettet kari: Direktoratsbruker (AVdir)" in output
    assert role_of(user) == Role.DIRECTORATE
    assert user.directorate.short_name == "AVdir"
    assert authenticate(sign_in_request(), username="kari", password=GOOD_PASSWORD) == user
    assert user.history.first().history_user.username == "system"


def test_updates_the_role_and_keeps_the_password_when_none_is_given(monkeypatch):
    monkeypatch.setenv("BOLIG_PASSWORD", GOOD_PASSWORD)
    create_user("kari", "--role", "directorate", "--directorate", "Bufdir")
    monkeypatch.delenv("BOLIG_PASSWORD")

    output = create_user("kari", "--role", "reader")

    user = User.objects.get(username="kari")
    assert "Oppdaterte kari: Leser" in output
    assert role_of(user) == Role.READER
    assert user.directorate is None
    assert list(user.groups.values_list("name", flat=True)) == ["reader"]
    assert authenticate(sign_in_request(), username="kari", password=GOOD_PASSWORD) == user


def test_an_admin_is_staff_and_a_coordinator_belongs_to_husbanken(monkeypatch):
    monkeypatch.setenv("BOLIG_PASSWORD", GOOD_PASSWORD)
    create_user("sjef", "--role", "admin")
    create_user("koord", "--role", "coordinator")

    assert User.objects.get(username="sjef").is_staff
    coordinator = User.objects.get(username="koord")
    assert not coordinator.is_staff
    assert coordinator.directorate.short_name == "HB"


@pytest.mark.parametrize(
    ("args", "password", "message"),
    [
        (["ny", "--role", "reader"], None, "må ha et passord"),
        (["ny", "--role", "directorate"], GOOD_PASSWORD, "må ha --directorate"),
        (
            ["ny", "--role", "directorate", "--directorate", "Skatteetaten"],
            GOOD_PASSWORD,
            "Ukjent direktorat",
        ),
        (
            ["ny", "--role", "directorate", "--directorate", "KMD"],
            GOOD_PASSWORD,
            "Ukjent direktorat",
        ),
        (["ny", "--role", "reader"], "123", "for kort|too short"),  # Django has no nb text for it
    ],
)
def test_bad_input_is_refused_and_creates_nobody(monkeypatch, args, password, message):
    if password:
        monkeypatch.setenv("BOLIG_PASSWORD", password)
    else:
        monkeypatch.delenv("BOLIG_PASSWORD", raising=False)

    with pytest.raises(CommandError, match=message):
        create_user(*args)
    assert not User.objects.filter(username="ny").exists()


def test_an_unknown_role_is_refused():
    with pytest.raises(CommandError, match="invalid choice"):
        create_user("ny", "--role", "owner")


def test_seed_demo_is_safe_to_run_twice(db):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    call_command("seed_demo", stdout=out)

    assert User.objects.filter(groups__name="directorate").count() == 6
    assert User.objects.get(username="koordinator").groups.get().name == "coordinator"
    assert "er allerede oppdatert" in out.getvalue()
