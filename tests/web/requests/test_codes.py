"""Tracking codes: 100 bits in an alphabet without look-alikes, read back however they are typed."""

from __future__ import annotations

import math
import random

from hypothesis import given
from hypothesis import strategies as st

from gongkai.web.requests import codes


def test_a_code_has_at_least_80_bits_and_no_confusable_characters() -> None:
    assert len(set(codes.ALPHABET)) == 32 and not set("ILOU") & set(codes.ALPHABET)
    assert codes.LENGTH * math.log2(len(codes.ALPHABET)) >= 80
    code = codes.new_code()
    assert len(code) == codes.LENGTH and set(code) <= set(codes.ALPHABET)
    assert codes.new_code() != code
    assert codes.new_code(random.Random(5)) == codes.new_code(random.Random(5))


@given(st.randoms(use_true_random=False), st.sampled_from([" ", "-", "", "  ", "－"]), st.booleans())
def test_a_printed_code_reads_back_however_it_is_typed(rng: random.Random, sep: str, lower: bool) -> None:
    code = codes.new_code(rng)
    printed = codes.grouped(code)
    assert printed.count("-") == 4 and printed.replace("-", "") == code
    typed = printed.replace("-", sep).replace("0", "O").replace("1", "I")
    assert codes.normalise(typed.lower() if lower else typed) == code


def test_what_cannot_be_a_code_is_refused() -> None:
    for text in (
        "",
        "1",
        "ABCD-EFGH-JKMN-PQRS-TVW",
        "ABCD-EFGH-JKMN-PQRS-TVWXY",
        "ABCD-EFGH-JKMN-PQRS-TVW!",
        "U" * 20,
    ):
        assert codes.normalise(text) is None, text
    assert codes.grouped("legacy_Code-x") == "legacy_Code-x"
