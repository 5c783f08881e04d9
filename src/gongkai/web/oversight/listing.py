"""The overview's long lists as HTML, written in one pass: a province has thousands of agencies, and
the template engine spends a millisecond on every dozen rows (docs/benchmarks.md). Every text is
escaped here; numbers and dates are the selector's own."""

from __future__ import annotations

from html import escape

from django.utils.safestring import SafeString, mark_safe

from .selectors import Row


def rows(listed: list[Row], report_base: str) -> SafeString:
    """The table body: each agency, its state, when it filed, and its findings by severity."""
    out = []
    for r in listed:
        name = escape(r.name)
        if r.submission is not None:
            name = f'<a href="{report_base}{r.submission}/">{name}</a>'
        late = ' class="late"' if r.late else ""
        filed_on = r.submitted_on.isoformat() if r.submitted_on is not None else ""
        out.append(
            f'<tr{late} data-agency="{r.pk}"><td>{name}</td>'
            f"<td>{r.status_zh}</td><td>{filed_on}</td><td>{r.deadline.isoformat()}</td>"
            f"<td>{r.errors}</td><td>{r.warnings}</td><td>{r.notices}</td></tr>"
        )
    return mark_safe("".join(out))  # every name escaped above


def names(listed: list[Row]) -> SafeString:
    """A list of agencies, each with the dates its lateness is counted from: the deadline, the day
    it first filed (or that it has not), and by how many days it is late."""
    out = []
    for r in listed:
        if r.submitted_on is not None:
            said = f"，首次报送于 {r.submitted_on.isoformat()}"
            said += f"，逾期 {r.days_late} 天" if r.late else ""
        else:
            said = f"，尚未报送，已逾期 {r.days_late} 天" if r.late else "，尚未报送"
        out.append(f"<li>{escape(r.name)}（期限 {r.deadline.isoformat()}{said}）</li>")
    return mark_safe("".join(out))  # every name escaped above
