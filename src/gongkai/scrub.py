"""Metadata removal for published attachments: bytes in, bytes out, and a list of what went.

A published file must carry its content and nothing about who made it or how: no author or
company, no comments, no revision history, no camera or GPS data. What each kind loses:

- DOCX and XLSX (one OPC package code path, zip and lxml): the core properties are blanked; the
  custom properties, the thumbnail (a picture of the unredacted first page), customXml data,
  comments with their people, threaded comments and the comment drawings, and the link to the
  author's template go; references to removed parts go with them; Word's revision-session ids
  (rsid), document variables, and Excel's record of the folder the workbook was saved from go;
  embedded JPEG/PNG pictures are scrubbed as images. Tracked changes are refused, not resolved:
  accepting or rejecting them is an editorial decision, and deleted text left in the package is
  exactly the leak this module exists to stop. The message tells the reviewer to accept or reject
  all changes in Word and upload again.
  openpyxl is not used to rewrite workbooks because it drops charts and images it does not
  model, which would be silent loss of content.
- PDF (pikepdf, qpdf): the Info dictionary, every XMP metadata stream, page-piece data and
  comment (sticky-note) annotations go; the file is rewritten whole, so earlier incremental
  revisions are not carried over. Encrypted PDFs are refused.
- JPEG, PNG, WebP, single-frame GIF (Pillow): EXIF (GPS, camera, time), XMP and text chunks go; the
  EXIF orientation is applied to the pixels first so the picture still stands upright; the
  colour profile, transparency and resolution stay. JPEGs keep their quantisation tables.

Anything else is refused with a reason. Inputs, unpacked sizes, part counts, pages and pixels are
capped, so a hostile file ends in a ScrubError, never a hang or a memory blow-up.
"""

from __future__ import annotations

import posixpath
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from io import BytesIO

from lxml import etree

MAX_BYTES = 64 * 1024 * 1024
MAX_UNPACKED = 512 * 1024 * 1024
MAX_PARTS = 10_000
MAX_PAGES = 5_000
MAX_PIXELS = 50_000_000

PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
NS = {
    "ct": "http://schemas.openxmlformats.org/package/2006/content-types",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "s": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "ep": "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}
W = "{" + NS["w"] + "}"
CORE_XML = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<cp:coreProperties xmlns:cp="' + NS["cp"].encode() + b'"/>'
)
# Parts removed by content type (suffix match): comments of both kinds and their companions.
DROPPED_TYPES = (
    "comments+xml",  # wordprocessingml/spreadsheetml comments, commentsExtended, commentsIds, ...
    "commentsextended+xml",
    "commentsids+xml",
    "commentsextensible+xml",
    "threadedcomments+xml",
    "people+xml",
    "person+xml",
    "custom-properties+xml",
)
# Relationships removed by type (suffix match), whatever their target.
DROPPED_RELATIONSHIPS = ("/attachedTemplate", "/thumbnail", "/customXml", "/custom-properties")
APP_LEAKS = ("Template", "Manager", "Company", "HyperlinkBase", "TotalTime")
TRACKED_CHANGES = (
    "ins",
    "del",
    "moveFrom",
    "moveTo",
    "rPrChange",
    "pPrChange",
    "sectPrChange",
    "tblPrChange",
    "tblPrExChange",
    "trPrChange",
    "tcPrChange",
    "tblGridChange",
    "numberingChange",
    "cellIns",
    "cellDel",
    "cellMerge",
)
COMMENT_MARKS = ("commentRangeStart", "commentRangeEnd", "commentReference")
WORD_LEAKS = ("rsids", "attachedTemplate", "docVars")
IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}
KEPT_IMAGE_INFO = ("icc_profile", "transparency", "dpi", "duration", "loop", "background")


class ScrubError(ValueError):
    """A file that cannot be scrubbed, with the reason in Chinese and English."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en


@dataclass(frozen=True)
class Scrubbed:
    data: bytes
    kind: str  # "docx", "xlsx", "pdf", "image"
    removed: tuple[str, ...]  # what went, in Chinese, for the review record


def kind_of(data: bytes) -> str:
    """docx, xlsx, pdf, image, or the reader's name for what else it is (text, html, legacy, zip...)."""
    from .reading.sniff import sniff

    if data.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a")) or (
        data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    ):
        return "image"
    return sniff(data)


def scrub(data: bytes) -> Scrubbed:
    """The file without its metadata (see the module docstring), or ScrubError."""
    _check_size(data)
    kind = kind_of(data)
    if kind in ("docx", "xlsx"):
        out, removed = _scrub_package(data, kind)
        return Scrubbed(out, kind, removed)
    if kind == "pdf":
        out, removed = _scrub_pdf(data)
        return Scrubbed(out, kind, removed)
    if kind == "image":
        out, removed = _scrub_image(data)
        return Scrubbed(out, kind, removed)
    names = {
        "legacy": "旧版 Office（.doc/.xls/.wps）或加密的文件",
        "odf": "OpenDocument 文件",
        "zip": "压缩包",
    }
    shown = names.get(kind, "文本或网页文件")
    raise ScrubError(
        f"不支持清除此类附件的元数据：{shown}。请转换为 DOCX、XLSX、PDF 或 JPEG/PNG 图片后再上传",
        f"cannot scrub this kind of attachment ({kind}); convert it to DOCX, XLSX, PDF or JPEG/PNG",
    )


def attachment_text(data: bytes) -> str:
    """The text of an attachment for the personal-data scan; "" for an image (no OCR here).

    Scan the scrubbed file: that is what will be published, and comments are gone from it.

    DOCX adds headers, footers, footnotes and endnotes to the body the report reader sees.
    """
    from .reading import ReadError, load_bytes

    _check_size(data)
    kind = kind_of(data)
    if kind == "image":
        return ""
    try:
        text = load_bytes(data, "<附件>").text()
    except ReadError as exc:
        if "为空" not in exc.zh:
            raise ScrubError(
                f"无法读取附件文字：{exc.zh}", f"cannot read the attachment's text: {exc.en}"
            ) from exc
        text = ""
    if kind == "docx":
        parts = unpack(data)
        extra = [
            "".join(str(t) for t in part_xml(parts, name).itertext())
            for name in sorted(parts)
            if posixpath.basename(name).startswith(("header", "footer", "footnotes", "endnotes"))
            and name.endswith(".xml")
        ]
        text = "\n".join([text, *extra])
    return text


def _check_size(data: bytes) -> None:
    if len(data) > MAX_BYTES:
        raise ScrubError(
            f"附件过大（{len(data) / 1048576:.0f} MB，上限 {MAX_BYTES // 1048576} MB）",
            f"attachment too large ({len(data)} bytes, limit {MAX_BYTES})",
        )
    if not data:
        raise ScrubError("附件为空（0 字节）", "the attachment is empty")


# OPC packages (DOCX, XLSX) -----------------------------------------------------------------------


def unpack(data: bytes) -> dict[str, bytes]:
    """An Office package's parts by name, within the part-count and unpacked-size caps."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_PARTS:
                raise ScrubError(f"文件包含的部件过多（{len(infos)} 个）", f"too many parts ({len(infos)})")
            if sum(i.file_size for i in infos) > MAX_UNPACKED:
                raise ScrubError("文件解压后过大，可能已损坏", "the package is too large when unpacked")
            return {i.filename: archive.read(i) for i in infos if not i.is_dir()}
    except ScrubError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError) as exc:
        raise ScrubError(f"文件已损坏或不完整：{exc}", f"damaged or truncated package: {exc}") from exc


def part_xml(parts: dict[str, bytes], name: str) -> etree._Element:
    """One part parsed safely (no entities, no network), or a ScrubError naming it."""
    try:
        return etree.fromstring(parts[name], PARSER)
    except etree.XMLSyntaxError as exc:
        raise ScrubError(f"文件中的 {name} 不是有效的 XML：{exc}", f"{name} is not valid XML: {exc}") from exc


def dump_xml(root: etree._Element) -> bytes:
    """A part written back as Office writes it: UTF-8, declared, standalone."""
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _rels_source(rels_name: str) -> str:
    """The part a .rels file belongs to: word/_rels/document.xml.rels -> word/document.xml."""
    folder, base = posixpath.split(rels_name)
    return posixpath.join(posixpath.dirname(folder), base.removesuffix(".rels"))


def _target(source: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


def _scrub_package(data: bytes, kind: str) -> tuple[bytes, tuple[str, ...]]:
    parts = unpack(data)
    removed: list[str] = []
    if "[Content_Types].xml" not in parts:
        raise ScrubError("文件缺少 [Content_Types].xml，不是有效的 Office 文件", "no [Content_Types].xml")
    types = part_xml(parts, "[Content_Types].xml")
    overrides = {o.get("PartName", "").lstrip("/"): o for o in types.iterfind("ct:Override", NS)}
    dropped = {
        name for name, o in overrides.items() if o.get("ContentType", "").lower().endswith(DROPPED_TYPES)
    }
    dropped |= {name for name in parts if name.startswith("customXml/")}
    if kind == "docx":
        _refuse_tracked_changes(parts, dropped)
    # Relationships: drop those to removed parts and those of leaking types; note sheets whose
    # comments went, whose comment drawings go too.
    sheets_with_comments: dict[str, list[str]] = {}
    for rels_name in [n for n in parts if n.endswith(".rels")]:
        root = part_xml(parts, rels_name)
        source = _rels_source(rels_name)
        changed = False
        for rel in list(root.iterfind("rel:Relationship", NS)):
            rel_type = rel.get("Type", "")
            external = rel.get("TargetMode") == "External"
            target = "" if external else _target(source, rel.get("Target", ""))
            if rel_type.endswith("/comments") and kind == "xlsx":
                sheets_with_comments.setdefault(source, [])
            if rel_type.endswith(DROPPED_RELATIONSHIPS) or target in dropped:
                if target and not external:
                    dropped.add(target)
                root.remove(rel)
                changed = True
        if changed:
            parts[rels_name] = dump_xml(root)
    for sheet in sheets_with_comments:
        dropped |= _drop_comment_drawing(parts, sheet)
    dropped &= set(parts)
    if dropped:
        removed.append(_describe_dropped(dropped))
    for name in dropped:
        parts.pop(name, None)
        parts.pop(posixpath.join(posixpath.dirname(name), "_rels", posixpath.basename(name) + ".rels"), None)
        if name in overrides:
            types.remove(overrides[name])
    parts["[Content_Types].xml"] = dump_xml(types)
    if "docProps/core.xml" in parts:
        parts["docProps/core.xml"] = CORE_XML
        removed.append("文档属性（作者、最后修改者、标题、主题、关键词、时间等）")
    if "docProps/app.xml" in parts:
        app = part_xml(parts, "docProps/app.xml")
        leaks = [el for el in app if etree.QName(el).localname in APP_LEAKS]
        for el in leaks:
            app.remove(el)
        parts["docProps/app.xml"] = dump_xml(app)
        if leaks:
            removed.append("扩展属性（单位、经理、模板、编辑时长等）")
    if kind == "docx":
        removed += _scrub_word_xml(parts)
    else:
        removed += _scrub_workbook_xml(parts)
    removed += _scrub_media(parts)
    return pack(parts), tuple(removed)


def _refuse_tracked_changes(parts: dict[str, bytes], dropped: set[str]) -> None:
    for name in sorted(parts):
        if not (name.startswith("word/") and name.endswith(".xml")) or name in dropped:
            continue
        root = part_xml(parts, name)
        for tag in TRACKED_CHANGES:
            if root.find(f".//{W}{tag}") is not None:
                raise ScrubError(
                    "文档含有未处理的修订（修订记录会随文件公开）。请在 Word 中“接受”或“拒绝”全部修订、"
                    "关闭修订后重新上传",
                    f"the document has tracked changes ({tag} in {name}); accept or reject them all first",
                )


def _drop_comment_drawing(parts: dict[str, bytes], sheet: str) -> set[str]:
    """Remove a worksheet's <legacyDrawing> (the comment boxes) and return its VML part."""
    if sheet not in parts:
        return set()
    root = part_xml(parts, sheet)
    gone: set[str] = set()
    rels_name = posixpath.join(posixpath.dirname(sheet), "_rels", posixpath.basename(sheet) + ".rels")
    rels = part_xml(parts, rels_name) if rels_name in parts else None
    for drawing in list(root.iterfind("s:legacyDrawing", NS)):
        rel_id = drawing.get(f"{{{NS['r']}}}id")
        root.remove(drawing)
        if rels is None:
            continue
        for rel in list(rels.iterfind("rel:Relationship", NS)):
            if rel.get("Id") == rel_id:
                gone.add(_target(sheet, rel.get("Target", "")))
                rels.remove(rel)
    parts[sheet] = dump_xml(root)
    if rels is not None:
        parts[rels_name] = dump_xml(rels)
    return gone


def _describe_dropped(names: Iterable[str]) -> str:
    labels = []
    for name in sorted(names):
        low = name.lower()
        if "comment" in low or "people" in low or "person" in low or "vmldrawing" in low:
            labels.append("批注")
        elif "custom.xml" in low:
            labels.append("自定义属性")
        elif "thumbnail" in low:
            labels.append("缩略图")
        elif low.startswith("customxml/"):
            labels.append("自定义 XML 数据")
        else:
            labels.append(name)
    return "已删除：" + "、".join(dict.fromkeys(labels))


def _scrub_word_xml(parts: dict[str, bytes]) -> list[str]:
    removed: list[str] = []
    comment_marks = 0
    for name in sorted(parts):
        if not (name.startswith("word/") and name.endswith(".xml")):
            continue
        root = part_xml(parts, name)
        changed = False
        for tag in COMMENT_MARKS:
            for el in list(root.iter(f"{W}{tag}")):
                parent = el.getparent()
                if parent is None:
                    continue
                parent.remove(el)
                comment_marks += 1
                changed = True
                if parent.tag == f"{W}r" and all(etree.QName(c).localname == "rPr" for c in parent):
                    grand = parent.getparent()
                    if grand is not None:
                        grand.remove(parent)
        for el in list(root.iter(f"{W}rsid")):  # a style's revision session
            parent = el.getparent()
            if parent is not None:
                parent.remove(el)
                changed = True
        for el in root.iter():
            rsids = [str(a) for a in el.attrib if str(a).startswith(W + "rsid")]
            for attribute in rsids:
                del el.attrib[attribute]
                changed = True
        if name == "word/settings.xml":
            for tag in WORD_LEAKS:
                for el in list(root.iter(f"{W}{tag}")):
                    parent = el.getparent()
                    if parent is not None:
                        parent.remove(el)
                        changed = True
        if changed:
            parts[name] = dump_xml(root)
    if comment_marks:
        removed.append("正文中的批注标记")
    removed.append("修订会话标识（rsid）、文档变量和模板路径")
    return removed


def _scrub_workbook_xml(parts: dict[str, bytes]) -> list[str]:
    if "xl/workbook.xml" not in parts:
        return []
    root = part_xml(parts, "xl/workbook.xml")
    removed = []
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            continue
        local = etree.QName(el).localname
        if local == "AlternateContent" and any(
            isinstance(c.tag, str) and etree.QName(c).localname == "absPath" for c in el.iter()
        ):
            parent = el.getparent()
            if parent is not None:
                parent.remove(el)
                removed.append("保存路径")
        elif local == "fileSharing" and el.get("userName") is not None:
            del el.attrib["userName"]
            removed.append("共享用户名")
    parts["xl/workbook.xml"] = dump_xml(root)
    return removed


def _scrub_media(parts: dict[str, bytes]) -> list[str]:
    count = 0
    for name in sorted(parts):
        if "/media/" in name and kind_of(parts[name]) == "image":
            parts[name], _ = _scrub_image(parts[name])
            count += 1
    return [f"{count} 张内嵌图片的 EXIF 等元数据"] if count else []


def pack(parts: dict[str, bytes]) -> bytes:
    """The package again, content types first and every timestamp the same (no date leaks)."""
    out = BytesIO()
    order = ["[Content_Types].xml", *sorted(n for n in parts if n != "[Content_Types].xml")]
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, parts[name])
    return out.getvalue()


# PDF ----------------------------------------------------------------------------------------------


def _scrub_pdf(data: bytes) -> tuple[bytes, tuple[str, ...]]:
    import pikepdf

    removed: list[str] = []
    try:
        pdf = pikepdf.open(BytesIO(data))
    except pikepdf.PasswordError as exc:
        raise ScrubError("PDF 已加密，请去除密码后再上传", "the PDF is encrypted") from exc
    except pikepdf.PdfError as exc:
        raise ScrubError(f"PDF 已损坏，无法处理：{exc}", f"damaged PDF: {exc}") from exc
    with pdf:
        if pdf.is_encrypted:
            raise ScrubError("PDF 已加密，请去除密码后再上传", "the PDF is encrypted")
        if len(pdf.pages) > MAX_PAGES:
            raise ScrubError(f"PDF 页数过多（上限 {MAX_PAGES} 页）", f"more than {MAX_PAGES} pages")
        if "/Info" in pdf.trailer:
            del pdf.trailer.Info
            removed.append("文档信息（作者、创建者、生成工具、标题、时间等）")
        metadata = 0
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
                for key in ("/Metadata", "/PieceInfo"):
                    if key in obj:
                        del obj[key]
                        metadata += 1
        if metadata:
            removed.append("XMP 元数据")
        notes = 0
        for page in pdf.pages:
            annots = page.obj.get("/Annots")
            if not isinstance(annots, pikepdf.Array):
                continue
            kept = [a for a in annots if not _is_comment(a)]
            if len(kept) != len(annots):
                notes += len(annots) - len(kept)
                page.obj.Annots = pikepdf.Array(kept)
            for annot in kept:
                if isinstance(annot, pikepdf.Dictionary) and "/T" in annot:
                    del annot["/T"]  # the annotation's author
        if notes:
            removed.append(f"{notes} 条注释")
        out = BytesIO()
        pdf.remove_unreferenced_resources()
        pdf.save(out, fix_metadata_version=False)
    return out.getvalue(), tuple(removed)


def _is_comment(annot: object) -> bool:
    import pikepdf

    return isinstance(annot, pikepdf.Dictionary) and annot.get("/Subtype") in (
        pikepdf.Name.Text,
        pikepdf.Name.Popup,
    )


# Images -------------------------------------------------------------------------------------------


def _scrub_image(data: bytes) -> tuple[bytes, tuple[str, ...]]:
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        image = Image.open(BytesIO(data))
    except (UnidentifiedImageError, OSError) as exc:
        raise ScrubError(f"无法识别的图片：{exc}", f"unreadable image: {exc}") from exc
    with image:
        fmt = image.format or ""
        if fmt not in IMAGE_FORMATS:
            raise ScrubError(f"不支持的图片格式 {fmt}", f"unsupported image format {fmt}")
        if image.width * image.height > MAX_PIXELS:
            raise ScrubError(
                f"图片过大（{image.width}×{image.height} 像素）",
                f"image too large ({image.width}x{image.height})",
            )
        if getattr(image, "n_frames", 1) > 1:
            raise ScrubError("不支持多帧（动态）图片", "multi-frame images are not supported")
        had = [k for k in ("exif", "xmp", "XML:com.adobe.xmp", "comment") if image.info.get(k)]
        had += [str(k) for k in image.info if k not in KEPT_IMAGE_INFO and k not in had]
        try:
            orientation = image.getexif().get(0x0112, 1)
            clean = ImageOps.exif_transpose(image) if orientation != 1 else image
            clean.load()
        except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
            raise ScrubError(f"图片已损坏：{exc}", f"damaged image: {exc}") from exc
        kept = {k: image.info[k] for k in KEPT_IMAGE_INFO if k in image.info}
        clean.info = {}
        params: dict[str, object] = dict(kept)
        if fmt == "JPEG":
            params["quality"] = "keep" if clean is image else 95
            if clean is image:
                params["subsampling"] = "keep"
        out = BytesIO()
        try:
            clean.save(out, format=fmt, **params)
        except (OSError, ValueError) as exc:
            raise ScrubError(f"图片无法重新保存：{exc}", f"cannot re-save the image: {exc}") from exc
    removed = ("图片元数据（EXIF、GPS 位置、拍摄设备、XMP、文字说明）",) if had else ()
    return out.getvalue(), removed
