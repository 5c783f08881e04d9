"""Where the source is looked at for a cell: its own place, or for a cell the reader did not find,
the row it belongs in."""

from __future__ import annotations

from gongkai.web.oversight.sources import located

ROW = "requests.unavailable_not_held"


def test_a_cell_read_in_place_is_shown_there() -> None:
    own = {"page": 3, "bbox": [10.0, 20.0, 30.0, 40.0], "text": "5"}
    assert located({f"{ROW}.natural_person": own}, f"{ROW}.natural_person") == (own, True)


def test_an_inferred_pdf_cell_is_shown_by_one_box_around_its_rows_cells() -> None:
    provenance = {
        f"{ROW}.natural_person": {"how": "inferred"},
        f"{ROW}.commercial": {"page": 3, "bbox": [300.0, 500.0, 320.0, 512.0], "text": "0"},
        f"{ROW}.total": {"page": 3, "bbox": [500.0, 501.0, 520.0, 514.0], "text": "0"},
        f"{ROW}.other": {"page": 4, "bbox": [0.0, 0.0, 1.0, 1.0], "text": "0"},  # another page: left out
        "requests.received.total": {"page": 3, "bbox": [500.0, 600.0, 520.0, 612.0], "text": "9"},
    }
    where, exact = located(provenance, f"{ROW}.natural_person")
    assert not exact and where["page"] == 3 and where["bbox"] == [300.0, 500.0, 520.0, 514.0]


def test_an_inferred_text_cell_is_shown_by_its_rows_line_and_nothing_found_stays_unplaced() -> None:
    provenance = {f"{ROW}.natural_person": {"how": "inferred"}, f"{ROW}.research": {"line": 55, "text": "0"}}
    assert located(provenance, f"{ROW}.natural_person") == ({"line": 55, "text": "0"}, False)
    assert located({f"{ROW}.total": {"how": "inferred"}}, f"{ROW}.total") == ({"how": "inferred"}, False)
