"""The shared records: the append-only audit log, and the version stamps of the process caches."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(RuntimeError):
    pass


class AuditLogQuerySet(models.QuerySet["AuditLog"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("the audit log is append-only")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("the audit log is append-only")


class AuditLog(models.Model):
    """Who did what, when, to which object, with before and after.

    The object is what changed (an attachment, a template); the subject is the record whose
    history the entry belongs to (the request the attachment was added to), named by type and id
    so the log depends on no app. `agency_id` is the subject's agency, for agency-wide reviews.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, verbose_name=_("操作人")
    )
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    action = models.CharField(_("操作"), max_length=64)
    object_type = models.CharField(_("对象类型"), max_length=64)
    object_id = models.CharField(_("对象编号"), max_length=64)
    subject_type = models.CharField(_("所属记录类型"), max_length=64)
    subject_id = models.CharField(_("所属记录编号"), max_length=64)
    agency_id = models.BigIntegerField(_("机关编号"), null=True, blank=True, db_index=True)
    before = models.JSONField(_("操作前"), null=True, blank=True)
    after = models.JSONField(_("操作后"), null=True, blank=True)

    objects = AuditLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("操作日志")
        verbose_name_plural = _("操作日志")
        ordering = ("at", "id")
        indexes = (
            models.Index(fields=("object_type", "object_id"), name="audit_object"),
            models.Index(fields=("subject_type", "subject_id", "at"), name="audit_subject"),
        )

    def __str__(self) -> str:
        return f"{self.at} {self.action} {self.object_type}#{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("the audit log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("the audit log is append-only")


class Version(models.Model):
    """One watched group of tables; database triggers give `value` a fresh random number whenever
    any of its rows change (see `core.triggers`), so no writer can forget to say so."""

    name = models.CharField(max_length=20, primary_key=True)
    value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}={self.value}"


class RateCount(models.Model):
    """Calls counted for a rate limit in one time window (`ratelimit`), in the database so every
    server process shares the count; rows of past windows are deleted as new ones begin."""

    key = models.CharField(max_length=200, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    expires = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key}={self.count}"
