"""Read files under a memory cap and report each outcome as a JSON line: the fuzz test's worker.

Run as `python tests/bounded_read.py --max-mb 500 FILE...`. The address-space limit makes a
reader that exceeds the memory bound fail (MemoryError, or the process dies) instead of
swapping; each file's outcome is `ok`, `read-error` or `extract-error` (the project's own
errors), or `crash` with the exception, so the caller can tell a clear refusal from a bug.
"""

from __future__ import annotations

import argparse
import json
import resource
import time
import traceback


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--max-mb", type=int, default=500)
    parser.add_argument("--check", action="store_true", help="also run the checks on what was read")
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    limit = args.max_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    from gongkai.checks import Context, check
    from gongkai.extraction import ExtractError, extract
    from gongkai.reading import ReadError, load

    for name in args.files:
        started = time.perf_counter()
        outcome, detail = "ok", ""
        try:
            document = load(name)
            report = extract(document)
            if args.check:
                check(report, Context(previous=None, text=document.text()))
        except ReadError as exc:
            outcome, detail = "read-error", exc.en
        except ExtractError as exc:
            outcome, detail = "extract-error", exc.en
        except BaseException as exc:  # anything else is what this worker exists to report
            outcome, detail = "crash", "".join(traceback.format_exception(exc))[-2000:]
        seconds = time.perf_counter() - started
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        row = {"file": name, "outcome": outcome, "detail": detail, "s": seconds, "peak_mb": peak_mb}
        print(json.dumps(row), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
