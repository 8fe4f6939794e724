"""Shared pieces of the benchmark: timing whole processes and building synthetic stores.

Uses only the standard library and logbook itself, so anyone can rerun it.
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from logbook.ids import new_uid
from logbook.store import open_store
from logbook.store.types import format_utc


@dataclass
class Timing:
    """Wall times (seconds) of several runs of one command, and its peak memory."""

    median: float
    min: float
    max: float
    peak_mb: float
    runs: int
    cpu: float = 0.0  # median user + system CPU seconds: steadier than wall time on a busy machine


@dataclass
class Row:
    """One line of the benchmark table."""

    case: str
    size: str
    timing: Timing
    target: str = ""
    note: str = ""


def logbook(*args: str) -> list[str]:
    """The argv that runs logbook with this interpreter."""
    return [sys.executable, "-m", "logbook", *args]


# Runs the command as a grandchild and reports its wall time and peak memory. A child
# forked straight from this process would inherit this process's resident set in its
# ru_maxrss (Linux counts the memory before exec), and this process holds big stores.
_RUN_AND_MEASURE = """
import resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.call(sys.argv[1:])
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = usage.ru_utime + usage.ru_stime
sys.stderr.write(f"\\n@bench {wall} {usage.ru_maxrss} {code} {cpu}\\n")
"""


def time_command(
    argv: list[str],
    *,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    runs: int = 5,
    stdin: bytes | None = None,
    check: bool = True,
) -> Timing:
    """Run ``argv`` ``runs`` times; wall time per run and the largest resident set."""
    full_env = {**os.environ, **(env or {})}
    times, peaks, cpus = [], [], []
    for _ in range(runs):
        proc = subprocess.run(
            [sys.executable, "-c", _RUN_AND_MEASURE, *argv],
            env=full_env,
            cwd=cwd,
            input=stdin,
            stdin=None if stdin is not None else subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        err = proc.stderr.decode(errors="replace")
        head, _, last = err.rstrip().rpartition("\n@bench ")
        wall, peak, code, cpu = last.split()
        if check and int(code) != 0:
            raise RuntimeError(f"{' '.join(argv)} failed: {head.strip()}")
        times.append(float(wall))
        peaks.append(int(peak) / 1024)
        cpus.append(float(cpu))
    return Timing(
        statistics.median(times), min(times), max(times), max(peaks), runs, statistics.median(cpus)
    )


WORDS = [
    "gradient",
    "descent",
    "attention",
    "transformer",
    "kernel",
    "regime",
    "lottery",
    "ticket",
    "sparse",
    "network",
    "scaling",
    "law",
    "optimizer",
    "batch",
    "size",
    "learning",
    "rate",
    "warmup",
    "generalization",
    "overfitting",
    "dataset",
    "benchmark",
    "contrastive",
    "representation",
    "embedding",
    "retrieval",
    "diffusion",
    "sampler",
    "noise",
    "schedule",
    "reinforcement",
    "policy",
    "reward",
    "value",
    "function",
    "exploration",
    "curriculum",
    "distillation",
    "teacher",
    "student",
    "pruning",
    "quantization",
    "mixture",
    "experts",
    "routing",
    "token",
    "tokenizer",
    "vocabulary",
    "pretraining",
    "finetuning",
    "alignment",
    "preference",
    "feedback",
    "evaluation",
    "robustness",
    "adversarial",
    "perturbation",
    "calibration",
    "uncertainty",
    "bayesian",
    "posterior",
    "prior",
    "graph",
    "message",
    "passing",
    "equivariance",
    "symmetry",
    "convolution",
    "residual",
    "normalization",
    "layer",
]


def sentence(rng: random.Random, n: int = 14) -> str:
    """A plausible research sentence of ``n`` words."""
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def build_store(
    path: Path,
    *,
    ideas: int = 0,
    papers: int = 0,
    weeks: int = 104,
    end: datetime | None = None,
    seed: int = 0,
) -> Path:
    """A migrated store with synthetic ideas and papers spread over ``weeks`` weeks.

    Rows are inserted in bulk with sqlite3 (the triggers keep the search index in sync);
    the CLI is what gets timed, not this.
    """
    rng = random.Random(seed)
    end = end or datetime.now(UTC)
    open_store(path).close()
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode = WAL")
    span = timedelta(weeks=weeks).total_seconds()
    tags = [f"topic{i}" for i in range(40)]
    with db:
        db.executemany(
            "INSERT INTO tag (name, kind) VALUES (?, 'user') ON CONFLICT DO NOTHING",
            [(t,) for t in tags],
        )
        idea_rows = []
        for _ in range(ideas):
            created = end - timedelta(seconds=rng.random() * span)
            stamp = format_utc(created)
            text = f"{sentence(rng, 8)}\n\n{sentence(rng)} {sentence(rng)}"
            status = rng.choice(("open", "open", "exploring", "done", "dropped"))
            idea_rows.append((new_uid(), text, status, stamp, stamp))
        idea_rows.sort(key=lambda r: r[3])
        db.executemany(
            "INSERT INTO idea (uid, text, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
            idea_rows,
        )
        # Two or three tags per idea, as notes carry.
        db.execute(
            "INSERT INTO idea_tag (idea_id, tag_id) SELECT idea.id, tag.id FROM idea "
            "JOIN tag ON tag.id = 1 + (idea.id % 40) OR tag.id = 1 + ((idea.id * 7 + 3) % 40) "
            "OR (idea.id % 2 = 0 AND tag.id = 1 + ((idea.id * 13 + 5) % 40))"
        )
        paper_rows = []
        for n in range(papers):
            created = end - timedelta(seconds=rng.random() * span)
            stamp = format_utc(created)
            arxiv_id = (
                f"{(n // 90000) % 12 + 13:02d}{(n // 90000) % 12 + 1:02d}.{10000 + n % 90000:05d}"
            )
            status = rng.choice(("to-read", "to-read", "reading", "read"))
            paper_rows.append(
                (
                    new_uid(),
                    arxiv_id,
                    1,
                    sentence(rng, 7).rstrip("."),
                    '["Ada Lovelace", "Alan Turing", "Grace Hopper", "Emmy Noether"]',
                    " ".join(sentence(rng, 20) for _ in range(6)),
                    '["cs.LG", "stat.ML"]',
                    "cs.LG",
                    stamp,
                    stamp,
                    status,
                    stamp if status == "read" else None,
                    f"key{n}",
                    stamp,
                    stamp,
                )
            )
        db.executemany(
            "INSERT INTO paper (uid, arxiv_id, version, title, authors, abstract, categories, "
            "primary_category, published, updated, status, read_at, cite_key, created_at, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            paper_rows,
        )
    # Fold the bulk insert's WAL into the database, as a store in daily use would be; the
    # first timed run would otherwise pay for checkpointing it.
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return path


def cache_dir() -> Path:
    """Where built stores and exports are kept between runs ($LOGBOOK_BENCH_CACHE)."""
    default = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "logbook-bench"
    path = Path(os.environ.get("LOGBOOK_BENCH_CACHE", default))
    path.mkdir(parents=True, exist_ok=True)
    return path


def _cache_key(**params: int) -> str:
    # The ISO week of the build: the stores end "now", and publish --week needs entries in
    # the current week; the schema version: a new migration makes new stores.
    from logbook.store.migrations import MIGRATIONS

    year, week, _ = datetime.now(UTC).isocalendar()
    shape = "-".join(f"{k}{v}" for k, v in sorted(params.items()))
    return f"{shape}-m{len(MIGRATIONS)}-{year}W{week:02d}"


def cached_store(*, ideas: int = 0, papers: int = 0) -> Path:
    """A built store from the cache, built (in bulk) the first time it is asked for."""
    path = cache_dir() / f"store-{_cache_key(ideas=ideas, papers=papers)}.db"
    if not path.exists():
        partial = path.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        build_store(partial, ideas=ideas, papers=papers)
        partial.rename(path)
    return path


def cached_export(db: Path) -> Path:
    """An export folder of the cached store ``db`` (``logbook export``), made once."""
    out = db.with_suffix(".export")
    if not out.exists():
        partial = db.with_suffix(".export-partial")
        shutil.rmtree(partial, ignore_errors=True)
        subprocess.run(
            logbook("--db", str(db), "export", "--out", str(partial)),
            check=True,
            stdout=subprocess.DEVNULL,
            env={**os.environ, "LOGBOOK_CONFIG": os.devnull},
        )
        partial.rename(out)
    return out


def copy_store(src: Path, dst: Path) -> Path:
    """A private copy of a cached store (commands that write must not change the cache)."""
    for suffix in ("-wal", "-shm"):
        Path(str(dst) + suffix).unlink(missing_ok=True)
    shutil.copyfile(src, dst)
    return dst
