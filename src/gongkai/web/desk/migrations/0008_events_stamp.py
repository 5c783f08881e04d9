"""A per-request stamp of its events, kept by triggers on desk_requestevent: any insert, update or
delete of a request's events gives the request a fresh random `events_stamp`, whoever writes (a
service, the demo loader, a shell). The staff lists keep each request's clock under it."""

from typing import Any

from django.db import migrations, models

PG_RANDOM = "floor((random() - 0.5) * 1.8e19)::bigint"  # a random bigint, as in 0004


def sqlite_triggers() -> list[str]:
    bump = "UPDATE desk_request SET events_stamp = random() WHERE id = {row}.request_id;"
    rows = {"insert": ("NEW",), "update": ("OLD", "NEW"), "delete": ("OLD",)}
    return [
        f"CREATE TRIGGER desk_request_events_{op} AFTER {op.upper()} ON desk_requestevent "
        f"BEGIN {' '.join(bump.format(row=row) for row in which)} END"
        for op, which in rows.items()
    ]


def postgresql_triggers() -> list[str]:
    bump = f"UPDATE desk_request SET events_stamp = {PG_RANDOM} WHERE id = {{row}}.request_id;"
    return [
        "CREATE FUNCTION desk_request_events_bump() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"IF TG_OP <> 'INSERT' THEN {bump.format(row='OLD')} END IF; "
        f"IF TG_OP <> 'DELETE' THEN {bump.format(row='NEW')} END IF; "
        "RETURN NULL; END $$",
        "CREATE TRIGGER desk_request_events AFTER INSERT OR UPDATE OR DELETE ON desk_requestevent "
        "FOR EACH ROW EXECUTE FUNCTION desk_request_events_bump()",
        # TRUNCATE has no rows: every request's stamp changes.
        "CREATE FUNCTION desk_request_events_truncated() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"UPDATE desk_request SET events_stamp = {PG_RANDOM}; RETURN NULL; END $$",
        "CREATE TRIGGER desk_request_events_truncate AFTER TRUNCATE ON desk_requestevent "
        "FOR EACH STATEMENT EXECUTE FUNCTION desk_request_events_truncated()",
    ]


def create(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        statements = sqlite_triggers()
    elif vendor == "postgresql":
        statements = postgresql_triggers()
    else:
        raise RuntimeError(f"gongkai supports SQLite and PostgreSQL, not {vendor}")
    for statement in statements:
        schema_editor.execute(statement)


def drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION desk_request_events_bump() CASCADE")
        schema_editor.execute("DROP FUNCTION desk_request_events_truncated() CASCADE")
        return
    for op in ("insert", "update", "delete"):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS desk_request_events_{op}")


class Migration(migrations.Migration):
    dependencies = [
        ("desk", "0007_agency_list_order"),
    ]

    operations = [
        migrations.AddField(
            model_name="request",
            name="events_stamp",
            field=models.BigIntegerField(default=0, editable=False, verbose_name="办理事项版本"),
        ),
        migrations.RunPython(create, drop),
    ]
