"""The agency tree and who works where in which role."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

PATH_DIGITS = 6  # one path segment per level: "000001.000003.000012."


class Level(models.TextChoices):
    PROVINCE = "province", _("省")
    CITY = "city", _("市")
    COUNTY = "county", _("县区")
    DEPARTMENT = "department", _("部门")
    TOWNSHIP = "township", _("乡镇街道")


class AgencyKind(models.TextChoices):
    GOVERNMENT = "government", _("人民政府")
    DEPARTMENT = "department", _("政府部门")
    TOWNSHIP = "township", _("乡镇人民政府、街道办事处")


class Agency(models.Model):
    """An agency that receives requests and reports. `path` is the materialised path of pks.

    Subtrees are one indexed prefix query (`path__startswith`), which a roll-up over 500
    agencies and the 督查 scope both need on every page.
    """

    name = models.CharField(_("名称"), max_length=200)
    code = models.CharField(_("代码"), max_length=64, unique=True)
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices)
    kind = models.CharField(_("类型"), max_length=16, choices=AgencyKind.choices)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("上级机关")
    )
    path = models.CharField(_("路径"), max_length=255, unique=True, editable=False)

    # What the agency's letters tell applicants (`requests.letters`): where and within what time a
    # 答复书 may be challenged, and how an information processing fee is paid.
    review_body = models.CharField(_("行政复议机关"), max_length=200, blank=True)
    court = models.CharField(_("管辖法院"), max_length=200, blank=True)
    review_days = models.PositiveSmallIntegerField(_("申请行政复议期限（日）"), default=60)
    litigation_months = models.PositiveSmallIntegerField(_("提起行政诉讼期限（月）"), default=6)
    fee_payment = models.TextField(_("信息处理费缴纳方式"), blank=True)

    class Meta:
        verbose_name = _("机关")
        verbose_name_plural = _("机关")
        ordering = ("path",)

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return self.path.count(".")

    def subtree(self) -> models.QuerySet[Agency]:
        """This agency and everything below it."""
        return Agency.objects.filter(path__startswith=self.path)

    def ancestors(self) -> models.QuerySet[Agency]:
        """This agency and everything above it, root first."""
        segment = PATH_DIGITS + 1
        prefixes = [self.path[: i + segment] for i in range(0, len(self.path), segment)]
        return Agency.objects.filter(path__in=prefixes)

    @staticmethod
    def make_path(parent: Agency | None, pk: int) -> str:
        return f"{parent.path if parent else ''}{pk:0{PATH_DIGITS}d}."


class Role(models.TextChoices):
    REGISTER = "register", _("登记")
    HANDLE = "handle", _("承办")
    APPROVE_ANSWER = "approve_answer", _("审核")
    APPROVE_EXTENSION = "approve_extension", _("负责人")
    SUPERVISE = "supervise", _("督查")
    ADMIN = "admin", _("管理员")


# Roles that reach the whole subtree below the member agency; the others stay on it.
SUBTREE_ROLES = frozenset({Role.SUPERVISE, Role.ADMIN})


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="memberships", verbose_name=_("用户")
    )
    agency = models.ForeignKey(Agency, models.CASCADE, related_name="memberships", verbose_name=_("机关"))
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)

    class Meta:
        verbose_name = _("岗位")
        verbose_name_plural = _("岗位")
        constraints = (models.UniqueConstraint(fields=("user", "agency", "role"), name="membership_unique"),)

    def __str__(self) -> str:
        return f"{self.user} @ {self.agency} ({self.get_role_display()})"
