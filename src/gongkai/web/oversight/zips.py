"""Opening an uploaded ZIP of reports without trusting it: a bounded number of members, each and all
of them bounded in size and in compression ratio, names that are plain file names, and reading
that stops at the bound whatever the header claims (a ZIP bomb lies in its header)."""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath

from gongkai.limits import MAX_FILE_BYTES as FILE_LIMIT
from gongkai.web.core.errors import InvalidInput

MAX_ARCHIVE = 256 * 1024 * 1024  # an uploaded archive, before it is opened
MAX_MEMBERS = 2000
MAX_TOTAL = 512 * 1024 * 1024
MAX_RATIO = 100  # uncompressed ÷ compressed, per member
RATIO_FLOOR = 1024 * 1024  # small members may compress better: up to 1 MB passes whatever the ratio
MAX_NAME = 255
CHUNK = 1024 * 1024
SKIPPED_PARTS = ("__MACOSX",)


@dataclass(frozen=True)
class Member:
    name: str
    data: bytes


def is_zip(data: bytes) -> bool:
    """A ZIP that is an archive of files, not a DOCX or XLSX (which are ZIPs too)."""
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return False
    return "[Content_Types].xml" not in names and "mimetype" not in names


def members(data: bytes, archive_name: str) -> list[Member]:
    """The files in the archive, within every limit; anything over a limit refuses the whole archive."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise InvalidInput(
            f"{archive_name}：不是有效的 ZIP 压缩包", f"{archive_name}: not a valid ZIP"
        ) from None
    with archive:
        infos = [i for i in archive.infolist() if not i.is_dir()]
        if len(infos) > MAX_MEMBERS:
            raise InvalidInput(
                f"{archive_name}：压缩包内文件过多（{len(infos)} 个，上限 {MAX_MEMBERS} 个）",
                f"{archive_name}: too many members ({len(infos)} > {MAX_MEMBERS})",
            )
        found: list[Member] = []
        total = 0
        for info in infos:
            name = _safe_name(info.filename, archive_name)
            if name is None:
                continue
            try:
                data = _read(archive, info, archive_name, MAX_TOTAL - total)
            except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as error:
                raise InvalidInput(
                    f"{archive_name}：{name} 已损坏或使用了不支持的压缩方式、加密",
                    f"{archive_name}: {name} is damaged or encrypted ({error})",
                ) from None
            total += len(data)
            found.append(Member(name, data))
    return found


def _safe_name(raw: str, archive_name: str) -> str | None:
    """The member's path inside the archive, or None for a hidden or system entry; refuses escapes."""
    path = PurePosixPath(raw.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or len(raw) > MAX_NAME or ":" in raw:
        raise InvalidInput(
            f"{archive_name}：压缩包内含有不安全的路径（{raw[:80]}）",
            f"{archive_name}: unsafe member path {raw[:80]!r}",
        )
    if any(part.startswith(".") or part in SKIPPED_PARTS for part in path.parts):
        return None
    return str(path)


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, archive_name: str, room: int) -> bytes:
    limit = min(FILE_LIMIT, room, max(info.compress_size * MAX_RATIO, RATIO_FLOOR))
    if info.file_size > limit:
        raise _too_big(info, archive_name)
    out = bytearray()
    with archive.open(info) as stream:
        while chunk := stream.read(CHUNK):
            out += chunk
            if len(out) > limit:  # the header understated the size
                raise _too_big(info, archive_name)
    return bytes(out)


def _too_big(info: zipfile.ZipInfo, archive_name: str) -> InvalidInput:
    return InvalidInput(
        f"{archive_name}：{info.filename} 解压后过大或压缩比异常，已拒绝整个压缩包",
        f"{archive_name}: {info.filename} is too large or too compressed; archive refused",
    )
