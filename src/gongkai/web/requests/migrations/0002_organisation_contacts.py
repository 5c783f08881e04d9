"""An organisation's 法定代表人 (or 负责人) and contact person on each request.

The columns are added with ALTER TABLE ADD COLUMN on both databases: Django's own AddField
rebuilds the table on SQLite, which would break the events-stamp triggers on
requests_requestevent that write to it (and copy a million-row table for two empty columns).
"""

from django.db import migrations, models

TABLE = "requests_request"
COLUMNS = ("contact_person", "legal_representative")


class Migration(migrations.Migration):
    dependencies = [
        ("requests", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f"ALTER TABLE {TABLE} ADD COLUMN {column} varchar(100) NOT NULL DEFAULT ''",
                    f"ALTER TABLE {TABLE} DROP COLUMN {column}",
                )
                for column in COLUMNS
            ],
            state_operations=[
                migrations.AddField(
                    model_name="request",
                    name="contact_person",
                    field=models.CharField(blank=True, max_length=100, verbose_name="联系人"),
                ),
                migrations.AddField(
                    model_name="request",
                    name="legal_representative",
                    field=models.CharField(blank=True, max_length=100, verbose_name="法定代表人或负责人"),
                ),
            ],
        )
    ]
