"""Item 6: letter templates that would fetch, run or parse something are refused at upload; a
template that cannot be composed is one refusal, never a 500; attachments are bounded, allowed
by content, and a rolled-back save leaves no file."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from gongkai.web.core.models import AuditLog
from gongkai.web.requests import letters
from gongkai.web.requests.models import Attachment, LetterKind, LetterTemplate, RequestEvent
from gongkai.web.requests.services import requests as request_services

from .conftest import Tree, day

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _edited(change: Callable[[dict[str, bytes]], None]) -> bytes:
    """The starter DOCX of a receipt with its parts changed by `change`."""
    data = letters.starter_docx(LetterKind.RECEIPT, "{applicant}：您的申请已收到。")
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        parts = {n: package.read(n) for n in package.namelist()}
    change(parts)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, content in parts.items():
            package.writestr(name, content)
    return out.getvalue()


def _doctype(parts: dict[str, bytes]) -> None:
    xml = parts["word/document.xml"]
    head, _, rest = xml.partition(b"?>")
    parts["word/document.xml"] = (
        head + b'?><!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + rest
    )


def _linked_image(parts: dict[str, bytes]) -> None:
    rels = parts["word/_rels/document.xml.rels"]
    link = (
        b'<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/image" Target="http://203.0.113.9/tracker.png" TargetMode="External"/>'
    )
    parts["word/_rels/document.xml.rels"] = rels.replace(b"</Relationships>", link + b"</Relationships>")


def _includepicture(parts: dict[str, bytes]) -> None:
    field = (
        b'<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> '
        b'INCLUDEPICTURE "http://203.0.113.9/x.png" \\d </w:instrText></w:r>'
        b'<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )
    parts["word/document.xml"] = parts["word/document.xml"].replace(b"<w:body>", b"<w:body>" + field)


def _macro(parts: dict[str, bytes]) -> None:
    parts["word/vbaProject.bin"] = b"\xd0\xcf\x11\xe0 macro"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (_doctype, "DOCTYPE"),
        (_linked_image, "外部"),
        (_includepicture, "INCLUDEPICTURE"),
        (_macro, "宏"),
    ],
    ids=["doctype", "linked image", "includepicture", "macro"],
)
def test_unsafe_letter_templates_are_refused_at_upload(
    client: Client, tree: Tree, change: Callable[[dict[str, bytes]], None], reason: str
) -> None:
    client.force_login(tree.head)
    upload = SimpleUploadedFile("红头.docx", _edited(change))
    form = {"agency": tree.street.pk, "kind": "receipt", "outcome": "", "action": "upload", "docx": upload}
    response = client.post("/letters/templates/", form)
    assert response.status_code == 400
    page = response.content.decode()
    assert "不允许的内容" in page and reason in page
    assert not LetterTemplate.objects.exists()


def test_a_clean_template_with_a_hyperlink_is_kept(client: Client, tree: Tree) -> None:
    def hyperlink(parts: dict[str, bytes]) -> None:
        rels = parts["word/_rels/document.xml.rels"]
        link = (
            b'<Relationship Id="rIdH" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            b'relationships/hyperlink" Target="https://www.gov.cn/" TargetMode="External"/>'
        )
        parts["word/_rels/document.xml.rels"] = rels.replace(b"</Relationships>", link + b"</Relationships>")

    client.force_login(tree.head)
    upload = SimpleUploadedFile("红头.docx", _edited(hyperlink))
    form = {"agency": tree.street.pk, "kind": "receipt", "outcome": "", "action": "upload", "docx": upload}
    assert client.post("/letters/templates/", form).status_code == 302
    assert LetterTemplate.objects.get().docx


def test_a_template_that_cannot_be_composed_is_one_refusal_not_a_500(
    client: Client, tree: Tree, new_request: Any
) -> None:
    r = new_request()
    stored = LetterTemplate(agency=tree.street, kind="receipt", outcome="")
    stored.docx.save(
        "broken.docx", ContentFile(_edited(_linked_image)), save=True
    )  # kept from before the check
    client.force_login(tree.handle)
    response = client.post(
        f"/requests/{r.pk}/do/letter/", {"letter-kind": "receipt", "letter-on": day(0).isoformat()}
    )
    assert response.status_code == 400
    assert "DOCX 文书模板无法读取" in response.content.decode()
    assert not Attachment.objects.exists()
    assert not RequestEvent.objects.filter(kind="letter_issued").exists()


def _attach(client: Client, pk: int, name: str, data: bytes) -> int:
    upload = SimpleUploadedFile(name, data)
    response = client.post(f"/requests/{pk}/do/attachment/", {"attachment-file": upload})
    return int(response.status_code)


def test_attachments_are_allowed_by_content_and_bounded(
    client: Client, tree: Tree, new_request: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    r = new_request()
    client.force_login(tree.handle)
    assert _attach(client, r.pk, "scan.pdf", b"<html><script>alert(1)</script></html>") == 400
    assert _attach(client, r.pk, "tool.pdf", b"MZ\x90\x00 an executable") == 400
    assert _attach(client, r.pk, "scan.pdf", b"%PDF-1.7\n a scan") == 302
    assert _attach(client, r.pk, "photo.jpg", b"\x89PNG\r\n\x1a\n a photo") == 302
    monkeypatch.setattr(request_services, "ATTACHMENT_MAX_BYTES", 1024)
    assert _attach(client, r.pk, "big.pdf", b"%PDF-1.7\n" + b"0" * 2048) == 400
    assert Attachment.objects.count() == 2


def test_a_rolled_back_attachment_leaves_no_file(
    tree: Tree, new_request: Any, monkeypatch: pytest.MonkeyPatch, _media: Path
) -> None:
    r = new_request()

    def broken(*args: Any, **kwargs: Any) -> AuditLog:
        raise RuntimeError("the audit entry could not be written")

    monkeypatch.setattr(request_services, "record", broken)
    with pytest.raises(RuntimeError):
        request_services.add_attachment(tree.handle, r, ContentFile(b"%PDF-1.7 x", name="a.pdf"))
    assert not Attachment.objects.exists()
    assert [p for p in _media.rglob("*") if p.is_file()] == []
