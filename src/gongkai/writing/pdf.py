"""PDF made by LibreOffice from the DOCX writer's output.

Converting the Word file rather than drawing a second layout means the PDF is page for
page what an agency opens in Word: same merges, margins and fonts. LibreOffice runs
headless and offline, with a private profile in a temporary directory (so it neither
touches nor waits on a user's running office) and a fontconfig file that maps the 公文
fonts, which are rarely installed on servers, to Noto Serif/Sans CJK SC from
fonts-noto-cjk, so the PDF never shows tofu.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from ..report import Report
from . import WriteError
from . import docx as docx_writer

SUFFIX = ".pdf"
TIMEOUT = 180.0  # seconds; a cold LibreOffice start with CJK fonts takes a few seconds
SERIF = "Noto Serif CJK SC"
SANS = "Noto Sans CJK SC"
FONT_MAP = {
    "方正小标宋简体": SERIF,
    "方正小标宋_GBK": SERIF,
    "小标宋": SERIF,
    "仿宋_GB2312": SERIF,
    "仿宋": SERIF,
    "FangSong": SERIF,
    "楷体_GB2312": SERIF,
    "楷体": SERIF,
    "宋体": SERIF,
    "SimSun": SERIF,
    "黑体": SANS,
    "SimHei": SANS,
}


def _fonts_conf() -> str:
    aliases = "".join(
        f'<alias binding="same"><family>{name}</family><prefer><family>{target}</family></prefer></alias>'
        for name, target in FONT_MAP.items()
    )
    return (
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        f'<include ignore_missing="yes">/etc/fonts/fonts.conf</include>{aliases}</fontconfig>'
    )


def soffice() -> str:
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if path is None:
        raise WriteError(
            "无法生成 PDF：未找到 LibreOffice（soffice）。请安装 LibreOffice 和 fonts-noto-cjk，"
            "或改为输出 DOCX 后自行转换。",
            "cannot write PDF: LibreOffice (soffice) is not installed. Install LibreOffice and "
            "fonts-noto-cjk, or write DOCX and convert it yourself.",
        )
    return path


def convert(document: bytes, timeout: float = TIMEOUT) -> bytes:
    """DOCX bytes to PDF bytes through LibreOffice headless."""
    program = soffice()
    with tempfile.TemporaryDirectory(prefix="gongkai-pdf-") as tmp:
        root = Path(tmp)
        source = root / "report.docx"
        source.write_bytes(document)
        conf = root / "fonts.conf"
        conf.write_text(_fonts_conf(), encoding="utf-8")
        env = dict(os.environ, FONTCONFIG_FILE=str(conf), HOME=tmp, SAL_USE_VCLPLUGIN="svp")
        command = [
            program,
            f"-env:UserInstallation={(root / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            tmp,
            str(source),
        ]
        process = subprocess.Popen(
            command,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,  # so a timeout can end LibreOffice's child processes too
        )
        try:
            _, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise WriteError(
                f"LibreOffice 转换 PDF 超时（{timeout:.0f} 秒）",
                f"LibreOffice timed out after {timeout:.0f} s",
            ) from None
        result = root / "report.pdf"
        if process.returncode != 0 or not result.exists():
            detail = stderr.decode("utf-8", "replace").strip()[-500:]
            raise WriteError(
                f"LibreOffice 未能生成 PDF（退出码 {process.returncode}）：{detail}",
                f"LibreOffice did not produce a PDF (exit code {process.returncode}): {detail}",
            )
        return result.read_bytes()


def write(report: Report) -> bytes:
    return convert(docx_writer.write(report))
