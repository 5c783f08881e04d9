"""The "directory" stamp: any change to agencies, memberships, or a user row except `last_login`
(which every login writes) changes it, so every server process drops its kept grants, scopes,
filter choices and users (`core.versions`)."""

from django.db import migrations

from gongkai.web.core.triggers import watch

USER_COLUMNS = (
    "username, password, is_superuser, is_staff, is_active, first_name, last_name, email, date_joined"
)


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0001_initial"),
        ("core", "0001_initial"),
        # The last of auth's own migrations: on SQLite, altering auth_user rebuilds the table
        # and drops its triggers, so they are made after every such change.
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        watch(
            "directory",
            ("agencies_agency", ""),
            ("agencies_membership", ""),
            ("auth_user", USER_COLUMNS),
        )
    ]
