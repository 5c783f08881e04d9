"""Search over Chinese text that works the same on SQLite and PostgreSQL: a bigram index.

SQLite's FTS5 trigram tokenizer needs three characters and is SQLite's alone; PostgreSQL's pg_trgm
drops CJK characters under some locales. Most Chinese search words are two characters (低保, 救助),
so the index keeps every overlapping two-character piece of a published item's title and text
(`SearchGram`), and a phrase matches the items holding all of its pieces; the page then keeps only
those that contain the phrase itself. Text is NFKC-folded and lowercased on both sides, so
full-width letters and digits find their half-width forms.
"""

from __future__ import annotations

import re
import unicodedata

MAX_QUERY = 40  # characters of a search phrase
MAX_GRAMS = 12  # pieces of a phrase the database must match; the rest are checked on the text
_RUN = re.compile(r"\w+")


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def grams(text: str) -> set[str]:
    """Every two-character piece inside a run of letters, digits or Chinese characters."""
    found: set[str] = set()
    for run in _RUN.findall(fold(text)):
        found.update(run[i : i + 2] for i in range(len(run) - 1))
    return found


def query_grams(phrase: str) -> list[str]:
    """The pieces the database matches for `phrase` (spread over it when it is long), or [] when it
    has no run of two characters."""
    ordered = sorted(grams(phrase))
    if len(ordered) <= MAX_GRAMS:
        return ordered
    step = len(ordered) / MAX_GRAMS
    return [ordered[int(i * step)] for i in range(MAX_GRAMS)]


def terms(phrase: str) -> list[str]:
    """The folded words of `phrase` each result must contain."""
    return [t for t in _RUN.findall(fold(phrase[:MAX_QUERY])) if t]


def matches(text: str, words: list[str]) -> bool:
    folded = fold(text)
    return all(w in folded for w in words)
