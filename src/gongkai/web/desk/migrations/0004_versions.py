"""Version stamps kept by triggers: the calendar table, and the directory (agencies, memberships, user
names). Each change writes a fresh random value, never a counter, so a rolled-back change cannot leave
a value behind that a later, different change would repeat."""

from typing import Any

from django.db import migrations, models

WATCHED = {
    "calendar": (("desk_calendarday", ""),),
    "directory": (("desk_agency", ""), ("desk_membership", ""), ("auth_user", "username")),
}


def sqlite_triggers() -> list[str]:
    statements = []
    for name, tables in WATCHED.items():
        for table, column in tables:
            for op in ("INSERT", "UPDATE", "DELETE"):
                event = f"UPDATE OF {column}" if op == "UPDATE" and column else op
                statements.append(
                    f"CREATE TRIGGER desk_version_{table}_{op.lower()} AFTER {event} ON {table} "
                    f"BEGIN UPDATE desk_version SET value = random() WHERE name = '{name}'; END"
                )
    return statements


def postgresql_triggers() -> list[str]:
    statements = [
        "CREATE FUNCTION desk_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "UPDATE desk_version SET value = floor((random() - 0.5) * 1.8e19)::bigint WHERE name = TG_ARGV[0]; "
        "RETURN NULL; END $$"
    ]
    for name, tables in WATCHED.items():
        for table, column in tables:
            update = f"UPDATE OF {column}" if column else "UPDATE"
            statements.append(
                f"CREATE TRIGGER desk_version_{table} AFTER INSERT OR {update} OR DELETE OR TRUNCATE "
                f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION desk_version_bump('{name}')"
            )
    return statements


def create(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        statements = sqlite_triggers()
    elif vendor == "postgresql":
        statements = postgresql_triggers()
    else:
        raise RuntimeError(f"gongkai supports SQLite and PostgreSQL, not {vendor}")
    apps.get_model("desk", "Version").objects.bulk_create(
        [apps.get_model("desk", "Version")(name=name, value=1) for name in WATCHED]
    )
    for statement in statements:
        schema_editor.execute(statement)


def drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION desk_version_bump() CASCADE")
        return
    for tables in WATCHED.values():
        for table, _column in tables:
            for op in ("insert", "update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS desk_version_{table}_{op}")


class Migration(migrations.Migration):
    dependencies = [
        ("desk", "0003_request_list_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="Version",
            fields=[
                ("name", models.CharField(max_length=20, primary_key=True, serialize=False)),
                ("value", models.BigIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(create, drop),
    ]
