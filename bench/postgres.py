"""The PostgreSQL column: logbook commands on a group store over a local Unix socket.

    python bench/postgres.py                    # sizes 0, 10k and 100k
    python bench/postgres.py --sizes 0,10000    # a quicker look

Starts a private PostgreSQL server in a temp folder (Debian's postgresql; as root it runs as
the ``postgres`` user), fills databases per size with the same synthetic entries as
``bench/run.py``'s SQLite stores (N ideas + N papers; N entries in all for themes and export) (copied table by table; the triggers build the search index),
and prints one markdown table: whole-process wall times, peak memory, and 8 concurrent
writers (throughput, and whether every write is there afterwards).
"""

from __future__ import annotations

import argparse
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from harness import Timing, cached_store, logbook, time_command
from pg_server import PostgresServer

from logbook.store import open_store

# Tables in an order the foreign keys accept; the columns are the same on both backends.
TABLES = ("idea", "tag", "idea_tag", "revision", "paper", "paper_tag", "idea_paper", "post")


def fill(url: str, source: Path) -> None:
    """Copy every entry of the SQLite store ``source`` into the (migrated) store at ``url``."""
    import psycopg

    open_store(url).close()
    lite = sqlite3.connect(source)
    with psycopg.connect(url) as db:
        for table in TABLES:
            columns = [row[1] for row in lite.execute(f"PRAGMA table_info({table})")]
            names = ", ".join(columns)
            cursor = lite.execute(f"SELECT {names} FROM {table}")
            with db.cursor().copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in cursor:
                    copy.write_row(
                        [
                            bool(v) if c == "withdrawn" else v
                            for c, v in zip(columns, row, strict=True)
                        ]
                    )
            if "id" in columns and table in ("idea", "paper", "post", "tag", "revision"):
                db.execute(
                    f"SELECT setval('{table}_id_seq', (SELECT coalesce(max(id), 1) FROM {table}))"
                )
        db.execute("ANALYZE")
    lite.close()


def writers(url: str, work: Path, processes: int = 8, each: int = 100) -> tuple[float, bool]:
    """``processes`` programs adding ``each`` ideas at once: writes per second, none lost."""
    import psycopg

    script = work / "writer.py"
    script.write_text(
        "import sys\nfrom logbook.store import open_store\n"
        "store = open_store(sys.argv[1])\n"
        "for n in range(int(sys.argv[3])):\n"
        "    store.ideas.add(f'writer {sys.argv[2]} idea {n} #bench')\n"
        "store.close()\n"
    )
    with psycopg.connect(url) as db:
        before = db.execute("SELECT count(*) FROM idea").fetchone()[0]
    start = time.perf_counter()
    procs = [
        subprocess.Popen([sys.executable, str(script), url, str(p), str(each)])
        for p in range(processes)
    ]
    ok = all(proc.wait() == 0 for proc in procs)
    wall = time.perf_counter() - start
    with psycopg.connect(url) as db:
        after = db.execute("SELECT count(*) FROM idea").fetchone()[0]
    return processes * each / wall, ok and after - before == processes * each


def _server_version(url: str) -> str:
    import psycopg

    with psycopg.connect(url) as db:
        return str(db.execute("SHOW server_version").fetchone()[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="0,10000,100000", help="store sizes, comma-separated")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    rows: dict[str, dict[int, Timing | str]] = {}
    version = ""
    with tempfile.TemporaryDirectory(prefix="logbook-pgbench-") as tmp, PostgresServer() as pg:
        work = Path(tmp)
        for n in sizes:
            print(f"filling the {n} store…", file=sys.stderr)
            url = pg.create_database(f"bench_{n}")
            version = _server_version(url)
            fill(url, cached_store(ideas=n, papers=n))
            # the entries export, import and themes are timed on in bench/run.py: N in all
            mixed = pg.create_database(f"bench_{n}_mixed")
            fill(mixed, cached_store(ideas=n * 4 // 5, papers=n - n * 4 // 5))
            env = {
                "LOGBOOK_DB": url,
                "LOGBOOK_CONFIG": str(work / "none.yaml"),
                "LOGBOOK_CACHE_DIR": str(work / f"cache-{n}"),
            }
            out = work / f"export-{n}"
            cases = {
                "idea add": logbook("idea", "add", "Bench idea about attention kernels #bench"),
                "idea list": logbook("idea", "list", "--limit", "20"),
                'search "attention kernel"': logbook("search", "attention kernel"),
                "publish --week last --dry-run": logbook("publish", "--week", "last", "--dry-run"),
                "themes (no cache)": logbook("themes"),
                "export (first)": logbook("export", "--out", str(out), "--force"),
                "export (no change)": logbook("export", "--out", str(out)),
            }
            for name, argv in cases.items():
                print(f"  {name}…", file=sys.stderr)
                extra = {"LOGBOOK_CACHE_DIR": "-"} if "no cache" in name else {}
                if name.startswith(("themes", "export")):
                    extra["LOGBOOK_DB"] = mixed
                runs = 1 if name == "export (first)" else 5 if n >= 100_000 else 7
                rows.setdefault(name, {})[n] = time_command(argv, env={**env, **extra}, runs=runs)
            print("  8 writers…", file=sys.stderr)
            rate, whole = writers(url, work)
            rows.setdefault("8 writers × 100 ideas", {})[n] = (
                f"{rate:.0f}/s, {'none lost' if whole else 'LOST WRITES'}"
            )
    head = " | ".join(f"{n // 1000}k s" if n >= 1000 else f"{n} s" for n in sizes)
    print(f"PostgreSQL {version} over a Unix socket\n")
    print(f"| case | {head} | peak MB |")
    print("|---|" + "---:|" * len(sizes) + "---:|")
    for name, row in rows.items():
        cells = [
            f"{v.median:.3f}" if isinstance(v, Timing) else str(v)
            for v in (row.get(n, "—") for n in sizes)
        ]
        peaks = [v.peak_mb for v in row.values() if isinstance(v, Timing)]
        peak = f"{max(peaks):.0f}" if peaks else ""
        print(f"| {name} | {' | '.join(cells)} | {peak} |")


if __name__ == "__main__":
    main()
