"""Personal data in text: validators for the desk's forms and a scanner for review before publishing.

Three kinds of number are recognised only when their own check passes, so digit noise (order
numbers, amounts, table cells run together) does not block a publication:

- 居民身份证号码 (GB 11643): 18 characters whose last is the ISO 7064 MOD 11-2 check character, with a
  province code in the first two digits and a real birth date; the 15-digit legacy form (no check
  character, two-digit birth year) by its province code and date.
- Mainland mobile numbers: 11 digits starting 13–19, optionally written 3-4-4 with spaces or
  dashes, optionally after +86.
- Bank card numbers: 16–19 digits (optionally in groups of four) that pass the Luhn check.

None is taken from inside a longer run of digits. A name next to a number (a 2–4 character run
starting with a common surname, right before or after it) or after a label such as 姓名/申请人/联系人
is reported too. The check arithmetic is python-stdnum's; the patterns are linear and the text and
the number of hits are capped, so the scan is bounded on any input.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Protocol

from stdnum import luhn
from stdnum.iso7064 import mod_11_2

MAX_CHARS = 20_000_000  # about 40 MB of Chinese text; a published attachment is far smaller
MAX_HITS = 10_000
NAME_WINDOW = 12  # characters searched on either side of a number for a name

# GB/T 2260 province-level codes (the first two digits of every region code).
PROVINCES = frozenset(
    (
        *("11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37"),
        *("41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65"),
        *("71", "81", "82", "83"),
    )
)

# The commonest surnames (single and compound); a name is only recognised if it starts with one.
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施"
    "文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷"
    "盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷"
    "晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
)
COMPOUND_SURNAMES = frozenset(
    ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "夏侯", "端木")
)
NAME_LABELS = ("姓名", "申请人", "联系人", "当事人", "户主", "收件人", "法定代表人", "委托人", "代理人")
# Characters that end a name: particles, and the first characters of words that follow names.
NAME_STOP = frozenset("的于在向对与和及等是为因申先女同身电手联住性男号证码卡户地办")

_HAN = "\u4e00-\u9fff"
_DATE = r"(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
_ID18 = rf"(?<![0-9])(?P<id18>[1-9]\d{{5}}(?:18|19|20)\d{{2}}{_DATE}\d{{3}}[0-9Xx])(?![0-9Xx])"
_ID15 = rf"(?<![0-9])(?P<id15>[1-9]\d{{7}}{_DATE}\d{{3}})(?![0-9])"
_MOBILE = r"(?<![0-9+])(?P<mobile>(?:\+?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2})(?![0-9])"
_CARD = r"(?<![0-9])(?P<card>\d{4}(?:[ -]\d{4}){3}(?:[ -]?\d{1,3})?|\d{16,19})(?![0-9])"
# The leading lookahead lets the engine skip non-digits fast (20x on prose) before the alternatives.
NUMBERS = re.compile("(?=[0-9+])(?:" + "|".join((_ID18, _ID15, _MOBILE, _CARD)) + ")")
LABELLED_NAME = re.compile(rf"(?:{'|'.join(NAME_LABELS)})[：:\s]*(?P<name>[{_HAN}·]{{2,5}})")
_HAN_RUN = re.compile(rf"[{_HAN}]+")
_SEPARATORS = " \t\u3000:：,，、(（)）[]【】;；-—"
_NUMBER_LABELS = re.compile(
    r"(?:公民身份号码|居民身份证号码?|身份证号码?|身份证|证件号码?|联系电话|手机号码?|电话号码?|电话|手机|"
    r"银行卡号|银行账号|卡号|账号)$"
)


class PersonalKind(StrEnum):
    ID_NUMBER = "id_number"
    MOBILE = "mobile"
    BANK_CARD = "bank_card"
    NAME = "name"


KIND_ZH = {
    PersonalKind.ID_NUMBER: "居民身份证号码",
    PersonalKind.MOBILE: "手机号码",
    PersonalKind.BANK_CARD: "银行卡号",
    PersonalKind.NAME: "姓名",
}


class InvalidValue(ValueError):
    """A form value that is not what it claims to be; `.zh` is the message for the form."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en


class ScanLimit(ValueError):
    """The text is larger than the scanner takes."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en


@dataclass(frozen=True)
class Hit:
    """One piece of personal data: `text` is the raw value only when the scan was asked to reveal it."""

    kind: PersonalKind
    start: int
    end: int
    text: str
    masked: str

    @property
    def kind_zh(self) -> str:
        return KIND_ZH[self.kind]


@dataclass(frozen=True)
class Scan:
    hits: tuple[Hit, ...]
    truncated: bool  # more than MAX_HITS were found; the text needs review in any case


# Validators -----------------------------------------------------------------------------------


def _digits(value: str) -> str:
    return re.sub(r"[\s-]", "", value)


def id_number_problem(value: str, today: date | None = None) -> str:
    """Why `value` is not a valid 居民身份证号码, in Chinese, or "" when it is valid."""
    number = _digits(value).upper()
    if len(number) == 18:
        if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
            return "身份证号码应为17位数字加1位数字或X"
        birth = number[6:14]
    elif len(number) == 15:
        if not number.isdigit():
            return "15位身份证号码应全部为数字"
        birth = "19" + number[6:12]
    else:
        return f"身份证号码应为18位（或旧版15位），现为{len(number)}位"
    if number[:2] not in PROVINCES:
        return f"身份证号码前两位“{number[:2]}”不是有效的省级行政区划代码"
    try:
        born = date(int(birth[:4]), int(birth[4:6]), int(birth[6:8]))
    except ValueError:
        return f"身份证号码中的出生日期“{birth}”不是有效日期"
    if born.year < 1900 or (today is not None and born > today):
        return f"身份证号码中的出生日期“{birth}”不合理"
    if len(number) == 18 and not mod_11_2.is_valid(number):
        return "身份证号码校验位不正确，请核对"
    return ""


def validate_id_number(value: str, today: date | None = None) -> str:
    """The number normalised (upper-case X, no spaces), or InvalidValue with the reason."""
    problem = id_number_problem(value, today)
    if problem:
        raise InvalidValue(problem, f"invalid resident identity card number: {problem}")
    return _digits(value).upper()


def validate_mobile(value: str) -> str:
    """An 11-digit mainland mobile number (spaces, dashes and +86 allowed), normalised to digits."""
    number = _digits(value)
    number = number.removeprefix("+86") if number.startswith("+86") else number
    if len(number) == 13 and number.startswith("86"):
        number = number[2:]
    if not number.isdigit():
        raise InvalidValue("手机号码只能包含数字", "a mobile number has only digits")
    if len(number) != 11 or not re.fullmatch(r"1[3-9]\d{9}", number):
        raise InvalidValue(
            f"手机号码应为以13—19开头的11位数字，现为“{value.strip()}”",
            f"a mobile number is 11 digits starting 13-19, got {value!r}",
        )
    return number


LANDLINE = re.compile(r"0\d{2,3}-?[2-9]\d{6,7}(?:-\d{1,6})?")


def validate_phone(value: str) -> str:
    """A contact phone: a mobile number, or a landline with its area code (0371-62345678[-分机])."""
    text = value.strip().replace(" ", "")
    if LANDLINE.fullmatch(text.replace("（", "").replace("）", "-").replace("(", "").replace(")", "-")):
        return text
    try:
        return validate_mobile(value)
    except InvalidValue:
        raise InvalidValue(
            "联系电话应为11位手机号码，或带区号的固定电话（如0371-62345678）",
            f"a phone is a mobile number or a landline with area code, got {value!r}",
        ) from None


def validate_bank_card(value: str) -> str:
    number = _digits(value)
    if not number.isdigit() or not 16 <= len(number) <= 19:
        raise InvalidValue("银行卡号应为16—19位数字", "a bank card number has 16-19 digits")
    if not luhn.is_valid(number):
        raise InvalidValue("银行卡号校验不通过，请核对", "the bank card number fails the Luhn check")
    return number


# Masking ------------------------------------------------------------------------------------------


def mask(kind: PersonalKind, value: str) -> str:
    """The value with its middle hidden: 110***********1234, 138****5678, 6222***********1234, 张**."""
    if kind is PersonalKind.NAME:
        keep = 2 if value[:2] in COMPOUND_SURNAMES else 1
        return value[:keep] + "*" * (len(value) - keep)
    digits = _digits(value)
    if kind is PersonalKind.MOBILE and len(digits) > 11:
        digits = digits[-11:]
    head = {PersonalKind.ID_NUMBER: 3, PersonalKind.MOBILE: 3, PersonalKind.BANK_CARD: 4}[kind]
    return digits[:head] + "*" * (len(digits) - head - 4) + digits[-4:]


# Scanning -----------------------------------------------------------------------------------------


def scan(text: str, reveal: bool = False, max_hits: int = MAX_HITS) -> Scan:
    """Every piece of personal data in `text`, in order. Raw values only when `reveal` is set."""
    if len(text) > MAX_CHARS:
        raise ScanLimit(
            f"文本过长（{len(text)} 字，上限 {MAX_CHARS} 字），请拆分后再检查",
            f"text too long to scan ({len(text)} characters, limit {MAX_CHARS})",
        )
    hits: list[Hit] = []
    named: set[tuple[int, int]] = set()

    def add(kind: PersonalKind, start: int, end: int) -> bool:
        value = text[start:end]
        masked = mask(kind, value)
        hits.append(Hit(kind, start, end, value if reveal else masked, masked))
        return len(hits) >= max_hits

    for match in NUMBERS.finditer(text):
        kind = _number_kind(match)
        if kind is None:
            continue
        if add(kind, match.start(), match.end()):
            return Scan(tuple(sorted(hits, key=lambda h: h.start)), True)
        for span in (_name_before(text, match.start()), _name_after(text, match.end())):
            if span is not None and span not in named:
                named.add(span)
                if add(PersonalKind.NAME, *span):
                    return Scan(tuple(sorted(hits, key=lambda h: h.start)), True)
    for match in LABELLED_NAME.finditer(text):
        span = _name_in(text, match.start("name"), match.end("name"))
        if span is not None and span not in named:
            named.add(span)
            if add(PersonalKind.NAME, *span):
                break
    return Scan(tuple(sorted(hits, key=lambda h: h.start)), len(hits) >= max_hits)


def _number_kind(match: re.Match[str]) -> PersonalKind | None:
    group = match.lastgroup
    value = match.group()
    if group in ("id18", "id15"):
        if not id_number_problem(value):
            return PersonalKind.ID_NUMBER
        if group == "id18" and value[-1].isdigit() and luhn.is_valid(value):
            return PersonalKind.BANK_CARD  # an 18-digit card number that looks like an ID
        return None
    if group == "mobile":
        return PersonalKind.MOBILE
    digits = _digits(value)
    if 16 <= len(digits) <= 19 and luhn.is_valid(digits):
        return PersonalKind.BANK_CARD
    return None


def _strip_labels_end(text: str) -> str:
    while True:
        stripped = text.rstrip(_SEPARATORS)
        stripped = _NUMBER_LABELS.sub("", stripped)
        if stripped == text:
            return text
        text = stripped


def _name_before(text: str, start: int) -> tuple[int, int] | None:
    lo = max(0, start - NAME_WINDOW)
    window = _strip_labels_end(text[lo:start])
    run = re.search(rf"[{_HAN}]+$", window)
    if run is None:
        return None
    word = run.group()
    end = lo + run.end()
    for size in (4, 3, 2):  # longest name ending right before the number
        if len(word) >= size and _is_name(word[-size:]):
            return end - size, end
    return None


def _name_after(text: str, end: int) -> tuple[int, int] | None:
    hi = min(len(text), end + NAME_WINDOW)
    window = text[end:hi]
    offset = len(window) - len(window.lstrip(_SEPARATORS))
    run = _HAN_RUN.match(window, offset)
    if run is None:
        return None
    return _name_in(text, end + run.start(), end + run.end())


def _name_in(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The name at the start of text[start:end], cut before a stop character, or None."""
    word = text[start:end]
    surname = 2 if word[:2] in COMPOUND_SURNAMES else 1 if word[:1] in SURNAMES else 0
    if not surname:
        return None
    size = surname
    while size < len(word) and size < surname + 2 and word[size] not in NAME_STOP:
        size += 1
    return (start, start + size) if size > surname else None


def _is_name(word: str) -> bool:
    surname = 2 if word[:2] in COMPOUND_SURNAMES else 1 if word[:1] in SURNAMES else 0
    return bool(surname) and 1 <= len(word) - surname <= 2 and not any(c in NAME_STOP for c in word[surname:])


class Span(Protocol):
    """Anything with a span of a scanned text and its masked form: a `Hit`, a review finding."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def masked(self) -> str: ...


def redact(text: str, hits: Iterable[Span]) -> str:
    """`text` with each hit replaced by its masked form (the spans must come from scanning `text`)."""
    out = []
    last = 0
    for hit in sorted(hits, key=lambda h: h.start):
        if hit.start < last:
            continue  # overlapping spans: the first one already covers it
        out += [text[last : hit.start], hit.masked]
        last = hit.end
    out.append(text[last:])
    return "".join(out)


def masked(text: str) -> str:
    """`text` with every piece of personal data the scanner finds masked; over the scanner's cap,
    the whole text is withheld rather than shown unscanned."""
    try:
        return redact(text, scan(text).hits)
    except ScanLimit:
        return "（内容过长，已隐去）"


_DIGIT_RUN = re.compile(r"\d{4,}")


def could_be_personal(query: str) -> bool:
    """Whether a search query could single out a person by a number: it holds personal data the
    scanner finds, or four or more digits in a row (part of an ID, phone or card number). Names are
    not judged by their shape here: too many words begin with a surname (申请, 高速)."""
    query = query.strip()
    return bool(_DIGIT_RUN.search(query)) or bool(scan(query[:MAX_CHARS]).hits)
