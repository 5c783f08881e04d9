"""Published attachments lose their metadata and keep their content."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from io import BytesIO

import docx
import pikepdf
import pypdfium2 as pdfium
import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.packaging.custom import StringProperty
from PIL import Image, PngImagePlugin

from gongkai import scrub as scrub_module
from gongkai.personal_data import PersonalKind, scan
from gongkai.reading import load_bytes
from gongkai.scrub import ScrubError, attachment_text, scrub

SECRETS = ("张三", "李四", "内部意见", "某某科技有限公司", "C:\\Users\\zhangsan")


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def edit(data: bytes, changes: dict[str, Callable[[bytes], bytes]]) -> bytes:
    files = parts(data)
    for name, change in changes.items():
        files[name] = change(files.get(name, b""))
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


def assert_no_secrets(data: bytes) -> None:
    for name, content in parts(data).items():
        for secret in SECRETS:
            assert secret.encode() not in content, (secret, name)


def jpeg_with_exif(orientation: int = 1) -> bytes:
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x013B] = "Zhang San"  # Artist
    exif[0x0112] = orientation
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 17.0)})
    out = BytesIO()
    image.save(out, "JPEG", exif=exif, quality=90)
    return out.getvalue()


def word_file() -> bytes:
    document = docx.Document()
    paragraph = document.add_paragraph("正文内容：关于辖区临时救助情况的公示")
    document.add_comment(paragraph.runs, text="内部意见：此段需再核", author="张三", initials="ZS")
    document.add_picture(BytesIO(jpeg_with_exif()))
    document.sections[0].header.paragraphs[0].text = "页眉文字"
    properties = document.core_properties
    properties.author, properties.last_modified_by, properties.comments = "张三", "李四", "内部意见"
    out = BytesIO()
    document.save(out)
    custom = (
        b'<?xml version="1.0" encoding="UTF-8"?><Properties xmlns="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" '
        b'name="reviewer">'
        b"<vt:lpwstr>\xe6\x9d\x8e\xe5\x9b\x9b</vt:lpwstr></property></Properties>"
    )
    custom_type = (
        b'<Override PartName="/docProps/custom.xml" '
        b'ContentType="application/vnd.openxmlformats-officedocument.custom-properties+xml"/></Types>'
    )
    custom_rel = (
        b'<Relationship Id="rIdCustom" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/custom-properties" Target="docProps/custom.xml"/></Relationships>'
    )
    company = "<Company>某某科技有限公司</Company></Properties>".encode()
    return edit(
        out.getvalue(),
        {
            "docProps/custom.xml": lambda _: custom,
            "[Content_Types].xml": lambda b: b.replace(b"</Types>", custom_type),
            "_rels/.rels": lambda b: b.replace(b"</Relationships>", custom_rel),
            "docProps/app.xml": lambda b: b.replace(b"</Properties>", company),
        },
    )


def test_docx_loses_properties_comments_and_history_and_keeps_its_text() -> None:
    original = word_file()
    assert b"rsid" in parts(original)["word/settings.xml"]
    result = scrub(original)
    assert result.kind == "docx" and result.removed
    assert_no_secrets(result.data)
    files = parts(result.data)
    assert "word/comments.xml" not in files and "docProps/custom.xml" not in files
    assert "docProps/thumbnail.jpeg" not in files and not any(n.startswith("customXml/") for n in files)
    assert not any(b"rsid" in content for name, content in files.items() if name.startswith("word/"))
    assert b"commentReference" not in files["word/document.xml"]
    reopened = docx.Document(BytesIO(result.data))  # still a valid package
    assert reopened.core_properties.author == "" and reopened.core_properties.last_modified_by == ""
    assert "正文内容：关于辖区临时救助情况的公示" in load_bytes(result.data, "a.docx").text()
    media = [content for name, content in files.items() if name.startswith("word/media/")]
    assert len(media) == 1
    picture = Image.open(BytesIO(media[0]))
    assert picture.size == (64, 48) and not picture.getexif() and b"CameraMaker" not in media[0]


def test_tracked_changes_are_refused_with_the_way_out() -> None:
    insertion = b'<w:ins w:id="9" w:author="\xe5\xbc\xa0\xe4\xb8\x89"><w:r><w:t>x</w:t></w:r></w:ins></w:p>'
    changed = edit(word_file(), {"word/document.xml": lambda b: b.replace(b"</w:p>", insertion, 1)})
    with pytest.raises(ScrubError) as error:
        scrub(changed)
    assert "接受" in error.value.zh and "拒绝" in error.value.zh and "修订" in error.value.zh


def excel_file() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet["A1"] = "行政处罚决定"
    sheet["B2"] = 3
    sheet["A1"].comment = Comment("内部意见", "张三")
    workbook.properties.creator = "张三"
    workbook.properties.lastModifiedBy = "李四"
    workbook.custom_doc_props.append(StringProperty(name="reviewer", value="李四"))
    out = BytesIO()
    workbook.save(out)
    path = (
        b'<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
        b'<mc:Choice Requires="x15"><x15ac:absPath xmlns:x15ac="http://schemas.microsoft.com/office/'
        b'spreadsheetml/2010/11/ac" url="C:\\Users\\zhangsan\\"/></mc:Choice></mc:AlternateContent>'
        b"<bookViews>"
    )
    return edit(out.getvalue(), {"xl/workbook.xml": lambda b: b.replace(b"<bookViews>", path, 1)})


def test_xlsx_loses_properties_comments_and_its_folder_and_keeps_its_cells() -> None:
    original = excel_file()
    assert any("comments" in name for name in parts(original))
    result = scrub(original)
    assert result.kind == "xlsx"
    assert_no_secrets(result.data)
    files = parts(result.data)
    assert not any("comments" in name.lower() or "vmldrawing" in name.lower() for name in files)
    assert b"legacyDrawing" not in files["xl/worksheets/sheet1.xml"]
    workbook = load_workbook(BytesIO(result.data))
    sheet = workbook.active
    assert sheet is not None
    assert sheet["A1"].value == "行政处罚决定" and sheet["B2"].value == 3 and sheet["A1"].comment is None
    # openpyxl names itself as creator when a workbook names none
    assert workbook.properties.creator == "openpyxl" and workbook.properties.lastModifiedBy is None
    assert len(workbook.custom_doc_props) == 0


def pdf_file() -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(300, 200))
    page = pdf.pages[0]
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
        )
    )
    page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    page.obj.Contents = pdf.make_stream(b"BT /F1 18 Tf 20 100 Td (Public notice 2025) Tj ET")
    page.obj.PieceInfo = pikepdf.Dictionary(Editor=pikepdf.Dictionary(Private=pikepdf.String("Zhang San")))
    note = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.Text,
        Rect=[10, 10, 30, 30],
        T=pikepdf.String("Zhang San"),
        Contents=pikepdf.String("internal remark"),
    )
    page.obj.Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(note)]))
    pdf.docinfo["/Author"] = "Zhang San"
    pdf.docinfo["/Producer"] = "Secret Office Suite"
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["dc:creator"] = ["Zhang San"]
    out = BytesIO()
    pdf.save(out)
    return out.getvalue()


def uncompressed(data: bytes) -> bytes:
    out = BytesIO()
    with pikepdf.open(BytesIO(data)) as pdf:
        pdf.save(out, compress_streams=False, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    return out.getvalue()


def test_pdf_loses_info_xmp_and_notes_and_keeps_its_text() -> None:
    original = pdf_file()
    assert b"Zhang San" in uncompressed(original)
    result = scrub(original)
    assert result.kind == "pdf" and result.removed
    plain = uncompressed(result.data)
    for secret in (b"Zhang San", b"internal remark", b"Secret Office Suite"):
        assert secret not in plain
    with pikepdf.open(BytesIO(result.data)) as pdf:
        assert "/Info" not in pdf.trailer and "/Metadata" not in pdf.Root
        assert len(pdf.pages) == 1
    text = pdfium.PdfDocument(result.data)[0].get_textpage().get_text_range()
    assert "Public notice 2025" in text


def test_encrypted_pdf_is_refused() -> None:
    out = BytesIO()
    with pikepdf.open(BytesIO(pdf_file())) as pdf:
        pdf.save(out, encryption=pikepdf.Encryption(owner="o", user="u"))
    with pytest.raises(ScrubError) as error:
        scrub(out.getvalue())
    assert "加密" in error.value.zh


def test_jpeg_loses_exif_and_gps_and_stands_upright() -> None:
    result = scrub(jpeg_with_exif(orientation=6))  # 6: the camera was turned; shown rotated 90°
    assert result.kind == "image" and result.removed
    image = Image.open(BytesIO(result.data))
    assert image.format == "JPEG" and image.size == (48, 64)
    assert not image.getexif() and "exif" not in image.info
    assert Image.open(BytesIO(jpeg_with_exif())).getexif().get_ifd(0x8825)  # the GPS was there
    assert b"CameraMaker" not in result.data and b"Zhang San" not in result.data
    red, green, _ = image.convert("RGB").getpixel((24, 32))  # type: ignore[misc]
    assert red > 150 and green < 80


def test_png_loses_text_chunks_and_exif_and_keeps_its_pixels() -> None:
    image = Image.new("RGBA", (20, 10), (10, 20, 30, 128))
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Zhang San")
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"
    out = BytesIO()
    image.save(out, "PNG", pnginfo=info, exif=exif)
    result = scrub(out.getvalue())
    clean = Image.open(BytesIO(result.data))
    assert b"Zhang San" not in result.data and b"CameraMaker" not in result.data
    assert not clean.getexif() and "Author" not in clean.info
    assert clean.mode == image.mode and clean.tobytes() == image.tobytes()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("一段纯文本".encode(), "文本或网页文件"),
        (b"<html><body>x</body></html>", "文本或网页文件"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "旧版 Office"),
        (b"", "附件为空"),
    ],
)
def test_other_files_are_refused_with_a_reason(data: bytes, message: str) -> None:
    with pytest.raises(ScrubError) as error:
        scrub(data)
    assert message in error.value.zh


def test_archives_and_files_past_the_caps_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("a.txt", "x")
    with pytest.raises(ScrubError) as error:
        scrub(out.getvalue())
    assert "压缩包" in error.value.zh
    monkeypatch.setattr(scrub_module, "MAX_UNPACKED", 1000)
    with pytest.raises(ScrubError) as error:
        scrub(word_file())
    assert "解压后过大" in error.value.zh
    monkeypatch.setattr(scrub_module, "MAX_BYTES", 100)
    with pytest.raises(ScrubError) as error:
        scrub(pdf_file())
    assert "附件过大" in error.value.zh


def test_attachment_text_feeds_the_personal_data_scan() -> None:
    document = docx.Document()
    document.add_paragraph("申请人王小明，身份证号码11010519491231002X。")
    document.sections[0].footer.paragraphs[0].text = "联系电话 13812345678"
    out = BytesIO()
    document.save(out)
    text = attachment_text(scrub(out.getvalue()).data)
    kinds = {hit.kind for hit in scan(text).hits}
    assert kinds == {PersonalKind.NAME, PersonalKind.ID_NUMBER, PersonalKind.MOBILE}
    assert attachment_text(jpeg_with_exif()) == ""
