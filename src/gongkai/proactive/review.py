"""The personal-data gate of review before publishing.

An item may not be approved while its text or an attachment holds personal data that no reviewer
has dealt with: each hit is either redacted (the text changes, so the next scan no longer finds it)
or accepted with a reason (an official's published name and office phone, say). Decisions are kept
by fingerprint, an HMAC of the kind and the raw value under a key the caller keeps per item, so a
decision survives a re-scan and an edit elsewhere in the text, a changed number needs a new
decision, and the stored fingerprint does not reveal the number (an unkeyed hash of an ID number
could be reversed by trying every birth date and serial).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass

from ..personal_data import KIND_ZH, PersonalKind, scan


@dataclass(frozen=True)
class Finding:
    source: str  # "正文", or the attachment's file name
    kind: PersonalKind
    start: int
    end: int
    masked: str
    fingerprint: str


@dataclass(frozen=True)
class Review:
    findings: tuple[Finding, ...]
    blocking: tuple[Finding, ...]  # neither redacted nor accepted with a reason
    truncated: tuple[str, ...]  # sources with more hits than the scanner reports

    @property
    def may_publish(self) -> bool:
        return not self.blocking and not self.truncated

    def message(self) -> str:
        """The reviewer's summary in Chinese."""
        if self.may_publish:
            return "未发现未处理的个人信息"
        parts = [f"{f.source}中的{f.masked}（{KIND_ZH[f.kind]}）" for f in self.blocking[:10]]
        more = f"等{len(self.blocking)}处" if len(self.blocking) > 10 else ""
        text = f"含有未处理的个人信息：{'；'.join(parts)}{more}。请逐项遮盖，或说明理由后确认可以公开"
        if self.truncated:
            text += f"；{'、'.join(self.truncated)}中个人信息过多，请先处理后再检查"
        return text


def fingerprint(kind: PersonalKind, raw: str, key: bytes) -> str:
    return hmac.new(key, f"{kind}:{raw}".encode(), hashlib.sha256).hexdigest()[:32]


def review(texts: Mapping[str, str], accepted: Mapping[str, str], key: bytes) -> Review:
    """Scan every source; `accepted` maps fingerprints to the reviewer's reason."""
    if len(key) < 16:
        raise ValueError("the fingerprint key must be at least 16 bytes")
    findings: list[Finding] = []
    truncated: list[str] = []
    for source, text in texts.items():
        result = scan(text, reveal=True)
        if result.truncated:
            truncated.append(source)
        findings += [
            Finding(source, h.kind, h.start, h.end, h.masked, fingerprint(h.kind, h.text, key))
            for h in result.hits
        ]
    blocking = tuple(f for f in findings if not accepted.get(f.fingerprint, "").strip())
    return Review(tuple(findings), blocking, tuple(truncated))
