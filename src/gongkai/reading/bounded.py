"""Bounded access to the containers readers open: ZIP members and XML/HTML trees.

A ZIP header may lie about a member's size, so members are read in chunks and counted as they
unpack; a tree is measured for depth in one linear pass before any reader walks it recursively.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator

from lxml import etree

from ..limits import (
    MAX_NESTING,
    MAX_SHEET_CELLS,
    MAX_UNZIPPED_BYTES,
    MAX_XML_BYTES,
    MAX_ZIP_MEMBERS,
    exceeded,
)
from .document import ReadError

CHUNK = 1024 * 1024


def check_archive(archive: zipfile.ZipFile, path: str) -> None:
    """Refuse an archive with too many members or worksheet cells, or members that unpack past the caps.

    Every member is unpacked and thrown away chunk by chunk, so the cost is bounded by
    `MAX_UNZIPPED_BYTES` whatever the headers claim.
    """
    members = archive.infolist()
    if len(members) > MAX_ZIP_MEMBERS:
        raise ReadError(*exceeded(path, "压缩包内的文件数", "number of archive members", MAX_ZIP_MEMBERS))
    total = cells = 0
    for info in members:
        sheet = info.filename.startswith("xl/worksheets/")
        for chunk in _chunks(archive, info, path, MAX_XML_BYTES):
            total += len(chunk)
            if sheet:  # openpyxl makes an object of each cell, at tens of microseconds apiece
                cells += chunk.count(b"<c ") + chunk.count(b"<c>")
                if cells > MAX_SHEET_CELLS:
                    raise ReadError(
                        *exceeded(path, "工作表单元格数", "number of worksheet cells", MAX_SHEET_CELLS)
                    )
            if total > MAX_UNZIPPED_BYTES:
                raise ReadError(
                    *exceeded(
                        path,
                        "压缩包解压后的总大小（字节）",
                        "total unpacked size (bytes)",
                        MAX_UNZIPPED_BYTES,
                    )
                )


def read_member(archive: zipfile.ZipFile, name: str, path: str) -> bytes:
    """A member's bytes, refused once more than `MAX_XML_BYTES` have unpacked."""
    return b"".join(_chunks(archive, archive.getinfo(name), path, MAX_XML_BYTES))


def _chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: str, limit: int) -> Iterator[bytes]:
    size = 0
    with archive.open(info) as member:
        while chunk := member.read(CHUNK):
            size += len(chunk)
            if size > limit:
                raise ReadError(
                    *exceeded(
                        path,
                        f"压缩包成员 {info.filename} 解压后的大小（字节）",
                        f"unpacked size of {info.filename} (bytes)",
                        limit,
                    )
                )
            yield chunk


def check_depth(root: etree._Element, path: str) -> None:
    """Refuse a tree nested deeper than `MAX_NESTING` before it is walked recursively."""
    depth = 0
    for event, _ in etree.iterwalk(root, events=("start", "end")):
        depth += 1 if event == "start" else -1
        if depth > MAX_NESTING:
            raise ReadError(*exceeded(path, "元素嵌套层数", "element nesting depth", MAX_NESTING))
