"""Papers: importing 250 ids from a local arXiv (delay 0), paper list and reading-list at 10k.

The local arXiv is the test suite's server (tests/arxiv_server.py): a real HTTP server on
127.0.0.1 answering with Atom feeds as arXiv writes them, counting requests.
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

from harness import Row, Timing, build_store, logbook, time_command

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from arxiv_server import ArxivServer, synthetic

IDS = 250


def _merge(timings: list[Timing]) -> Timing:
    medians = [t.median for t in timings]
    return Timing(
        statistics.median(medians),
        min(medians),
        max(medians),
        max(t.peak_mb for t in timings),
        len(timings),
    )


def run(work: Path, quick: bool) -> list[Row]:
    runs = 3 if quick else 5
    rows = []
    server = ArxivServer()
    for n in range(IDS):
        server.add(synthetic(n))
    server.start()
    try:
        ids = [f"2401.{n:05d}" for n in range(IDS)]
        base = {
            "LOGBOOK_CONFIG": str(work / "none.yaml"),
            "LOGBOOK_ARXIV_API_URL": server.url,
            "LOGBOOK_ARXIV_DELAY_SECONDS": "0",
        }
        fresh, again, new_requests, known_requests = [], [], [], []
        for i in range(runs):
            env = {**base, "LOGBOOK_DB": str(work / f"import-{i}.db")}
            before = len(server.requests)
            fresh.append(time_command(logbook("paper", "import", *ids), env=env, runs=1))
            new_requests.append(len(server.requests) - before)
            before = len(server.requests)
            again.append(time_command(logbook("paper", "import", *ids), env=env, runs=1))
            known_requests.append(len(server.requests) - before)
        rows.append(
            Row(
                f"paper import {IDS} new ids",
                "empty store",
                _merge(fresh),
                "3 requests",
                f"requests per run: {sorted(set(new_requests))} (local server, delay 0)",
            )
        )
        rows.append(
            Row(
                f"paper import {IDS} known ids",
                f"{IDS} papers",
                _merge(again),
                "0 requests",
                f"requests per run: {sorted(set(known_requests))}",
            )
        )
    finally:
        server.stop()

    db = build_store(work / "papers-10k.db", papers=10_000)
    env = {"LOGBOOK_DB": str(db), "LOGBOOK_CONFIG": str(work / "none.yaml")}
    for label, argv in (
        ("paper list", logbook("paper", "list")),
        (
            "paper list --status to-read --json",
            logbook("paper", "list", "--status", "to-read", "--json"),
        ),
        ("reading-list (markdown)", logbook("reading-list")),
        ("reading-list --format bibtex", logbook("reading-list", "--format", "bibtex")),
    ):
        rows.append(Row(label, "10,000 papers", time_command(argv, env=env, runs=runs)))
    return rows
