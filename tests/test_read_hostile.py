"""Every reader on hostile and damaged input: a reading or a clear refusal, never a crash or a blow-up.

Files are read in a child process under a 500 MB address-space limit (`bounded_read.py`), so a
reader that passes the memory bound fails here by MemoryError or death, not by timing. Speed is
measured in `benchmarks/bench_hostile.py`, not asserted. LibreOffice formats (.doc, .wps, .xls)
are not fuzzed here: one conversion takes seconds; their bound is the converter's timeout and
then the DOCX/XLSX reader's caps, which are fuzzed.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from gongkai.extraction import extract
from gongkai.extraction.narrative import MAX_SENTENCE, SENTENCE_END, Boundaries
from gongkai.extraction.solve import TooAmbiguous, split_candidates
from gongkai.formats import FORMAT_2021
from gongkai.limits import MAX_FIGURES
from gongkai.reading import ReadError, load_bytes, sniff
from gongkai.writing import write

from . import hostile
from .conftest import CORPUS

WORKER = Path(__file__).with_name("bounded_read.py")
MAX_MB = 500


def read_bounded(files: dict[str, bytes], folder: Path) -> dict[str, dict[str, object]]:
    """Outcome per file name, read by one child process under the memory cap."""
    paths = []
    for name, data in files.items():
        path = folder / name
        path.write_bytes(data)
        paths.append(str(path))
    # The timeout only keeps a hang from stalling the suite; it is far above any bounded read.
    run = subprocess.run(
        [sys.executable, str(WORKER), "--max-mb", str(MAX_MB), "--check", *paths],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, f"worker died (exit {run.returncode}): {run.stderr[-2000:]}"
    rows = [json.loads(line) for line in run.stdout.splitlines()]
    return {Path(row["file"]).name: row for row in rows}


def damaged_files() -> dict[str, bytes]:
    """Each input type, truncated and bit-flipped."""
    report = hostile.gold_report()
    sources = {
        "txt": hostile.SEED.read_bytes(),
        "md": write(report, "md"),
        "html": write(report, "html"),
        "docx": hostile.frozen_zip(write(report, "docx")),
        "xlsx": hostile.frozen_zip(write(report, "xlsx")),
        "pdf": (CORPUS / "real" / "hzq2024_working.pdf").read_bytes(),
    }
    files: dict[str, bytes] = {}
    for suffix, data in sources.items():
        for index, cut in enumerate(hostile.truncated(data)):
            files[f"truncated-{index}.{suffix}"] = cut
        for flips in (1, 8, 64):
            for seed in range(2):
                files[f"flipped-{flips}-{seed}.{suffix}"] = hostile.bit_flipped(data, flips, seed)
    return files


def test_damaged_files_of_every_type_are_read_or_refused(tmp_path: Path) -> None:
    outcomes = read_bounded(damaged_files(), tmp_path)
    assert len(outcomes) == len(damaged_files())
    crashes = {name: row["detail"] for name, row in outcomes.items() if row["outcome"] == "crash"}
    assert not crashes
    # Damage is not always fatal: a flipped bit in prose still reads.
    assert any(row["outcome"] == "ok" for row in outcomes.values())


# name -> (generator, the cap its refusal names)
CAPS = {
    "spans.html": (hostile.html_spans, "expanded grid"),
    "nested.html": (hostile.nested_tables, "nesting depth"),
    "gridspan.docx": (hostile.docx_grid_span, "expanded grid"),
    "bomb.docx": (hostile.docx_bomb, "unpacked size of word/document.xml"),
    "bomb.xlsx": (hostile.xlsx_bomb, "unpacked size of xl/worksheets/sheet1.xml"),
    "bomb.pdf": (lambda: hostile.pdf_stream_bomb(300 * 1024 * 1024), "inflated size of the PDF's streams"),
}


# The most elements, lines or cells per byte that pass the byte caps.
DENSE = {
    "dense.html": hostile.dense_html,
    "dense.docx": hostile.dense_docx,
    "dense.xlsx": hostile.dense_xlsx,
    "dense.txt": hostile.dense_text,
}


def test_hostile_files_are_refused_naming_the_file_and_the_cap(tmp_path: Path) -> None:
    files = {name: make() for name, (make, _) in CAPS.items()}
    files["big.txt"] = hostile.big_text_report()
    files["digits.txt"] = hostile.run_together_digits()
    files |= {name: make() for name, make in DENSE.items()}
    outcomes = read_bounded(files, tmp_path)
    for name in DENSE:  # just under the byte caps: read or refused by a count cap, within memory
        assert outcomes[name]["outcome"] != "crash", (name, outcomes[name])
    for name, (_, cap) in CAPS.items():
        row = outcomes[name]
        assert row["outcome"] == "read-error", (name, row)
        assert cap in str(row["detail"]) and name in str(row["detail"]), (name, row)
    assert outcomes["big.txt"]["outcome"] == "ok", outcomes["big.txt"]
    assert outcomes["digits.txt"]["outcome"] == "ok", outcomes["digits.txt"]


def test_digits_no_split_fits_are_left_null_with_a_note() -> None:
    report = extract(load_bytes(hostile.run_together_digits(), "digits.txt"))
    assert all(value is None for row in report.appeals.values() for value in row.values())
    assert any(note.code == "undecidable" and note.cell.startswith("appeals") for note in report.notes)


def test_enumerating_splits_stops_at_its_budget() -> None:
    table = FORMAT_2021.table("appeals")
    refs = tuple(ref for row in table.row_refs.values() for ref in row)
    pieces = ["123456789"] * 10 + ["1" * 45]  # about 10^12 dead-end splits
    with pytest.raises(TooAmbiguous):  # the table reader leaves such a row null with a note
        split_candidates(pieces, [True] * len(pieces), refs, [])


@given(st.binary(max_size=2048))
def test_any_bytes_read_or_refused(data: bytes) -> None:
    assume(sniff(data) not in ("legacy", "odf"))  # LibreOffice: seconds per file
    try:
        document = load_bytes(data)
    except ReadError as exc:
        assert exc.zh and exc.en
    else:
        assert document.lines


@given(
    st.sampled_from([b"%PDF-1.7\n", b"PK\x03\x04", b"<html><table>", b"\xff\xfe"]), st.binary(max_size=512)
)
def test_damaged_headers_read_or_refused(magic: bytes, rest: bytes) -> None:
    try:
        document = load_bytes(magic + rest)
    except ReadError as exc:
        assert exc.zh and exc.en
    else:
        assert document.lines


def naive_sentence(text: str, start: int, end: int) -> str:
    """The definition Boundaries.sentence implements by bisection."""
    left = max((m.end() for m in SENTENCE_END.finditer(text, 0, start)), default=0)
    right_match = SENTENCE_END.search(text, end)
    right = right_match.end() if right_match else len(text)
    return text[max(left, start - MAX_SENTENCE) : min(right, end + MAX_SENTENCE)].strip()


@given(st.text(alphabet="。；\n，收到3件", max_size=400), st.data())
def test_sentence_by_bisection_is_the_sentence(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    assert Boundaries(text).sentence(start, end) == naive_sentence(text, start, end)


SEED_TEXT = hostile.SEED.read_text(encoding="utf-8")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_read_with_a_note(encoding: str) -> None:
    document = load_bytes(SEED_TEXT.encode(encoding))
    assert document.encoding == encoding
    assert document.text() == load_bytes(SEED_TEXT.encode("utf-8")).text()
    assert [note.code for note in document.notes] == ["decoding"]
    assert extract(document).notes[0].code == "decoding"


def test_one_bad_byte_in_utf8_is_read_with_a_note() -> None:
    data = bytearray(SEED_TEXT.encode("utf-8"))
    data[data.index("总体情况".encode()) + 1] = 0xFF
    document = load_bytes(bytes(data))
    assert document.encoding == "utf-8"
    assert "\ufffd" in document.text() and "年度报告" in document.text()
    assert document.notes[0].code == "decoding" and "UTF-8" in document.notes[0].message_zh


def test_clean_gbk_has_no_note() -> None:
    document = load_bytes(SEED_TEXT.encode("gb18030"))
    assert document.encoding == "gb18030" and document.notes == []


def test_a_4_mb_report_is_read_with_its_figures_capped_and_said_so() -> None:
    report = extract(load_bytes(hostile.big_text_report(), "big.txt"))
    assert len(report.figures) == MAX_FIGURES
    assert any(note.code == "figures-capped" for note in report.notes)
    assert report.requests["received"]["total"] is not None  # the tables are still read


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_an_archive_claiming_an_unknown_zip_version_is_refused(kind: str) -> None:
    data = bytearray(write(hostile.gold_report(), kind))
    entry = data.index(b"PK\x01\x02")
    data[entry + 6] = 84  # "version needed to extract" 8.4: zipfile raises NotImplementedError
    with pytest.raises(ReadError):
        load_bytes(bytes(data))
