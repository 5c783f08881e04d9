"""The database refuses any DELETE of an audit entry (UPDATE is refused since 0001); rate-limit
counts shared by every server process."""

from django.db import migrations, models

from gongkai.web.core.triggers import guard_audit_log_deletes


class Migration(migrations.Migration):
    dependencies = [("core", "0002_session_stamp")]

    operations = [
        guard_audit_log_deletes(),
        migrations.CreateModel(
            name="RateCount",
            fields=[
                ("key", models.CharField(max_length=200, primary_key=True, serialize=False)),
                ("count", models.PositiveIntegerField(default=0)),
                ("expires", models.DateTimeField(db_index=True)),
            ],
        ),
    ]
