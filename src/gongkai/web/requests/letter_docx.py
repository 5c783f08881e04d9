"""An agency's own DOCX letter template (e.g. with its 红头 letterhead): finding and filling `{placeholders}`.

Word splits a paragraph into runs wherever formatting, spell-check marks or editing history change,
so a placeholder typed as `{applicant}` may be stored as `{appl` + `icant}`. Placeholders are
therefore looked for in the joined text of consecutive runs; the value goes into the run where the
placeholder starts (so it keeps that run's font, size, colour and weight) and the other runs only
lose the placeholder's characters. A run holding anything but text (a picture, a field, a page
break) is never rewritten and splits the text around it, so the letterhead's emblem and red line
survive. Body, tables (also nested), text boxes, headers and footers are all filled.
"""

from __future__ import annotations

import io
import re
import zipfile
from bisect import bisect_right
from collections.abc import Iterator, Mapping
from itertools import accumulate
from typing import Any

import docx
from docx.document import Document
from docx.oxml.ns import qn
from docx.oxml.text.run import CT_R
from docx.parts.document import DocumentPart
from docx.parts.hdrftr import FooterPart, HeaderPart

from gongkai.writing.docx import CONTROL

MAX_BYTES = 5 * 1024 * 1024
MAX_UNPACKED = 64 * 1024 * 1024  # a 5 MB zip must not unpack into gigabytes in python-docx
MAIN_PART = "word/document.xml"
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
# Whatever looks like a placeholder, so `{Applicant}` or `{申请人}` is refused on upload rather
# than printed in a letter.
LOOKS_LIKE = re.compile(r"\{\s*\w+\s*\}")

_PARAGRAPH = qn("w:p")
_RUN = qn("w:r")
_BREAK = qn("w:br")
_TEXT_ONLY = frozenset(
    qn(tag)
    for tag in ("w:rPr", "w:t", "w:tab", "w:cr", "w:noBreakHyphen", "w:softHyphen", "w:lastRenderedPageBreak")
)
_NOT_OWN = frozenset((_PARAGRAPH, qn("w:del"), qn("w:moveFrom")))  # nested paragraph or deleted text


# What a letter template must not hold, since Word (or the desk) would fetch, run or parse it:
# a DTD (entity expansion), relationships to outside files (linked pictures, remote templates),
# fields that pull content in (INCLUDEPICTURE, INCLUDETEXT, LINK, DDE), macros and embedded or
# linked foreign content (altChunk, OLE, ActiveX, sub-documents).
HAZARDS: tuple[tuple[re.Pattern[bytes], str], ...] = (
    (re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE), "文档类型声明（DOCTYPE）"),
    (re.compile(rb"TargetMode\s*=\s*[\"']External[\"']", re.IGNORECASE), "指向外部文件或网址的链接内容"),
    (re.compile(rb"vbaProject|vbaData|macroEnabled", re.IGNORECASE), "宏"),
    (re.compile(rb"<w:altChunk\b|<w:subDoc\b|<o:OLEObject\b|activeX", re.IGNORECASE), "嵌入或链接的外部对象"),
)
FIELD_CODE = re.compile(rb"<w:instrText\b[^>]*>([^<]*)<|\bw:instr\s*=\s*\"([^\"]*)\"")
PULLING_FIELD = re.compile(rb"^\s*(INCLUDEPICTURE|INCLUDETEXT|LINK|DDEAUTO|DDE|IMPORT)\b", re.IGNORECASE)
# A plain hyperlink is an external relationship too, but is only followed when clicked: it stays.
HYPERLINK = re.compile(rb"<Relationship\b[^>]*/relationships/hyperlink[\"'][^>]*>")


class NotDocx(ValueError):
    """The bytes are not a Word document that python-docx can open."""


def hazards(data: bytes) -> list[str]:
    """What in the package a letter template must not hold (in Chinese; empty when it is clean).
    Every member is read within the limits `open_docx` enforces."""
    open_docx(data)
    found: dict[str, None] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for member in package.infolist():
            name = member.filename
            if re.search(r"vbaProject|activeX|embeddings/", name, re.IGNORECASE):
                found["宏或嵌入的外部对象"] = None
            if not name.endswith((".xml", ".rels")):
                continue
            text = HYPERLINK.sub(b"", package.read(member))
            for pattern, reason in HAZARDS:
                if pattern.search(text):
                    found[reason] = None
            if any(PULLING_FIELD.match(a or b) for a, b in FIELD_CODE.findall(text)):
                found["引用外部内容的域代码（如 INCLUDEPICTURE）"] = None
    return list(found)


def open_docx(data: bytes) -> Document:
    """The document, after cheap zip checks so a renamed file or a zip bomb is refused early."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            members = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise NotDocx("not a zip file") from error
    if MAIN_PART not in {m.filename for m in members}:
        raise NotDocx(f"no {MAIN_PART}")
    if sum(m.file_size for m in members) > MAX_UNPACKED:
        raise NotDocx("unpacks too large")
    try:
        return docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises many kinds for a broken package
        raise NotDocx(f"python-docx cannot open it: {error}") from error


def placeholders(data: bytes) -> list[str]:
    """Every distinct placeholder-like `{…}` as written, in document order (headers and footers too)."""
    found: dict[str, None] = {}
    for runs in _text_runs(open_docx(data)):
        for match in LOOKS_LIKE.finditer("".join(r.text for r in runs)):
            found[match.group(0)] = None
    return list(found)


def fill(data: bytes, values: Mapping[str, str]) -> bytes:
    """The template with known placeholders replaced; unknown ones stay visible, as in text templates.

    Line breaks in a value (fee lines, supplement items) become line breaks in the run.
    """
    document = open_docx(data)
    clean = {k: CONTROL.sub("", v.replace("\r\n", "\n").replace("\r", "\n")) for k, v in values.items()}
    try:
        for runs in _text_runs(document):
            _fill_runs(runs, clean)
        out = io.BytesIO()
        document.save(out)
    except Exception as error:  # a package python-docx opened but cannot rewrite: one refusal, not a 500
        raise NotDocx(f"cannot fill it: {error}") from error
    return out.getvalue()


def paragraphs(data: bytes) -> tuple[str, ...]:
    """The non-empty paragraphs of the body (tables included), e.g. to show what a letter says."""
    body: Any = open_docx(data).element.body
    texts = (str(p.text).strip() for p in body.iter(_PARAGRAPH))
    return tuple(t for t in texts if t)


def _text_runs(document: Document) -> list[list[CT_R]]:
    """Consecutive text-only runs of every paragraph in the body, headers and footers."""
    package: Any = document.part.package
    chunks: list[list[CT_R]] = []
    for part in package.iter_parts():
        if isinstance(part, DocumentPart | HeaderPart | FooterPart):
            root: Any = part.element
            for paragraph in root.iter(_PARAGRAPH):
                chunks += _paragraph_runs(paragraph)
    return chunks


def _paragraph_runs(paragraph: Any) -> Iterator[list[CT_R]]:
    chunk: list[CT_R] = []
    for run in paragraph.iter(_RUN):
        if not isinstance(run, CT_R) or not _own(run, paragraph):
            continue
        if _text_only(run):
            chunk.append(run)
            continue
        if chunk:
            yield chunk
        chunk = []
    if chunk:
        yield chunk


def _own(run: CT_R, paragraph: Any) -> bool:
    """The run belongs to this paragraph (not a text box inside it) and is not deleted text."""
    for ancestor in run.iterancestors():
        if ancestor is paragraph:
            return True
        if ancestor.tag in _NOT_OWN:
            return False
    return False


def _text_only(run: CT_R) -> bool:
    for child in run:
        if child.tag == _BREAK:
            if child.get(qn("w:type"), "textWrapping") != "textWrapping":
                return False
        elif child.tag not in _TEXT_ONLY:
            return False
    return True


def _fill_runs(runs: list[CT_R], values: Mapping[str, str]) -> None:
    """Replace placeholders right to left, so the offsets of those still to do stay valid."""
    texts = [str(r.text) for r in runs]
    starts = list(accumulate((len(t) for t in texts), initial=0))
    new = list(texts)
    for match in reversed(list(PLACEHOLDER.finditer("".join(texts)))):
        value = values.get(match.group(1))
        if value is None:
            continue
        first = bisect_right(starts, match.start()) - 1
        last = bisect_right(starts, match.end() - 1) - 1
        head = new[first][: match.start() - starts[first]]
        tail = new[last][match.end() - starts[last] :]
        if first == last:
            new[first] = head + value + tail
            continue
        new[first], new[last] = head + value, tail
        for i in range(first + 1, last):
            new[i] = ""
    for run, old, text in zip(runs, texts, new, strict=True):
        if text != old:
            run.text = text
