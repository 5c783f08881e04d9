"""What an agency's letters tell applicants: 复议机关, 法院, the time limits, how to pay a fee.

The columns are added with ALTER TABLE ADD COLUMN on both databases: Django's own AddField
rebuilds agencies_agency on SQLite and drops the directory-stamp triggers watching it.
"""

from django.db import migrations, models

TABLE = "agencies_agency"
COLUMNS = (
    ("review_body", "varchar(200) NOT NULL DEFAULT ''"),
    ("court", "varchar(200) NOT NULL DEFAULT ''"),
    ("review_days", "smallint NOT NULL DEFAULT 60 CHECK (review_days >= 0)"),
    ("litigation_months", "smallint NOT NULL DEFAULT 6 CHECK (litigation_months >= 0)"),
    ("fee_payment", "text NOT NULL DEFAULT ''"),
)


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0002_directory_stamp"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f"ALTER TABLE {TABLE} ADD COLUMN {column} {kind}",
                    f"ALTER TABLE {TABLE} DROP COLUMN {column}",
                )
                for column, kind in COLUMNS
            ],
            state_operations=[
                migrations.AddField(
                    model_name="agency",
                    name="review_body",
                    field=models.CharField(blank=True, max_length=200, verbose_name="行政复议机关"),
                ),
                migrations.AddField(
                    model_name="agency",
                    name="court",
                    field=models.CharField(blank=True, max_length=200, verbose_name="管辖法院"),
                ),
                migrations.AddField(
                    model_name="agency",
                    name="review_days",
                    field=models.PositiveSmallIntegerField(default=60, verbose_name="申请行政复议期限（日）"),
                ),
                migrations.AddField(
                    model_name="agency",
                    name="litigation_months",
                    field=models.PositiveSmallIntegerField(default=6, verbose_name="提起行政诉讼期限（月）"),
                ),
                migrations.AddField(
                    model_name="agency",
                    name="fee_payment",
                    field=models.TextField(blank=True, verbose_name="信息处理费缴纳方式"),
                ),
            ],
        )
    ]
