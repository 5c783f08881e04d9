"""The personal-data scanner on big text: `python benchmarks/bench_scan.py`.

The scan must be linear: time per megabyte stays flat as the text grows, whatever the text is.
Three kinds of text, each at 1, 4 and 16 million characters: prose like a published notice with
an ID number, a mobile number and a name every 2,000 characters; dense digit noise (numbers,
spaces and dashes, the scanner's busiest case); and one unbroken run of a single digit.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

from _common import machine, peak_rss_mb, update_section
from gongkai.personal_data import scan

SIZES = (1_000_000, 4_000_000, 16_000_000)
PROSE = "根据有关规定，现将辖区城市最低生活保障金发放情况公示如下，公示期为五个工作日。"


def prose(n: int, rng: random.Random) -> str:
    block = (PROSE * 60)[:1960] + "申请人王小明，身份证号码11010519491231002X，电话13812345678。"
    return (block * (n // len(block) + 1))[:n]


def noise(n: int, rng: random.Random) -> str:
    alphabet = "0123456789 -"
    return "".join(rng.choices(alphabet, k=n))


def digits(n: int, rng: random.Random) -> str:
    return "7" * n


KINDS: tuple[tuple[str, Callable[[int, random.Random], str]], ...] = (
    ("prose with personal data", prose),
    ("digit noise", noise),
    ("one run of digits", digits),
)


def main() -> None:
    rng = random.Random(1)
    lines = [
        f"Machine: {machine()}, one process.",
        "",
        "| text | characters | hits | time (s) | ms per million characters |",
        "|---|---|---|---|---|",
    ]
    for name, make in KINDS:
        for size in SIZES:
            text = make(size, rng)
            start = time.perf_counter()
            result = scan(text, max_hits=10**9)
            seconds = time.perf_counter() - start
            lines.append(
                f"| {name} | {size:,} | {len(result.hits):,} | {seconds:.2f} | {seconds / size * 1e9:.0f} |"
            )
    big = prose(SIZES[-1], rng)
    peak = peak_rss_mb(lambda: scan(big))
    lines += ["", f"Peak memory scanning the 16M-character prose (default hit cap): {peak:.0f} MB."]
    update_section(
        "bench:scan",
        "## Personal-data scan (`gongkai.personal_data.scan`)\n\n"
        + "\n".join(lines)
        + "\n\nReproduce: `.venv/bin/python benchmarks/bench_scan.py`",
    )
    print("\n".join(lines))


if __name__ == "__main__":
    main()
