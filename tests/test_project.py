"""Project-wide checks: migrations are committed, the system checks pass."""

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration():
    call_command("makemigrations", "--check", "--dry-run", stdout=StringIO())


def test_the_system_checks_pass():
    call_command("check", stdout=StringIO())
