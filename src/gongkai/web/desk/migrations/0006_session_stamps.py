"""Stamps for the per-process session and user caches (`desk.sessions`): a new "sessions" stamp
changes on any write to django_session, and the directory stamp now changes on any change to a
user row except `last_login` (which every login writes), not only on a new username."""

from typing import Any

from django.db import migrations

USER_COLUMNS = (
    "username, password, is_superuser, is_staff, is_active, first_name, last_name, email, date_joined"
)


def sqlite(name: str, table: str, op: str, columns: str = "") -> str:
    event = f"UPDATE OF {columns}" if columns else op
    return (
        f"CREATE TRIGGER desk_version_{table}_{op.lower()} AFTER {event} ON {table} "
        f"BEGIN UPDATE desk_version SET value = random() WHERE name = '{name}'; END"
    )


def postgresql(name: str, table: str, columns: str = "") -> str:
    update = f"UPDATE OF {columns}" if columns else "UPDATE"
    return (
        f"CREATE TRIGGER desk_version_{table} AFTER INSERT OR {update} OR DELETE OR TRUNCATE "
        f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION desk_version_bump('{name}')"
    )


def create(apps: Any, schema_editor: Any) -> None:
    apps.get_model("desk", "Version").objects.create(name="sessions", value=1)
    if schema_editor.connection.vendor == "postgresql":
        statements = [
            "DROP TRIGGER desk_version_auth_user ON auth_user",
            postgresql("directory", "auth_user", USER_COLUMNS),
            postgresql("sessions", "django_session"),
        ]
    else:
        statements = [
            "DROP TRIGGER desk_version_auth_user_update",
            sqlite("directory", "auth_user", "UPDATE", USER_COLUMNS),
            *(sqlite("sessions", "django_session", op) for op in ("INSERT", "UPDATE", "DELETE")),
        ]
    for statement in statements:
        schema_editor.execute(statement)


def drop(apps: Any, schema_editor: Any) -> None:
    apps.get_model("desk", "Version").objects.filter(name="sessions").delete()
    if schema_editor.connection.vendor == "postgresql":
        statements = [
            "DROP TRIGGER desk_version_django_session ON django_session",
            "DROP TRIGGER desk_version_auth_user ON auth_user",
            postgresql("directory", "auth_user", "username"),
        ]
    else:
        statements = [
            *(f"DROP TRIGGER desk_version_django_session_{op}" for op in ("insert", "update", "delete")),
            "DROP TRIGGER desk_version_auth_user_update",
            sqlite("directory", "auth_user", "UPDATE", "username"),
        ]
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("desk", "0005_event_later_deadline"),
        ("sessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop)]
