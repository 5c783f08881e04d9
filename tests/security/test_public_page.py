"""Item 10: a consulted party's name is blanked on the public tracking page by its stored value,
whatever characters it holds."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from gongkai.web.requests import services

from .conftest import Tree, day

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("party", ["欧阳”锋", "“司马”懿", "示例科技有限公司"])
def test_the_consulted_party_is_blanked_by_its_stored_name(
    client: Client, tree: Tree, new_request: Any, party: str
) -> None:
    r = new_request()
    services.start_consultation(tree.handle, r, party, "third_party", day(2))
    page = client.get(f"/public/track/{r.tracking_code}/").content.decode()
    assert "（略）" in page
    for piece in party.replace("“", " ").replace("”", " ").split():
        assert piece not in page, piece
