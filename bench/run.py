"""The benchmark: whole-process wall times of logbook commands on synthetic stores.

    python bench/run.py            # every area, full sizes
    python bench/run.py --quick    # fewer runs and smaller stores, for a quick look
    python bench/run.py --only ideas

Prints a markdown table (the one in docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import importlib
import platform
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import Row

AREAS = ("ideas", "papers", "publish", "themes", "related", "export")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs, smaller stores")
    parser.add_argument("--only", choices=AREAS, action="append", help="run only this area")
    args = parser.parse_args()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="logbook-bench-") as work:
        for area in args.only or AREAS:
            module = importlib.import_module(f"bench_{area}")
            print(f"running {area}…", file=sys.stderr)
            area_dir = Path(work) / area
            area_dir.mkdir()
            rows.extend(module.run(area_dir, args.quick))
    cpu = platform.processor() or platform.machine()
    print(
        f"Machine: {platform.system()} {platform.machine()} ({cpu}), Python {platform.python_version()}\n"
    )
    print("| case | store | median s | min s | max s | peak MB | target | note |")
    print("|---|---|---:|---:|---:|---:|---|---|")
    for row in rows:
        t = row.timing
        print(
            f"| {row.case} | {row.size} | {t.median:.3f} | {t.min:.3f} | {t.max:.3f} "
            f"| {t.peak_mb:.0f} | {row.target} | {row.note} |"
        )


if __name__ == "__main__":
    main()
