"""Tracking codes (查询码): what an applicant copies off a paper receipt to follow a request.

Twenty characters of Crockford's base32 alphabet (digits and capitals without I, L, O and U) are
100 random bits, shown in five groups of four ("7K3M-Q9TZ-…"). The alphabet has no characters
that read alike on paper, so typing is case-insensitive, spaces and dashes are ignored, and the
letters I, L and O typed for 1, 1 and 0 are read as those digits. Codes are stored normalised.
"""

from __future__ import annotations

import random
import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 20  # 20 × 5 bits = 100 bits
GROUP = 4
_READ_AS = str.maketrans({"I": "1", "L": "1", "O": "0"})
_SEPARATORS = re.compile(r"[\s\-‐‑–—－_]+")
_CODE = re.compile(f"[{ALPHABET}]{{{LENGTH}}}")


def new_code(rng: random.Random | None = None) -> str:
    """A fresh code from the system's secure randomness (or `rng`, for the reproducible demo)."""
    choose = rng.choice if rng is not None else secrets.choice
    return "".join(choose(ALPHABET) for _ in range(LENGTH))


def normalise(text: str) -> str | None:
    """The stored form of a typed code, or None when it cannot be one."""
    code = _SEPARATORS.sub("", text.strip()).upper().translate(_READ_AS)
    return code if _CODE.fullmatch(code) else None


def grouped(code: str) -> str:
    """ "7K3MQ9TZ…" as "7K3M-Q9TZ-…"; a code of an older format is shown as stored."""
    if not _CODE.fullmatch(code):
        return code
    return "-".join(code[i : i + GROUP] for i in range(0, LENGTH, GROUP))
