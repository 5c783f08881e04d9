"""The "sessions" stamp: any write to django_session changes it, so every server process drops its
kept sessions (`core.sessions`) after a login or logout anywhere."""

from django.db import migrations

from gongkai.web.core.triggers import watch


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("sessions", "0001_initial"),
    ]

    operations = [watch("sessions", ("django_session", ""))]
