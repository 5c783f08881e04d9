from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RequestsConfig(AppConfig):
    name = "gongkai.web.requests"
    label = "requests"
    verbose_name = _("依申请公开办理")

    def ready(self) -> None:
        from gongkai.web.calendar import effects

        from .calendar_effects import due_dates_near

        effects.watch(due_dates_near)
