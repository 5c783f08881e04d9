"""PostgreSQL refuses TRUNCATE of the audit log (0003 refused DELETE; row triggers never see TRUNCATE)."""

from django.db import migrations

from gongkai.web.core.triggers import guard_audit_log_truncate


class Migration(migrations.Migration):
    dependencies = [("core", "0003_audit_no_delete_ratecount")]

    operations = [guard_audit_log_truncate()]
