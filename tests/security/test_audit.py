"""Item 8: the audit log is append-only in the database itself, reads of personal data are
logged, and errors go to a rotating log file."""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.db import DatabaseError, connection, transaction
from django.test import Client

from gongkai.web.core.models import AuditLog
from gongkai.web.requests import services

from .conftest import Tree

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "statement",
    ["UPDATE core_auditlog SET action = 'forged'", "DELETE FROM core_auditlog"],
    ids=["update", "delete"],
)
def test_the_database_refuses_to_change_or_delete_an_entry(new_request: Any, statement: str) -> None:
    new_request()
    before = list(AuditLog.objects.values_list("pk", "action"))
    assert before
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as c:
        c.execute(statement)
    assert list(AuditLog.objects.values_list("pk", "action")) == before


def test_postgresql_refuses_to_truncate_the_log(new_request: Any) -> None:
    """Row triggers never see TRUNCATE; a statement trigger refuses it (SQLite has no TRUNCATE)."""
    new_request()
    before = list(AuditLog.objects.values_list("pk", "action"))
    postgres = connection.vendor == "postgresql"
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as c:
        if postgres:  # the test's own transaction holds deferred key checks, which TRUNCATE would refuse
            c.execute("SET CONSTRAINTS ALL IMMEDIATE")
        c.execute("TRUNCATE core_auditlog" if postgres else "DELETE FROM core_auditlog")
    assert list(AuditLog.objects.values_list("pk", "action")) == before


def test_views_and_downloads_of_personal_data_are_logged(
    client: Client, tree: Tree, new_request: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    r = new_request()
    kept = services.add_attachment(tree.handle, r, ContentFile(b"%PDF-1.4 x", name="id.pdf"), "身份证复印件")
    client.force_login(tree.handle)
    client.get(f"/requests/{r.pk}/")
    response = client.get(f"/requests/{r.pk}/attachments/{kept.pk}/")
    assert response.status_code == 200
    viewed = AuditLog.objects.get(action="request.view_personal_data")
    assert viewed.actor_id == tree.handle.pk and viewed.subject_id == str(r.pk)
    downloaded = AuditLog.objects.get(action="attachment.download")
    assert downloaded.object_id == str(kept.pk) and downloaded.subject_id == str(r.pk)
    # 督查 sees the page masked: nothing personal was seen, so nothing is logged as seen.
    client.force_login(tree.supervise)
    client.get(f"/requests/{r.pk}/")
    assert AuditLog.objects.filter(action="request.view_personal_data").count() == 1


def test_errors_go_to_a_rotating_log_file_with_tracking_codes_masked() -> None:
    handlers = [h for h in logging.getLogger("django.request").handlers if isinstance(h, RotatingFileHandler)]
    assert handlers, "django.request logs to a rotating file"
    handler = handlers[0]
    assert handler.maxBytes > 0 and handler.backupCount > 0
    logging.getLogger("django.request").error("Internal Server Error: %s", "/public/track/SECRETCODE123/")
    handler.flush()
    tail = Path(handler.baseFilename).read_text(encoding="utf-8")[-2000:]
    assert "Internal Server Error: /public/track/***/" in tail
    assert "SECRETCODE123" not in tail
