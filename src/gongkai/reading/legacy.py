"""Old and open formats (.doc, .wps, .xls, .et, .rtf, .odt, .ods) via LibreOffice, then the DOCX/XLSX reader.

Writing a reader for the binary Word and Excel formats is not worth it for the few reports still
published in them; LibreOffice converts them faithfully, merges included. Each process keeps its
own LibreOffice profile (creating one costs seconds) and runs one conversion at a time, so
concurrent processes never share a profile and a hung conversion is killed after `TIMEOUT`.
"""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import zipfile
from io import BytesIO
from pathlib import Path

from .document import Document, ReadError
from .docx import read_docx
from .sniff import OLE2
from .xlsx import read_xlsx

TIMEOUT = 120  # seconds for one conversion, profile creation included
_lock = threading.Lock()
_profiles: dict[int, Path] = {}  # by process id: a forked child must not reuse its parent's profile


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def read_legacy(data: bytes, path: str) -> Document:
    suffix, target, filters = _kind(data)
    converted = _convert(data, suffix, target, filters)
    return read_xlsx(converted, path) if target == "xlsx" else read_docx(converted, path)


def _kind(data: bytes) -> tuple[str, str, tuple[str | None, ...]]:
    """(input suffix, target format, import filters to try) from the content.

    A recognised format gets its import filter named: left to guess, LibreOffice imports a damaged
    file as plain text and "converts" it into pages of garbage. Word/Excel 95 come second because
    the 97 filters refuse them. Kingsoft .wps/.et files are Word/Excel 97 inside.
    """
    if data.startswith(OLE2):
        if _utf16("EncryptedPackage") in data:
            raise ReadError("文件设置了打开密码，无法读取", "the file is password-protected")
        if _utf16("WordDocument") in data:
            return ".doc", "docx", ("MS Word 97", "MS Word 95")
        if _utf16("Workbook") in data or _utf16("Book\0") in data:
            return ".xls", "xlsx", ("MS Excel 97", "MS Excel 95")
        return ".doc", "docx", (None,)  # Works and other OLE2 writers: let LibreOffice detect
    if data.startswith(b"PK\x03\x04"):
        try:
            mimetype = zipfile.ZipFile(BytesIO(data)).read("mimetype")
        except (zipfile.BadZipFile, KeyError, OSError, EOFError, NotImplementedError, ValueError) as exc:
            raise ReadError(f"ODF 文件已损坏：{exc}", f"ODF file is damaged: {exc}") from exc
        return (".ods", "xlsx", ("calc8",)) if b"spreadsheet" in mimetype else (".odt", "docx", ("writer8",))
    return ".rtf", "docx", ("Rich Text Format",)


def _convert(data: bytes, suffix: str, target: str, filters: tuple[str | None, ...]) -> bytes:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise ReadError(
            "读取 .doc/.wps/.xls/.rtf/.odt 等旧格式文件需要安装 LibreOffice（未找到 soffice 程序）",
            "reading .doc/.wps/.xls/.rtf/.odt files needs LibreOffice (no soffice program found)",
        )
    with tempfile.TemporaryDirectory(prefix="gongkai-convert-") as tmp:
        source = Path(tmp, "report" + suffix)
        source.write_bytes(data)
        result = source.with_suffix("." + target)
        for import_filter in filters:
            with _lock:
                profile = _profile()
                command = [
                    soffice,
                    f"-env:UserInstallation={profile.as_uri()}",
                    *("--headless", "--norestore", "--nologo", "--nolockcheck", "--nodefault"),
                    *([f"--infilter={import_filter}"] if import_filter else []),
                    *("--convert-to", target, "--outdir", tmp, str(source)),
                ]
                _run(command, profile)
            if result.is_file():
                break
        if not result.is_file() or result.stat().st_size == 0:
            if target == "xlsx":
                raise ReadError(
                    "LibreOffice 无法转换此表格文件（文件已损坏，或未安装 LibreOffice Calc 组件）",
                    "LibreOffice could not convert the spreadsheet (damaged, or LibreOffice Calc missing)",
                )
            raise ReadError(
                "LibreOffice 无法转换此文件（文件可能已损坏或不是文档）",
                "LibreOffice could not convert the file (damaged, or not a document)",
            )
        return result.read_bytes()


def _run(command: list[str], profile: Path) -> None:
    """Run soffice in its own process group so that a timeout kills soffice.bin too, not just the wrapper."""
    try:
        process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )
    except OSError as exc:
        raise ReadError(f"无法启动 LibreOffice：{exc}", f"cannot start LibreOffice: {exc}") from exc
    try:
        process.wait(timeout=TIMEOUT)
    except subprocess.TimeoutExpired as exc:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        shutil.rmtree(profile, ignore_errors=True)  # a killed instance may leave the profile locked
        _profiles.pop(os.getpid(), None)
        raise ReadError(
            f"LibreOffice 转换超时（超过 {TIMEOUT} 秒）",
            f"LibreOffice conversion timed out after {TIMEOUT} s",
        ) from exc


def _profile() -> Path:
    pid = os.getpid()
    if pid not in _profiles:
        _profiles[pid] = Path(tempfile.mkdtemp(prefix="gongkai-lo-profile-"))
        atexit.register(shutil.rmtree, _profiles[pid], ignore_errors=True)
    return _profiles[pid]
