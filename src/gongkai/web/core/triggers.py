"""The database triggers behind the version stamps (`versions`), for the migrations of each app.

Any change to a watched table gives its stamp a fresh random value, never a counter, so a
rolled-back change cannot leave a value behind that a later, different change would repeat; and
since the database does it, no writer (a service, the demo loader, a shell) can forget to. The
app that owns a table watches it in a migration of its own, so the core depends on no app.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import migrations

VERSION_TABLE = "core_version"
PG_RANDOM = "floor((random() - 0.5) * 1.8e19)::bigint"  # a random bigint; SQLite's random() is one
PG_BUMP = "core_version_bump"

# A watched table, and the columns whose update counts ("" for all).
Watched = tuple[str, str]


def bump_function() -> str:
    """PostgreSQL: the one trigger function, taking the stamp's name as its argument."""
    return (
        f"CREATE FUNCTION {PG_BUMP}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"UPDATE {VERSION_TABLE} SET value = {PG_RANDOM} WHERE name = TG_ARGV[0]; "
        "RETURN NULL; END $$"
    )


def create_statements(vendor: str, name: str, table: str, columns: str = "") -> list[str]:
    """The triggers that bump stamp `name` on any insert, delete (and truncate) of `table`, and on
    any update of `columns` (all columns when empty)."""
    update = f"UPDATE OF {columns}" if columns else "UPDATE"
    if vendor == "postgresql":
        return [
            f"CREATE TRIGGER version_{table} AFTER INSERT OR {update} OR DELETE OR TRUNCATE "
            f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION {PG_BUMP}('{name}')"
        ]
    if vendor == "sqlite":
        return [
            f"CREATE TRIGGER version_{table}_{op.lower()} AFTER {update if op == 'UPDATE' else op} "
            f"ON {table} BEGIN UPDATE {VERSION_TABLE} SET value = random() WHERE name = '{name}'; END"
            for op in ("INSERT", "UPDATE", "DELETE")
        ]
    raise RuntimeError(f"gongkai supports SQLite and PostgreSQL, not {vendor}")


def drop_statements(vendor: str, table: str) -> list[str]:
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS version_{table} ON {table}"]
    return [f"DROP TRIGGER IF EXISTS version_{table}_{op}" for op in ("insert", "update", "delete")]


def watch(name: str, *tables: Watched) -> migrations.RunPython:
    """A migration operation: the stamp `name` (starting at 1) and its triggers on `tables`."""

    def create(apps: Any, schema_editor: Any) -> None:
        vendor = schema_editor.connection.vendor
        apps.get_model("core", "Version").objects.update_or_create(name=name, defaults={"value": 1})
        for table, columns in tables:
            for statement in create_statements(vendor, name, table, columns):
                schema_editor.execute(statement)

    def drop(apps: Any, schema_editor: Any) -> None:
        vendor = schema_editor.connection.vendor
        for table, _columns in tables:
            for statement in drop_statements(vendor, table):
                schema_editor.execute(statement)
        apps.get_model("core", "Version").objects.filter(name=name).delete()

    return migrations.RunPython(create, drop)


def install_bump_function() -> migrations.RunPython:
    """A migration operation: PostgreSQL's trigger function (SQLite triggers carry their SQL inline)."""

    def create(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(bump_function())

    def drop(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP FUNCTION {PG_BUMP}() CASCADE")

    return migrations.RunPython(create, drop)


AUDIT_TABLE = "core_auditlog"


def guard_audit_log() -> migrations.RunPython:
    """A migration operation: the database refuses any UPDATE of an audit entry, whoever writes
    (the model and its queryset refuse updates and deletes already; deletes stay possible in SQL,
    which emptying a test database needs)."""

    def create(apps: Any, schema_editor: Any) -> None:
        message = "the audit log is append-only"
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                "CREATE FUNCTION core_auditlog_refuse_update() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f"BEGIN RAISE EXCEPTION '{message}'; END $$"
            )
            schema_editor.execute(
                f"CREATE TRIGGER core_auditlog_no_update BEFORE UPDATE ON {AUDIT_TABLE} "
                "FOR EACH ROW EXECUTE FUNCTION core_auditlog_refuse_update()"
            )
        else:
            schema_editor.execute(
                f"CREATE TRIGGER core_auditlog_no_update BEFORE UPDATE ON {AUDIT_TABLE} "
                f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
            )

    def drop(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute("DROP FUNCTION core_auditlog_refuse_update() CASCADE")
        else:
            schema_editor.execute("DROP TRIGGER IF EXISTS core_auditlog_no_update")

    return migrations.RunPython(create, drop)


AUDIT_DELETE_MESSAGE = "the audit log is append-only: entries are never deleted"


def audit_delete_guard(vendor: str) -> list[str]:
    """The statements that make the database refuse any DELETE of an audit entry."""
    if vendor == "postgresql":
        return [
            "CREATE FUNCTION core_auditlog_refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN RAISE EXCEPTION '{AUDIT_DELETE_MESSAGE}'; END $$",
            f"CREATE TRIGGER core_auditlog_no_delete BEFORE DELETE ON {AUDIT_TABLE} "
            "FOR EACH ROW EXECUTE FUNCTION core_auditlog_refuse_delete()",
        ]
    return [
        f"CREATE TRIGGER core_auditlog_no_delete BEFORE DELETE ON {AUDIT_TABLE} "
        f"BEGIN SELECT RAISE(ABORT, '{AUDIT_DELETE_MESSAGE}'); END"
    ]


def audit_delete_unguard(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return ["DROP FUNCTION IF EXISTS core_auditlog_refuse_delete() CASCADE"]
    return ["DROP TRIGGER IF EXISTS core_auditlog_no_delete"]


def _statements(make: Callable[[str], list[str]], unmake: Callable[[str], list[str]]) -> migrations.RunPython:
    """A migration operation running the vendor's statements of `make`, reversed by `unmake`'s."""

    def create(apps: Any, schema_editor: Any) -> None:
        for statement in make(schema_editor.connection.vendor):
            schema_editor.execute(statement)

    def drop(apps: Any, schema_editor: Any) -> None:
        for statement in unmake(schema_editor.connection.vendor):
            schema_editor.execute(statement)

    return migrations.RunPython(create, drop)


def guard_audit_log_deletes() -> migrations.RunPython:
    """A migration operation: the database refuses any DELETE of an audit entry, whoever writes.

    Only a test database is ever emptied, and its teardown drops the guard around the flush and
    makes it again (tests/conftest.py); a production database has no way around it short of a
    migration.
    """
    return _statements(audit_delete_guard, audit_delete_unguard)


def audit_truncate_guard(vendor: str) -> list[str]:
    """PostgreSQL: the statements that make the database refuse TRUNCATE of the audit log, which
    row triggers never see. SQLite has no TRUNCATE (its `DELETE FROM` meets the delete guard)."""
    if vendor != "postgresql":
        return []
    return [
        "CREATE FUNCTION core_auditlog_refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN RAISE EXCEPTION '{AUDIT_DELETE_MESSAGE}'; END $$",
        f"CREATE TRIGGER core_auditlog_no_truncate BEFORE TRUNCATE ON {AUDIT_TABLE} "
        "FOR EACH STATEMENT EXECUTE FUNCTION core_auditlog_refuse_truncate()",
    ]


def audit_truncate_unguard(vendor: str) -> list[str]:
    if vendor != "postgresql":
        return []
    return ["DROP FUNCTION IF EXISTS core_auditlog_refuse_truncate() CASCADE"]


def guard_audit_log_truncate() -> migrations.RunPython:
    """A migration operation: PostgreSQL refuses TRUNCATE of the audit log, whoever runs it (the test
    database's flush drops the guard around it and makes it again, as for deletes)."""
    return _statements(audit_truncate_guard, audit_truncate_unguard)
