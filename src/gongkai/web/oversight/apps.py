from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "gongkai.web.oversight"
    label = "oversight"
    verbose_name = _("报告督查")
