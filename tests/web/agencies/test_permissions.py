"""The permission functions know agencies only: any record with an agency is a subject."""

from __future__ import annotations

import pytest

from gongkai.web.agencies import selectors
from gongkai.web.agencies.models import Role
from gongkai.web.agencies.permissions import can, require
from gongkai.web.core.errors import PermissionDenied
from gongkai.web.reports.models import AnnualReport

from ..conftest import NewRequest, Tree


def test_a_record_follows_its_agency(tree: Tree, new_request: NewRequest) -> None:
    request = new_request()
    report = AnnualReport(agency=tree.street, year=2025, data={})
    for subject in (request, report, tree.street):
        assert can(tree.handle, "view", subject)
        assert not can(tree.outsider, "view", subject)
        assert can(tree.supervise, "view", subject)  # 督查 of the district reaches the street
    assert can(tree.head, "publish_report", report) and not can(tree.handle, "publish_report", report)


def test_require_refuses_in_chinese(tree: Tree) -> None:
    require(tree.head, "publish_report", tree.street, "发布年度报告")
    with pytest.raises(PermissionDenied) as refused:
        require(tree.handle, "publish_report", tree.street, "发布年度报告")
    assert refused.value.zh == "您没有发布年度报告的权限"


def test_selectors_keep_to_the_scope(tree: Tree) -> None:
    assert selectors.agency_in_scope(tree.handle, tree.street.pk) == tree.street
    assert selectors.agency_in_scope(tree.handle, tree.other.pk) is None
    assert selectors.agency_in_scope(tree.handle, "not a number") is None
    assert list(selectors.with_role(Role.REGISTER)) == [tree.street, tree.other]
    assert [u.username for u in selectors.members(selectors.with_role(Role.REGISTER), Role.HANDLE)] == [
        "handle_user"
    ]
