"""Ideas and search: idea add, idea list --week last, search at 1k, 10k and 100k ideas."""

from __future__ import annotations

from pathlib import Path

from harness import Row, build_store, logbook, time_command


def run(work: Path, quick: bool) -> list[Row]:
    sizes = (1_000, 10_000) if quick else (1_000, 10_000, 100_000)
    runs = 3 if quick else 7
    rows = []
    for size in sizes:
        db = build_store(work / f"ideas-{size}.db", ideas=size)
        env = {"LOGBOOK_DB": str(db), "LOGBOOK_CONFIG": str(work / "none.yaml")}
        label = f"{size:,} ideas"
        rows.append(
            Row(
                "idea add",
                label,
                time_command(logbook("idea", "add", "Bench idea #bench"), env=env, runs=runs),
                "≤ 0.5 s",
            )
        )
        rows.append(
            Row(
                "idea list --week last",
                label,
                time_command(logbook("idea", "list", "--week", "last"), env=env, runs=runs),
            )
        )
        rows.append(
            Row(
                'search "attention kernel"',
                label,
                time_command(logbook("search", "attention kernel"), env=env, runs=runs),
                "≤ 0.6 s at 100k",
            )
        )
    return rows
