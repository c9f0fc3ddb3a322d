import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

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
        if role == Role.DIRECTORATE and not directorate:
            raise CommandError(_("A directorate user needs --directorate."))
        try:
            user, created = user_provision(
                username=username,
                role=Role(role),
                directorate_name=directorate,
                password=os.environ.get(PASSWORD_VARIABLE) or None,
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        values = {"user": user.username, "role": Role(role).label, "directorate": user.directorate}
        if user.directorate:
            message = (
                _("Created %(user)s: %(role)s (%(directorate)s)")
                if created
                else _("Updated %(user)s: %(role)s (%(directorate)s)")
            )
        else:
            message = (
                _("Created %(user)s: %(role)s") if created else _("Updated %(user)s: %(role)s")
            )
        self.stdout.write(self.style.SUCCESS(message % values))
