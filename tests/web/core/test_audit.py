"""The audit log: append-only, and each entry under the record whose history it belongs to."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.db import DatabaseError, connection, transaction
from django.test import Client

from gongkai.web.agencies import services as agency_services
from gongkai.web.calendar import services as calendar_services
from gongkai.web.core.audit import history
from gongkai.web.core.models import AppendOnlyError, AuditLog
from gongkai.web.requests import selectors, services

from ..conftest import NewRequest, Tree, day


def test_audit_log_is_append_only(tree: Tree, new_request: NewRequest) -> None:
    new_request()
    entry = AuditLog.objects.get()
    entry.action = "forged"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditLog.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditLog.objects.update(action="forged")
    assert AuditLog.objects.get().action == "request.register"


def test_entries_name_their_subject_and_its_agency(tree: Tree, new_request: NewRequest) -> None:
    """An attachment's entry belongs to its request's history; the log needs no foreign key to it."""
    request = new_request()
    attachment = services.add_attachment(tree.handle, request, ContentFile(b"%PDF-1.4", name="a.pdf"), "材料")
    entry = AuditLog.objects.get(action="attachment.add")
    assert (entry.object_type, entry.object_id) == ("requests.attachment", str(attachment.pk))
    assert (entry.subject_type, entry.subject_id) == ("requests.request", str(request.pk))
    assert entry.agency_id == tree.street.pk
    assert [e.action for e in history(request)] == ["request.register", "attachment.add"]
    assert not history(new_request()).filter(action="attachment.add").exists()


def test_directory_and_calendar_entries_carry_their_own_agency_or_none(tree: Tree) -> None:
    agency = agency_services.create_agency(
        tree.admin, "示例市交通运输局", "jt", "department", "department", tree.city
    )
    created = AuditLog.objects.get(action="agency.create")
    assert (created.subject_type, created.subject_id, created.agency_id) == (
        "agencies.agency",
        str(agency.pk),
        agency.pk,
    )
    agency_services.add_membership(tree.admin, tree.handle, agency, "handle")
    assert AuditLog.objects.get(action="membership.add").agency_id == agency.pk
    calendar_services.set_calendar_day(tree.admin, date(2025, 3, 10), False, "临时休息日")
    assert AuditLog.objects.get(action="calendar.set").agency_id is None  # the calendar is national


def test_the_request_page_shows_the_whole_history(
    client: Client, tree: Tree, new_request: NewRequest
) -> None:
    """Entries about the request and about its attachment, in order, under the page's 操作日志."""
    request = new_request()
    services.add_attachment(tree.handle, request, ContentFile(b"%PDF-1.4", name="a.pdf"), "材料")
    services.answer(tree.approve, request, "disclosed", "第三十六条", day(5))
    client.force_login(tree.handle)
    page = client.get(f"/requests/{request.pk}/").content.decode()
    log = page[page.index('id="audit-heading"') :]
    labels = [label for label in re.findall(r'<th scope="row">([^<]+)</th>', log)]
    assert labels == ["登记申请", "上传附件", "答复"]
    assert list(selectors.audit_log(tree.outsider, request)) == []


def test_the_database_refuses_to_update_an_entry(tree: Tree, new_request: NewRequest) -> None:
    """Not only the model: plain SQL cannot rewrite history either."""
    new_request()
    entry = AuditLog.objects.get()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditlog SET action = 'forged' WHERE id = %s", [entry.pk])
    assert AuditLog.objects.get().action == "request.register"
