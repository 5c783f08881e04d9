"""The ZIP opener refuses what would hurt: bombs, lying headers, escapes, too many members."""

from __future__ import annotations

import io
import zipfile

import pytest

from gongkai.web.core.errors import InvalidInput
from gongkai.web.oversight import zips


def archive(files: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as out:
        for name, data in files.items():
            out.writestr(name, data)
    return buffer.getvalue()


def test_plain_members_are_read_and_hidden_entries_skipped() -> None:
    data = archive({"a/报告.txt": "表三".encode(), ".DS_Store": b"x", "__MACOSX/a/._x": b"y"})
    assert zips.is_zip(data)
    assert [(m.name, m.data) for m in zips.members(data, "z.zip")] == [("a/报告.txt", "表三".encode())]


def test_docx_and_xlsx_are_not_archives_of_reports() -> None:
    assert not zips.is_zip(archive({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"}))
    assert not zips.is_zip(b"not a zip at all")


def test_a_bomb_is_refused_by_its_ratio() -> None:
    bomb = archive({"bomb.txt": b"0" * (3 * 1024 * 1024)})  # ~3 KB compressed
    with pytest.raises(InvalidInput, match="压缩比"):
        zips.members(bomb, "bomb.zip")


def test_a_member_over_its_bound_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    data = archive({"a.txt": b"1" * 5000}, zipfile.ZIP_STORED)
    monkeypatch.setattr(zips, "RATIO_FLOOR", 100)
    monkeypatch.setattr(zips, "MAX_RATIO", 0)
    with pytest.raises(InvalidInput, match="过大"):
        zips.members(data, "a.zip")


def test_a_damaged_member_is_a_clear_error() -> None:
    text = bytes(range(256)) * 40
    data = bytearray(archive({"a.txt": text}))
    start = data.index(b"a.txt") + len("a.txt")
    data[start + 10 : start + 20] = b"\xff" * 10  # inside the compressed stream
    with pytest.raises(InvalidInput, match="损坏"):
        zips.members(bytes(data), "a.zip")


@pytest.mark.parametrize("name", ["../escape.txt", "/etc/passwd", "a/../../b.txt", "C:evil.txt"])
def test_paths_that_escape_are_refused(name: str) -> None:
    with pytest.raises(InvalidInput, match="不安全"):
        zips.members(archive({name: b"x"}), "evil.zip")


def test_too_many_members(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(zips, "MAX_MEMBERS", 3)
    with pytest.raises(InvalidInput, match="过多"):
        zips.members(archive({f"{n}.txt": b"x" for n in range(4)}), "many.zip")
