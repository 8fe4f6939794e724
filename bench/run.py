"""The benchmark: whole-process wall times of logbook commands on stores of 0, 10k and 100k.

    python bench/run.py                  # sizes 0, 10k and 100k
    python bench/run.py --sizes 0,2000   # other sizes (a quick look)
    python bench/run.py --only "idea add" --only search

Prints one markdown table (the one in docs/benchmarks.md): a row per command, a column per
store size, the peak memory at the largest size and, when jrnl is installed, jrnl's time
for the same action on the same text and logbook's time as a ratio of it.

Stores are built in bulk with sqlite3 and kept in a cache folder ($LOGBOOK_BENCH_CACHE,
default ~/.cache/logbook-bench), so a second run starts timing at once.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_jrnl
from harness import Timing, cached_export, cached_store, copy_store, logbook, time_command


@dataclass
class Size:
    """The stores of one size, and a private folder for the runs that write."""

    n: int
    work: Path
    # N ideas + N papers: the hot commands, the lists and the weekly post
    store: Path = field(init=False)
    # N entries (0.8 N ideas + 0.2 N papers): export, import, the hook and themes
    mixed: Path = field(init=False)

    def __post_init__(self) -> None:
        self.work.mkdir(parents=True, exist_ok=True)
        self.store = copy_store(cached_store(ideas=self.n, papers=self.n), self.work / "store.db")
        self.mixed = cached_store(ideas=self.n * 4 // 5, papers=self.n - self.n * 4 // 5)

    def env(self, db: Path, **extra: str) -> dict[str, str]:
        """The environment of a run on ``db``: no user config, a private theme cache."""
        return {
            "LOGBOOK_DB": str(db),
            "LOGBOOK_CONFIG": str(self.work / "none.yaml"),
            "LOGBOOK_CACHE_DIR": str(self.work / "cache"),
            **extra,
        }


@dataclass
class Case:
    """One row: how to time it at one size (None: not meaningful at that size)."""

    name: str
    measure: Callable[[Size, int], Timing | None]
    target: str = ""


def _simple(*args: str, mixed: bool = False, **env: str) -> Callable[[Size, int], Timing | None]:
    def measure(size: Size, runs: int) -> Timing:
        db = size.mixed if mixed else size.store
        return time_command(logbook(*args), env=size.env(db, **env), runs=runs)

    return measure


def _paper_show(size: Size, runs: int) -> Timing | None:
    if size.n == 0:
        return None
    return time_command(
        logbook("paper", "show", str(size.n // 2)), env=size.env(size.store), runs=runs
    )


def _themes_cached(size: Size, runs: int) -> Timing:
    env = size.env(size.mixed)
    subprocess.run(
        logbook("themes"), env={**os.environ, **env}, stdout=subprocess.DEVNULL, check=True
    )
    return time_command(logbook("themes"), env=env, runs=runs)


def _themes_apply(size: Size, runs: int) -> Timing | None:
    if size.n == 0:
        return None
    # it writes auto tags: each run on a fresh copy of the mixed store, no themes cache
    timings = []
    for n in range(runs):
        db = copy_store(size.mixed, size.work / f"apply-{n}.db")
        env = size.env(db, LOGBOOK_CACHE_DIR="-")
        timings.append(time_command(logbook("themes", "apply"), env=env, runs=1))
        for path in size.work.glob(f"apply-{n}.db*"):
            path.unlink()
    return _merged(timings)


def _import(size: Size, runs: int) -> Timing | None:
    if size.n == 0:
        return None
    export = cached_export(size.mixed)
    timings = []
    for n in range(runs):
        db = size.work / f"import-{n}.db"
        timings.append(time_command(logbook("import", str(export)), env=size.env(db), runs=1))
        for path in size.work.glob(f"import-{n}.db*"):
            path.unlink()
    return _merged(timings)


def _export_unchanged(size: Size, runs: int) -> Timing:
    # The cached export was made from this very store: nothing changed since.
    export = cached_export(size.mixed)
    return time_command(
        logbook("export", "--out", str(export)), env=size.env(size.mixed), runs=runs
    )


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


def _hook_unchanged(size: Size, runs: int) -> Timing:
    db = copy_store(size.mixed, size.work / "hook.db")
    repo = size.work / "blog"
    shutil.rmtree(repo, ignore_errors=True)
    repo.mkdir()
    _git(repo, "init", "-q")
    _git(repo, "config", "user.name", "Bench")
    _git(repo, "config", "user.email", "bench@example.org")
    env = size.env(db)
    subprocess.run(
        logbook("--db", str(db), "hook", "install", "--repo", str(repo)),
        check=True,
        capture_output=True,
        env={**os.environ, **env},
    )
    (repo / "index.md").write_text("hello\n")
    _git(repo, "add", "index.md")
    # The first commit's hook exports everything (not timed); later runs find no change.
    subprocess.run(
        ["git", "-C", str(repo), "commit", "-q", "-m", "first"],
        check=True,
        capture_output=True,
        env={**os.environ, **env},
    )
    return time_command(["sh", str(repo / ".git/hooks/pre-commit")], env=env, cwd=repo, runs=runs)


def _related_uncached(size: Size, runs: int) -> Timing | None:
    if size.n == 0:
        return None  # nothing to be related to
    env = size.env(size.mixed, LOGBOOK_CACHE_DIR="-")
    return time_command(logbook("related", "1"), env=env, runs=runs)


def _related_cached(size: Size, runs: int) -> Timing | None:
    if size.n == 0:
        return None
    env = size.env(size.mixed)
    subprocess.run(logbook("related", "1"), env={**os.environ, **env}, capture_output=True)
    return time_command(logbook("related", "1"), env=env, runs=runs)


def _merged(timings: list[Timing]) -> Timing:
    medians = sorted(t.median for t in timings)
    cpus = sorted(t.cpu for t in timings)
    return Timing(
        medians[len(medians) // 2],
        medians[0],
        medians[-1],
        max(t.peak_mb for t in timings),
        len(timings),
        cpus[len(cpus) // 2],
    )


CASES = [
    Case(
        "idea add",
        _simple("idea", "add", "Bench idea about attention kernels #bench"),
        "≤ 1.5× jrnl",
    ),
    Case("idea list", _simple("idea", "list", "--limit", "20"), "≤ 1.5× jrnl"),
    Case('search "attention kernel"', _simple("search", "attention kernel"), "≤ 1.5× jrnl"),
    Case("paper show", _paper_show, "≤ 1.5× jrnl add"),
    Case("import of an export", _import, "10k ≤ 3 s, 100k ≤ 30 s"),
    Case("paper list", _simple("paper", "list"), "≤ 1.5 s"),
    Case("reading-list --format bibtex", _simple("reading-list", "--format", "bibtex"), "≤ 1.5 s"),
    Case(
        "reading-list --format markdown",
        _simple("reading-list", "--format", "markdown"),
        "≤ 1.5 s",
    ),
    Case("reading-list --format json", _simple("reading-list", "--format", "json"), "≤ 1.5 s"),
    Case("themes (no cache)", _simple("themes", mixed=True, LOGBOOK_CACHE_DIR="-"), "≤ 4 s"),
    Case("themes (cached)", _themes_cached, "≤ 0.6 s"),
    Case("themes apply", _themes_apply, "≤ 6 s"),
    # last week: always seven full days of entries (the current one may have begun an hour ago)
    Case(
        "publish --week last --dry-run",
        _simple("publish", "--week", "last", "--dry-run"),
        "≤ 0.8 s",
    ),
    Case("related (no cache)", _related_uncached),
    Case("related (cached)", _related_cached, "10k ≤ 1 s"),
    Case("export (no change)", _export_unchanged, "10k ≤ 0.5 s, 100k ≤ 1 s"),
    Case("git pre-commit hook (no change)", _hook_unchanged, "10k ≤ 0.5 s, 100k ≤ 1 s"),
]

# jrnl's counterpart of a case (see bench_jrnl)
PEERS = {"idea add": "add", "idea list": "list", 'search "attention kernel"': "search"}


def _label(n: int) -> str:
    return f"{n // 1000}k" if n and n % 1000 == 0 else str(n)


def _runs(n: int, case: str) -> int:
    if case in ("import of an export", "themes apply"):
        return 3
    return 7 if n < 100_000 or case in PEERS or case == "paper show" else 5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="0,10000,100000", help="store sizes, comma-separated")
    parser.add_argument("--only", action="append", help="run only this case (by name)")
    parser.add_argument("--no-jrnl", action="store_true", help="leave jrnl out")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    cases = [c for c in CASES if not args.only or c.name in args.only]
    jrnl = None if args.no_jrnl else bench_jrnl.available()
    results: dict[str, dict[int, Timing | None]] = {c.name: {} for c in cases}
    peers: dict[str, dict[int, Timing]] = {}
    with tempfile.TemporaryDirectory(prefix="logbook-bench-") as work:
        for n in sizes:
            print(f"building / loading the {_label(n)} stores…", file=sys.stderr)
            size = Size(n, Path(work) / f"size-{n}")
            for case in cases:
                print(f"  {case.name} at {_label(n)}…", file=sys.stderr)
                results[case.name][n] = case.measure(size, _runs(n, case.name))
            if jrnl is not None:
                for action, timing in bench_jrnl.run(jrnl, size.store, size.work, 7).items():
                    peers.setdefault(action, {})[n] = timing
    _print(cases, sizes, results, peers, jrnl)


def _print(
    cases: list[Case],
    sizes: list[int],
    results: dict[str, dict[int, Timing | None]],
    peers: dict[str, dict[int, Timing]],
    jrnl: bench_jrnl.Jrnl | None,
) -> None:
    cpu = platform.processor() or platform.machine()
    print(
        f"Machine: {platform.system()} {platform.machine()} ({cpu}), {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}"
        + (f", {jrnl.version}" if jrnl else "")
        + "\n"
    )
    head = " | ".join(f"{_label(n)} s" for n in sizes)
    extra = " | jrnl " + " / ".join(_label(n) for n in sizes) + " s | × jrnl" if peers else ""
    largest = _label(sizes[-1])
    print(f"| case | {head} | CPU s at {largest} | peak MB | target{extra} |")
    print("|---|" + "---:|" * len(sizes) + "---:|---:|---|" + ("---|---|" if peers else ""))
    for case in cases:
        row = results[case.name]
        cells = [f"{row[n].median:.3f}" if row.get(n) else "—" for n in sizes]
        peak = max((t.peak_mb for t in row.values() if t), default=0)
        last = row.get(sizes[-1])
        cpu = f"{last.cpu:.3f}" if last else "—"
        line = f"| {case.name} | {' | '.join(cells)} | {cpu} | {peak:.0f} | {case.target}"
        if peers:
            peer = peers.get(PEERS.get(case.name, ""), {})
            theirs = " / ".join(f"{peer[n].median:.2f}" if n in peer else "—" for n in sizes)
            ratios = " / ".join(
                f"{row[n].median / peer[n].median:.2f}" if n in peer and row.get(n) else "—"
                for n in sizes
            )
            line += f" | {theirs} | {ratios}" if peer else " | | "
        print(line + " |")


if __name__ == "__main__":
    main()
