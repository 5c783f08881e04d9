"""Appeals (行政复议, 行政诉讼) about a request: they fill table 四."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction

from gongkai.web.agencies.permissions import require
from gongkai.web.core import checks as check
from gongkai.web.core.audit import record, snapshot
from gongkai.web.core.errors import Conflict, InvalidInput

from ..models import Appeal, AppealKind, AppealResult, Request

User = AbstractBaseUser | AnonymousUser


def file_appeal(actor: User, request: Request, kind: str, filed_on: date | str, note: str = "") -> Appeal:
    require(actor, "handle", request, "登记行政复议、行政诉讼")
    appeal = Appeal(
        request=request,
        kind=check.choice(kind, AppealKind.values, "类型"),
        filed_on=check.as_date(filed_on, "提起日期"),
        note=check.text(note, "备注", required=False),
    )
    if appeal.filed_on < request.received_on:
        raise InvalidInput("提起日期早于收到申请日期", "appeal filed before the request was received")
    with transaction.atomic():
        if Request.objects.select_for_update().get(pk=request.pk).is_open:  # the stored state decides
            raise Conflict("申请尚未办结，不能登记行政复议、行政诉讼", "the request is still open")
        appeal.save()
        record(actor, "appeal.file", appeal, None, snapshot(appeal), subject=request)
    return appeal


def decide_appeal(actor: User, appeal: Appeal, result: str, decided_on: date | str) -> Appeal:
    """Record the result (维持/纠正/其他); an undecided appeal counts as 尚未审结."""
    require(actor, "handle", appeal.request, "登记复议、诉讼结果")
    outcome = check.choice(result, AppealResult.values, "结果")
    decided = check.as_date(decided_on, "审结日期")
    with transaction.atomic():
        locked = Appeal.objects.select_for_update().get(pk=appeal.pk)
        if locked.result is not None:
            raise Conflict("该案件已审结", "the appeal is already decided")
        if decided < locked.filed_on:
            raise InvalidInput("审结日期早于提起日期", "decided before it was filed")
        before = snapshot(locked)
        locked.result, locked.decided_on = outcome, decided
        locked.save(update_fields=("result", "decided_on"))
        record(actor, "appeal.decide", locked, before, snapshot(locked), subject=appeal.request)
    return locked
