from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarConfig(AppConfig):
    name = "gongkai.web.calendar"
    label = "calendar"
    verbose_name = _("节假日安排")
