from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    name = "gongkai.web.desk"
    label = "desk"
    verbose_name = _("依申请公开办理")
