"""Masking personal data inside an attachment, where its format allows it: bytes in, bytes out.

- DOCX: the text of the body, headers, footers, footnotes and endnotes lives in `w:t` nodes, which
  Word splits into runs at will; a hit is looked for in the joined text of each paragraph (`w:p`)
  and replaced there: the masked form goes into the node where the hit starts, and the rest of
  the hit leaves the nodes it spans. Every occurrence in the file is masked.
- XLSX: the same over each shared string (`si`) and inline string (`is`). A number typed into a
  cell (a phone number stored as a number) is not text and is not changed here.
- PDF and pictures are refused: a PDF's text is drawn glyph by glyph through its fonts, and
  removing it for good (not just painting over it) needs a redaction engine gongkai does not
  carry; a picture has no text to mask. The reviewer redacts those outside and uploads the file
  again, or accepts the hit with a reason.

A hit that cannot be found in the file's text nodes (a number cell, text split across paragraphs)
is an error naming it, never a silent pass: the caller re-reads the result and checks it is gone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from lxml import etree

from .scrub import NS, ScrubError, dump_xml, kind_of, pack, part_xml, unpack

W = "{" + NS["w"] + "}"
S = "{" + NS["s"] + "}"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# The parts holding text, and per kind: the container the text is joined in, and its text nodes.
DOCX_PARTS = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml")
XLSX_PARTS = re.compile(r"xl/(sharedStrings|worksheets/[^/]+)\.xml")
LAYOUT = {"docx": (DOCX_PARTS, (f"{W}p",), f"{W}t"), "xlsx": (XLSX_PARTS, (f"{S}si", f"{S}is"), f"{S}t")}
NAMES = {"pdf": "PDF 文件", "image": "图片"}


class RedactionError(ValueError):
    """A hit that cannot be masked in this file, with the reason in Chinese and English."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en


def redact_file(data: bytes, replacements: Sequence[tuple[str, str]]) -> bytes:
    """The file with every occurrence of each original text replaced by its masked form."""
    try:
        kind = kind_of(data)
        if kind not in LAYOUT:
            shown = NAMES.get(kind, "此类文件")
            raise RedactionError(
                f"{shown}中的个人信息无法在系统内遮盖：请在原文件中删除或遮盖后重新上传（退回修改），"
                "或说明理由后确认公开",
                f"personal data in a {kind} attachment cannot be masked here: replace the file",
            )
        pattern, containers, text_tag = LAYOUT[kind]
        parts = unpack(data)
        found = dict.fromkeys((original for original, _ in replacements), 0)
        for name in sorted(n for n in parts if pattern.fullmatch(n)):
            root = part_xml(parts, name)
            changed = 0
            for container in (c for tag in containers for c in root.iter(tag)):
                nodes = list(container.iter(text_tag))
                for original, masked in replacements:
                    n = _replace(nodes, original, masked)
                    found[original] += n
                    changed += n
            if changed:
                parts[name] = dump_xml(root)
    except ScrubError as exc:
        raise RedactionError(exc.zh, exc.en) from exc
    missing = [original for original, n in found.items() if not n]
    if missing:
        raise RedactionError(
            "在附件的文字中找不到该处个人信息（可能是数字格式的单元格，或跨段落的文字），无法在系统内遮盖："
            "请在原文件中处理后重新上传，或说明理由后确认公开",
            f"{len(missing)} hit(s) not found in the attachment's text nodes",
        )
    return pack(parts)


def _replace(nodes: list[etree._Element], original: str, masked: str) -> int:
    """Replace each occurrence of `original` in the joined text of `nodes`; how many there were."""
    count, start = 0, 0
    while original:
        texts = [node.text or "" for node in nodes]
        at = "".join(texts).find(original, start)
        if at < 0:
            return count
        end, pos, first = at + len(original), 0, True
        for node, text in zip(nodes, texts, strict=True):
            low, pos = pos, pos + len(text)
            if pos <= at or low >= end:
                continue
            cut_from, cut_to = max(at, low) - low, min(end, pos) - low
            node.text = text[:cut_from] + (masked if first else "") + text[cut_to:]
            if node.tag == f"{W}t":
                node.set(XML_SPACE, "preserve")  # Word drops a run's edge spaces otherwise
            first = False
        count, start = count + 1, at + len(masked)
    return count
