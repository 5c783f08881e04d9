"""Review before publishing: personal data blocks approval until each hit is redacted or accepted."""

from __future__ import annotations

from gongkai.personal_data import PersonalKind, redact, scan
from gongkai.proactive.review import review

KEY = b"k" * 32
TEXT = "临时救助公示：申请人王小明，身份证号码11010519491231002X，联系电话13812345678。"


def test_personal_data_blocks_until_each_hit_is_dealt_with() -> None:
    first = review({"正文": TEXT}, {}, KEY)
    assert not first.may_publish
    assert {f.kind for f in first.blocking} == {
        PersonalKind.NAME,
        PersonalKind.ID_NUMBER,
        PersonalKind.MOBILE,
    }
    assert "110***********002X" in first.message() and "11010519491231002X" not in first.message()
    name = next(f for f in first.findings if f.kind is PersonalKind.NAME)
    # accepting without a reason is no decision
    assert len(review({"正文": TEXT}, {name.fingerprint: " "}, KEY).blocking) == 3
    # the name is accepted with a reason; the numbers are redacted
    numbers = [h for h in scan(TEXT).hits if h.kind is not PersonalKind.NAME]
    edited = redact(TEXT, numbers)
    assert "110***********002X" in edited and "138****5678" in edited
    final = review({"正文": edited}, {name.fingerprint: "受助人同意公开姓名"}, KEY)
    assert final.may_publish and final.message() == "未发现未处理的个人信息"


def test_a_decision_is_tied_to_the_value_and_the_key() -> None:
    one = review({"附件.docx": TEXT}, {}, KEY).findings
    again = review({"附件.docx": "前言。" + TEXT}, {}, KEY).findings
    assert [f.fingerprint for f in one] == [f.fingerprint for f in again]  # survives edits elsewhere
    other = review({"附件.docx": TEXT.replace("13812345678", "13912345678")}, {}, KEY).findings
    assert {f.fingerprint for f in other} != {f.fingerprint for f in one}
    assert {f.fingerprint for f in review({"正文": TEXT}, {}, b"x" * 32).findings}.isdisjoint(
        {f.fingerprint for f in one}
    )
    assert all("11010519491231002X" not in f.fingerprint for f in one)
