from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProactiveConfig(AppConfig):
    name = "gongkai.web.proactive"
    label = "proactive"
    verbose_name = _("主动公开")

    def ready(self) -> None:
        from gongkai.web.calendar import effects

        from .calendar_effects import publication_dues_near

        effects.watch(publication_dues_near)
