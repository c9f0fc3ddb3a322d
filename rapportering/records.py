"""Database triggers that keep finalised reports as they were made.

The models already refuse to save a finalised report twice; these triggers also stop a
direct UPDATE or DELETE in SQL, on PostgreSQL and on SQLite. Migration 0003 installs them;
a change here needs a new migration.
"""

RECORD_TABLES = ("rapportering_finalreport", "rapportering_finalreportfile")
MESSAGE = "A finalised report is a record and is never changed"

POSTGRESQL_FUNCTION = f"""
CREATE OR REPLACE FUNCTION rapportering_refuse_record_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{MESSAGE} (% on %)', TG_OP, TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
"""


def install_sql(vendor):
    """The statements that create the triggers on `vendor` ("postgresql" or "sqlite")."""
    statements = [POSTGRESQL_FUNCTION] if vendor == "postgresql" else []
    for table in RECORD_TABLES:
        if vendor == "postgresql":
            statements.append(
                f"CREATE TRIGGER {table}_is_a_record BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION rapportering_refuse_record_change();"
            )
        elif vendor == "sqlite":
            statements += [
                f"CREATE TRIGGER {table}_is_a_record_{operation.lower()} "
                f"BEFORE {operation} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{MESSAGE} ({operation} on {table})'); END;"
                for operation in ("UPDATE", "DELETE")
            ]
    return statements


def remove_sql(vendor):
    """The statements that drop the triggers again."""
    if vendor == "postgresql":
        return [
            *(f"DROP TRIGGER IF EXISTS {table}_is_a_record ON {table};" for table in RECORD_TABLES),
            "DROP FUNCTION IF EXISTS rapportering_refuse_record_change();",
        ]
    if vendor == "sqlite":
        return [
            f"DROP TRIGGER IF EXISTS {table}_is_a_record_{operation};"
            for table in RECORD_TABLES
            for operation in ("update", "delete")
        ]
    return []
