"""A file already stored anywhere is known by its SHA-256, but only said where to whoever may see it."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User

from gongkai.web.agencies.models import Agency, AgencyKind, Level, Role
from gongkai.web.oversight import services
from gongkai.web.oversight.models import ReportVersion, Upload

from ..conftest import Tree, make_agency
from .conftest import CORPUS, YEAR

SEED = CORPUS / "seeds" / "000_e754f61d84ee7fec.txt"


@dataclass
class County:
    """A second county under the same city, with a supervisor of its own and one township."""

    agency: Agency
    supervisor: User


@pytest.fixture
def county(tree: Tree) -> County:
    agency = make_agency("示例县人民政府", Level.COUNTY, AgencyKind.GOVERNMENT, tree.city)
    make_agency("南山镇人民政府", Level.TOWNSHIP, AgencyKind.TOWNSHIP, agency)
    return County(agency, tree.member("county_supervise", agency, Role.SUPERVISE))


def stored_in_district(tree: Tree) -> int:
    """The seed collected and confirmed as the district's 西城街道's report; its year."""
    done = services.collect(tree.supervise, tree.district, YEAR, [("a.txt", SEED.read_bytes())])
    upload = done.uploads[0]
    services.confirm(tree.supervise, upload, tree.other, upload.year)
    return upload.year


def test_a_copy_the_collector_may_see_is_named(tree: Tree, county: County) -> None:
    year = stored_in_district(tree)
    # The city's admin sees the district: told whose report the file already is, and nothing stored.
    done = services.collect(tree.admin, tree.city, YEAR, [("同一文件.txt", SEED.read_bytes())])
    assert not done.uploads
    assert done.duplicates == [("同一文件.txt", f"该文件已存为{tree.other.name}的{year}年度报告")]
    assert not Upload.objects.filter(region=tree.city).exists()


def test_a_copy_in_another_region_is_not_revealed(tree: Tree, county: County) -> None:
    stored_in_district(tree)
    done = services.collect(county.supervisor, county.agency, YEAR, [("南山镇.txt", SEED.read_bytes())])
    # Stored like any new file: no duplicate, no word of the district's copy anywhere in the result.
    assert done.duplicates == [] and done.failures == []
    assert [u.file_name for u in done.uploads] == ["南山镇.txt"]
    assert tree.other.name not in repr(done)
    assert ReportVersion.objects.filter(submission__agency=tree.other).count() == 1


def test_a_waiting_file_elsewhere_is_named_only_to_who_may_see_it(tree: Tree, county: County) -> None:
    services.collect(county.supervisor, county.agency, YEAR, [("县里先收.txt", SEED.read_bytes())])
    hidden = services.collect(tree.supervise, tree.district, YEAR, [("区里后收.txt", SEED.read_bytes())])
    assert hidden.duplicates == [] and len(hidden.uploads) == 1
    seen = services.collect(tree.admin, tree.city, YEAR, [("市里.txt", SEED.read_bytes())])
    assert not seen.uploads and len(seen.duplicates) == 1
    assert "待确认文件" in seen.duplicates[0][1]


def test_the_same_file_twice_in_one_upload(tree: Tree) -> None:
    data = SEED.read_bytes()
    done = services.collect(tree.supervise, tree.district, YEAR, [("a.txt", data), ("b.txt", data)])
    assert len(done.uploads) == 1 and done.duplicates == [("b.txt", "与本次上传的另一文件相同")]
