"""The administrative level of a reporting body, guessed from its name.

Deadlines (R12), the duty to report assessment results (R10) and what fee amount is
plausible (R14) depend on whether the body is a township, a county, a city or a province,
and whether it is a government or one of its departments. Names are regular enough to
tell; where they are not, the level is UNKNOWN and the rules that need it stay quiet.
"""

from __future__ import annotations

import re
from enum import IntEnum

MUNICIPALITIES = ("北京市", "上海市", "天津市", "重庆市")


class Level(IntEnum):
    UNKNOWN = 0
    TOWNSHIP = 1  # 乡、镇、街道办事处 and bodies reporting like them (片区管理局)
    COUNTY = 2  # 县、区、县级市 and their departments
    CITY = 3  # 地级市、州、盟 and their departments
    PROVINCE = 4  # 省、自治区、直辖市 and their departments

    @property
    def zh(self) -> str:
        return ("级别不明", "乡镇（街道）", "县级", "市级", "省级")[self]


TOWNSHIP = re.compile(r"(街道|镇|乡|片区)(人民政府|办事处|管理局|管委会)?$|街道办|苏木")
GOVERNMENT = re.compile(r"人民政府(办公室|办公厅)?$")


def level_of(agency: str | None) -> Level:
    if not agency:
        return Level.UNKNOWN
    if TOWNSHIP.search(agency):
        return Level.TOWNSHIP
    head = agency
    for name in MUNICIPALITIES:
        if head.startswith(name):
            head = head[len(name) :]
            if not re.search(r"区|县", head):
                return Level.PROVINCE
    if re.search(r"[县区旗](?!域)", head):
        return Level.COUNTY
    if re.search(r"[市州盟]", head):
        return Level.CITY
    if re.search(r"省|自治区", head):
        return Level.PROVINCE
    return Level.UNKNOWN


def is_government(agency: str | None) -> bool:
    """A people's government (or its general office reporting for it), not a department."""
    return bool(agency and GOVERNMENT.search(agency))
