from django.db import migrations

from rapportering.records import install_sql, remove_sql


def install(apps, schema_editor):
    for statement in install_sql(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)


def remove(apps, schema_editor):
    for statement in remove_sql(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    """Finalised reports cannot be changed or deleted, not even in SQL (rapportering/records.py)."""

    dependencies = [("rapportering", "0002_yearly_report")]

    operations = [migrations.RunPython(install, remove)]
