"""Personal data: validators for the desk's forms and the scanner that blocks publication."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import luhn
from stdnum.iso7064 import mod_11_2

from gongkai import personal_data
from gongkai.personal_data import (
    PROVINCES,
    InvalidValue,
    PersonalKind,
    ScanLimit,
    id_number_problem,
    scan,
    validate_bank_card,
    validate_id_number,
    validate_mobile,
    validate_phone,
)


@st.composite
def id_numbers(draw: st.DrawFn) -> str:
    province = draw(st.sampled_from(sorted(PROVINCES)))
    region = draw(st.from_regex(r"[0-9]{4}", fullmatch=True))
    born = draw(st.dates(date(1900, 1, 1), date(2025, 12, 31)))
    serial = draw(st.from_regex(r"[0-9]{3}", fullmatch=True))
    body = f"{province}{region}{born:%Y%m%d}{serial}"
    return body + mod_11_2.calc_check_digit(body)


@st.composite
def card_numbers(draw: st.DrawFn) -> str:
    # "60" is no province code, so a card is never also a valid ID number.
    body = "60" + draw(st.from_regex(r"[0-9]{13,16}", fullmatch=True))
    return body + luhn.calc_check_digit(body)


mobiles = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)
filler = st.text(alphabet="的了在是我有和人这中大为上个国到说们以要他时来用年公开申请情况。，：", max_size=20)


@given(filler, id_numbers(), filler)
def test_generated_id_numbers_are_found_and_masked(before: str, number: str, after: str) -> None:
    text = f"{before} {number} {after}"
    found = [h for h in scan(text).hits if h.kind is PersonalKind.ID_NUMBER]
    assert [(h.start, h.end) for h in found] == [(len(before) + 1, len(before) + 19)]
    hit = found[0]
    assert hit.text == hit.masked == number[:3] + "*" * 11 + number[-4:]
    assert validate_id_number(number.lower()) == number


@given(id_numbers(), st.integers(0, 17), st.integers(1, 9))
def test_a_one_character_change_in_an_id_number_is_rejected(number: str, position: int, shift: int) -> None:
    alphabet = "0123456789X" if position == 17 else "0123456789"
    index = alphabet.index(number[position])
    changed = number[:position] + alphabet[(index + shift) % len(alphabet)] + number[position + 1 :]
    assert changed != number
    assert id_number_problem(changed)
    assert not [h for h in scan(changed).hits if h.kind is PersonalKind.ID_NUMBER]


@given(filler, card_numbers(), st.booleans())
def test_generated_card_numbers_are_found(before: str, number: str, grouped: bool) -> None:
    printed = " ".join(number[i : i + 4] for i in range(0, len(number), 4)) if grouped else number
    text = f"{before}卡号{printed}。"
    cards = [h for h in scan(text, reveal=True).hits if h.kind is PersonalKind.BANK_CARD]
    assert [h.text for h in cards] == [printed]
    assert cards[0].masked == number[:4] + "*" * (len(number) - 8) + number[-4:]


@given(mobiles, st.sampled_from(["{a}{b}{c}", "{a} {b} {c}", "{a}-{b}-{c}", "+86 {a}{b}{c}"]))
def test_mobile_numbers_are_found_in_their_usual_spellings(number: str, spelling: str) -> None:
    printed = spelling.format(a=number[:3], b=number[3:7], c=number[7:])
    hits = scan(f"联系电话：{printed}，").hits
    assert [(h.kind, h.masked) for h in hits] == [(PersonalKind.MOBILE, number[:3] + "****" + number[-4:])]
    assert validate_mobile(printed) == number


@given(st.text(alphabet="0123456789 -Xx+号", max_size=300))
def test_digit_noise_gives_only_hits_that_pass_their_check(noise: str) -> None:
    for hit in scan(noise, reveal=True).hits:
        if hit.kind is PersonalKind.ID_NUMBER:
            assert id_number_problem(hit.text) == ""
        elif hit.kind is PersonalKind.MOBILE:
            validate_mobile(hit.text)
        elif hit.kind is PersonalKind.BANK_CARD:
            validate_bank_card(hit.text)
        assert noise[hit.start : hit.end] == hit.text


@given(id_numbers(), st.from_regex(r"[0-9]{1,5}", fullmatch=True))
def test_numbers_inside_longer_digit_runs_are_not_taken(number: str, extra: str) -> None:
    run = extra + number
    hits = [h for h in scan(run, reveal=True).hits if h.kind is PersonalKind.ID_NUMBER]
    assert hits == []


def test_masked_scans_never_carry_the_raw_value() -> None:
    text = "申请人王小明，身份证号码11010519491231002X，手机13812345678。"
    for hit in scan(text).hits:
        assert hit.text == hit.masked
        assert "王小明" not in hit.text and "13812345678" not in hit.text and "1949" not in hit.text
    names = [h for h in scan(text).hits if h.kind is PersonalKind.NAME]
    assert [(h.start, h.end, h.masked) for h in names] == [(3, 6, "王**")]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("张三11010519491231002X", ["张三"]),
        ("身份证号11010519491231002X（欧阳娜娜）", ["欧阳娜娜"]),
        ("13812345678李四的申请", ["李四"]),
        ("联系人：王小明", ["王小明"]),
        ("姓名 陈红", ["陈红"]),
        ("申请人情况：自然人12件", []),
        ("申请人无正当理由逾期不补正", []),
    ],
)
def test_names_next_to_numbers_or_after_labels(text: str, names: list[str]) -> None:
    found = [h.text for h in scan(text, reveal=True).hits if h.kind is PersonalKind.NAME]
    assert found == names


def test_report_tables_with_numbers_run_together_are_not_personal_data() -> None:
    text = "一、本年新收政府信息公开申请数量\t801000081\t本年收费金额（单位：万元）0.0400\t2025年1月1日"
    assert scan(text).hits == ()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1", "应为18位（或旧版15位），现为1位"),
        ("11010519491231002Y", "17位数字加1位数字或X"),
        ("110105194912310021", "校验位不正确"),
        ("990105194912310028", "不是有效的省级行政区划代码"),
        ("110105194902300021", "不是有效日期"),
    ],
)
def test_id_numbers_the_desk_refuses(value: str, message: str) -> None:
    with pytest.raises(InvalidValue) as error:
        validate_id_number(value)
    assert message in error.value.zh


def test_birth_dates_after_today_are_refused_when_today_is_given() -> None:
    body = f"110105{date(2030, 1, 1):%Y%m%d}001"
    number = body + mod_11_2.calc_check_digit(body)
    assert validate_id_number(number) == number
    assert "不合理" in id_number_problem(number, today=date(2026, 1, 1))


@pytest.mark.parametrize("value", ["1", "12345678901", "138123456789", "1381234567a"])
def test_phones_the_desk_refuses(value: str) -> None:
    with pytest.raises(InvalidValue) as error:
        validate_phone(value)
    assert "联系电话应为11位手机号码" in error.value.zh


@pytest.mark.parametrize("value", ["138 1234 5678", "0371-62345678", "010-62345678-801", "(0371)62345678"])
def test_phones_the_desk_accepts(value: str) -> None:
    assert validate_phone(value)


def test_bank_cards_the_desk_refuses() -> None:
    with pytest.raises(InvalidValue, match="Luhn"):
        validate_bank_card("6222021234567890123")
    with pytest.raises(InvalidValue) as error:
        validate_bank_card("1234")
    assert "16—19位" in error.value.zh


def test_the_scan_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    many = "，".join("13812345678" for _ in range(50))
    result = scan(many, max_hits=10)
    assert result.truncated and len(result.hits) == 10
    monkeypatch.setattr(personal_data, "MAX_CHARS", 100)
    with pytest.raises(ScanLimit) as error:
        scan("字" * 101)
    assert "上限 100 字" in error.value.zh
