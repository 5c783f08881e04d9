"""Item 4, through the desk: an agency named like a formula exports as text, never as a formula."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from .conftest import Tree

pytestmark = pytest.mark.django_db
FORMULA = '=HYPERLINK("http://203.0.113.9/x","点此")'


def test_the_report_export_carries_no_formula(client: Client, tree: Tree) -> None:
    tree.street.name = FORMULA
    tree.street.save(update_fields=("name",))
    client.force_login(tree.head)
    response = client.get(f"/reports/{tree.street.pk}/2025/export/xlsx/")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    cells = [c for sheet in workbook.worksheets for row in sheet.iter_rows() for c in row]
    assert any(FORMULA in str(c.value) for c in cells)  # the name is there, as text
    assert not [c.coordinate for c in cells if c.data_type == "f"]
