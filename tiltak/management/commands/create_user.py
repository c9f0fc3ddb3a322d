import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tiltak.roles import Role
from tiltak.services import user_provision

PASSWORD_VARIABLE = "BOLIG_PASSWORD"


class Command(BaseCommand):
    help = (
        "Create or update a user with a role. The password is read from the environment "
        f"variable {PASSWORD_VARIABLE}; without it, an existing user keeps the password it has."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", metavar="USERNAME")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument(
            "--directorate", metavar="SHORT", help="The directorate's short name (HB, AVdir, …)."
        )

    def handle(self, *args, username, role, directorate, **options):
        try:
            user, created = user_provision(
                username=username,
                role=Role(role),
                directorate_name=directorate,
                password=os.environ.get(PASSWORD_VARIABLE) or None,
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        verb = "Created" if created else "Updated"
        where = f" ({user.directorate})" if user.directorate else ""
        self.stdout.write(self.style.SUCCESS(f"{verb} {user.username}: {role}{where}"))
