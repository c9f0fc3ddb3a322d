import os
import secrets

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from tiltak.reference import COORDINATOR, DIRECTORATES
from tiltak.roles import Role
from tiltak.services import user_provision


def demo_users():
    """(username, role, directorate): a coordinator, a user per directorate, a reader, an admin."""
    yield "koordinator", Role.COORDINATOR, COORDINATOR
    for short_name, _name, _aliases in DIRECTORATES:
        yield short_name.lower(), Role.DIRECTORATE, short_name
    yield "leser", Role.READER, None
    yield "admin", Role.ADMIN, None


class Command(BaseCommand):
    help = (
        "Import the plans in fixtures/ and (re)create the demo users with new passwords, "
        "printed here (or DEMO_PASSWORD for all). Safe to run again. Not for production."
    )

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("seed_demo creates users with known passwords: not in production.")
        fixtures = sorted(str(path) for path in (settings.BASE_DIR / "fixtures").glob("*.yaml"))
        call_command("import_plan", *fixtures, stdout=self.stdout, stderr=self.stderr)

        shared_password = os.environ.get("DEMO_PASSWORD")
        rows = []
        for username, role, directorate in demo_users():
            password = shared_password or secrets.token_urlsafe(9)
            user_provision(
                username=username, role=role, directorate_name=directorate, password=password
            )
            rows.append((username, role.label, directorate or "", password))

        self.stdout.write("\nDemo users (passwords are new on every run):")
        self.stdout.write(f"  {'user':<12} {'role':<18} {'directorate':<12} password")
        for username, role, directorate, password in rows:
            self.stdout.write(f"  {username:<12} {role!s:<18} {directorate:<12} {password}")
        self.stdout.write("")
