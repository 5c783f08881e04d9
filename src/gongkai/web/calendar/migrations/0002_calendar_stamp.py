"""The "calendar" stamp: any change to the calendar table changes it, so every server process
rebuilds its working-day calendar and the clocks kept under it."""

from django.db import migrations

from gongkai.web.core.triggers import watch


class Migration(migrations.Migration):
    dependencies = [
        ("calendar", "0001_initial"),
        ("core", "0001_initial"),
    ]

    operations = [watch("calendar", ("calendar_calendarday", ""))]
