"""Dates outside what logbook keeps (issue 9, finding 1 and the date items of "smaller").

A year before 1000 used to be stored as ``999-01-01T…`` (strftime's ``%Y`` does not pad),
which made every later read fail. These tests go through the CLI, real store files, real
import folders and the local arXiv server.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from arxiv_server import Entry, arxiv_server, synthetic

from logbook.store import migrations, open_store

# Every test here runs on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.backends

__all__ = ["arxiv_server"]  # the local arXiv fixture, imported for pytest

SHORT_YEAR = "999-01-01T00:00:00.000000+00:00"


def _inject_short_years(path: Path) -> None:
    """Write an idea and a paper dated year 999 the way the old strftime format stored them."""
    db = sqlite3.connect(path)
    db.execute(
        "INSERT INTO idea (uid, text, status, created_at, updated_at) VALUES "
        "('0190a1b2-0000-7000-8000-0000000000aa', 'An idea from the tenth century', 'open', ?, ?)",
        (SHORT_YEAR, "99-06-01T00:00:00.000000+00:00"),
    )
    db.execute("UPDATE paper SET published = ?, updated = ?", (SHORT_YEAR, SHORT_YEAR))
    db.commit()
    db.close()


@pytest.fixture
def old_store(cli, tmp_path: Path, arxiv_server) -> Path:
    """A store with ordinary entries plus rows holding three- and two-digit years."""
    cli("idea", "add", "A normal idea about kernels", "--tag", "kernels")
    cli("paper", "import", "1706.03762")
    path = tmp_path / "logbook.db"
    _inject_short_years(path)
    return path


@pytest.mark.parametrize("typed", ["0999-01-01", "0202-11-20", "1899-12-31", "0001-01-01"])
def test_a_date_before_1900_is_refused_with_one_line(cli, store, typed):
    result = cli("idea", "add", "typo in the year", "--date", typed, ok=False)
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"Error: the date {typed!r} is before 1900-01-01 (dates run from 1900-01-01 to tomorrow)"
    )
    assert cli("idea", "list", "--json").json() == []


def test_a_date_after_tomorrow_is_refused_and_tomorrow_is_kept(cli, monkeypatch):
    monkeypatch.setenv("LOGBOOK_NOW", "2026-11-20T09:00:00+00:00")
    late = cli("idea", "add", "from the future", "--date", "2026-11-22", ok=False)
    assert late.exit_code == 2
    assert late.stderr.strip().startswith("Error: the date '2026-11-22' is after tomorrow")
    cli("idea", "add", "the first day kept", "--date", "1900-01-01")
    assert cli("idea", "list", "--since", "2026-11-21", "--json").json() == []
    assert len(cli("idea", "list", "--json").json()) == 1


@pytest.mark.parametrize("typed", ["999999999 days ago", "9" * 5000 + " days ago"])
def test_an_absurd_number_of_days_ago_is_a_usage_error(cli, typed):
    result = cli("idea", "add", "far back", "--date", typed, ok=False)
    assert result.exit_code == 2
    assert "is before 1900-01-01" in result.stderr
    assert "bug" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_filters_and_weeks_outside_the_range_are_usage_errors(cli, store):
    for args in (
        ("idea", "list", "--since", "999999999 days ago"),
        ("search", "kernels", "--since", "0999-01-01"),
        ("publish", "week", "0999-W01"),
    ):
        result = cli(*args, ok=False)
        assert result.exit_code == 2, args
        assert result.stderr.startswith("Error: ") and "bug" not in result.stderr, args


def test_a_filter_after_tomorrow_means_up_to_now_in_any_zone(cli, monkeypatch):
    monkeypatch.setenv("LOGBOOK_TIMEZONE", "America/New_York")
    cli("idea", "add", "kept")
    for bound in ("9999-12-31T23:00-05:00", "2999-01-01"):
        assert len(cli("idea", "list", "--until", bound, "--json").json()) == 1
        assert cli("idea", "list", "--since", bound, "--json").json() == []
        cli("search", "kept", "--since", bound)
        cli("themes", "--until", bound)


def test_year_1900_is_stored_with_a_four_digit_year_and_reads_back(cli, store):
    from sqlalchemy import text

    cli("idea", "add", "early", "--date", "1900-01-01T12:00+00:00")
    with store._read() as session:
        stored = session.execute(text("SELECT created_at FROM idea")).scalar_one()
    assert stored == "1900-01-01T12:00:00.000000+00:00"


@pytest.mark.sqlite_only  # short years were written by old SQLite stores only
def test_a_store_holding_short_years_is_readable_by_every_command(cli, old_store, tmp_path):
    ideas = cli("idea", "list", "--json").json()
    assert {i["created_at"][:10] for i in ideas} >= {"0999-01-01"}
    assert "An idea from the tenth century" in cli("idea", "show", "2").stdout
    assert "0099-06-01" in cli("idea", "show", "2").stdout
    cli("export", "--out", str(tmp_path / "out"))
    exported = next(
        p.read_text()
        for p in (tmp_path / "out/ideas").iterdir()
        if "tenth century" in p.read_text()
    )
    assert "created_at: '0999-01-01T00:00:00.000000+00:00'" in exported
    assert cli("search", "century", "--json").json()[0]["id"] == 2
    cli("themes")
    cli("paper", "list")
    cli("reading-list")
    cli("idea", "rm", "2", "--purge", "--yes")


@pytest.mark.sqlite_only  # SQLite's migration m006
def test_the_migration_pads_short_years_already_in_the_store(tmp_path):
    path = tmp_path / "old.db"
    open_store(path, upto=4).close()
    db = sqlite3.connect(path)
    db.execute(
        "INSERT INTO idea (uid, text, status, created_at, updated_at, archived_at) VALUES "
        "('0190a1b2-0000-7000-8000-0000000000bb', 'short', 'open', ?, ?, NULL), "
        "('0190a1b2-0000-7000-8000-0000000000cc', 'fine', 'open', "
        "'2020-01-01T00:00:00.000000+00:00', '2020-01-01T00:00:00.000000+00:00', ?)",
        (SHORT_YEAR, "5-01-01T00:00:00.000000+00:00", "99-01-01T00:00:00.000000+00:00"),
    )
    db.commit()
    db.close()

    open_store(path).close()
    db = sqlite3.connect(path)
    rows = db.execute("SELECT created_at, updated_at, archived_at FROM idea ORDER BY id").fetchall()
    assert rows == [
        ("0999-01-01T00:00:00.000000+00:00", "0005-01-01T00:00:00.000000+00:00", None),
        (
            "2020-01-01T00:00:00.000000+00:00",
            "2020-01-01T00:00:00.000000+00:00",
            "0099-01-01T00:00:00.000000+00:00",
        ),
    ]
    # text order is time order again, so range queries on the index find the old row first
    first = db.execute("SELECT text FROM idea ORDER BY created_at LIMIT 1").fetchone()[0]
    assert first == "short"
    assert db.execute("PRAGMA user_version").fetchone()[0] == len(migrations.MIGRATIONS)


def _idea_file(folder: Path, created: str) -> None:
    (folder / "ideas").mkdir(parents=True, exist_ok=True)
    (folder / "ideas/0190a1b2-0000-7000-8000-0000000000dd.yaml").write_text(
        "uid: 0190a1b2-0000-7000-8000-0000000000dd\ntext: dated oddly\nstatus: open\n"
        f"created_at: '{created}'\nupdated_at: '2026-01-01T00:00:00+00:00'\n"
    )


@pytest.mark.parametrize(
    "created", ["0999-01-01T00:00:00+00:00", "999-01-01T00:00:00+00:00", "2999-01-01T00:00+00:00"]
)
def test_an_imported_date_outside_the_range_is_a_problem_for_that_file(cli, tmp_path, created):
    _idea_file(tmp_path / "in", created)
    good = tmp_path / "in/ideas/0190a1b2-0000-7000-8000-0000000000ee.yaml"
    good.write_text(
        "uid: 0190a1b2-0000-7000-8000-0000000000ee\ntext: dated well\nstatus: open\n"
        "created_at: '2026-01-01T00:00:00+00:00'\nupdated_at: '2026-01-01T00:00:00+00:00'\n"
    )
    result = cli("import", str(tmp_path / "in"), ok=False)
    assert result.exit_code == 1
    assert "0000000000dd.yaml" in result.stderr and "created_at" in result.stderr
    assert "bug" not in result.stderr
    assert [i["text"] for i in cli("idea", "list", "--json").json()] == ["dated well"]


def _dated(published: str, n: int = 99) -> Entry:
    entry = synthetic(n)
    entry.published = published
    return entry


@pytest.mark.parametrize("published", ["0999-03-01T10:00:00Z", "1066-10-14T09:00:00Z"])
def test_an_arxiv_paper_dated_before_1900_is_reported_and_the_rest_imported(
    cli, arxiv_server, store, published
):
    arxiv_server.add(_dated(published))
    report = cli(
        "paper", "import", "1706.03762", "2401.00099", "1801.00862", "--json", ok=False
    ).json()
    assert report["invalid"] == ["2401.00099"]
    assert report["imported"] == ["1706.03762", "1801.00862"]
    [item] = [i for i in report["items"] if i["outcome"] == "invalid"]
    assert "published date" in item["message"] and "before 1900-01-01" in item["message"]
    assert store.papers.known(["2401.00099"]) == {}


@pytest.mark.parametrize("published", ["2024-13-45T10:00:00Z", "yesterday", "0000-01-01T00:00Z"])
def test_a_malformed_arxiv_date_is_reported_and_the_rest_of_the_batch_imported(
    cli, arxiv_server, published
):
    arxiv_server.add(_dated(published))
    ids = ["1706.03762", "2401.00099", "1801.00862", "2103.00001"]
    result = cli("paper", "import", *ids, ok=False)
    assert result.exit_code == 1
    assert "bug" not in result.stderr and "Traceback" not in result.stderr
    report = cli("paper", "import", *ids, "--json", ok=False).json()
    assert report["invalid"] == ["2401.00099"]
    assert sorted(report["known"]) == ["1706.03762", "1801.00862", "2103.00001"]
    [item] = [i for i in report["items"] if i["outcome"] == "invalid"]
    assert "arXiv sent a date it cannot read" in item["message"]


@pytest.mark.sqlite_only  # SQLite's migration m006
def test_the_year_migration_covers_every_timestamp_column():
    from sqlmodel import SQLModel

    import logbook.store.models  # noqa: F401  (registers the tables)
    from logbook.store.types import UTCDateTime

    timestamps = {
        (table.name, column.name)
        for table in SQLModel.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, UTCDateTime)
    }
    # Columns made after m006 shipped were only ever written with four-digit years.
    born_after_the_fix = {("paper_freshness", "checked_at")}
    assert timestamps - born_after_the_fix <= set(migrations._TIMESTAMP_COLUMNS)


# Thursday 2026-11-19, 10:00 UTC: "this friday" is tomorrow, not last week's Friday.
THURSDAY = "2026-11-19T10:00:00+00:00"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("this monday", "2026-11-16T00:00:00+00:00"),
        ("friday", "2026-11-13T00:00:00+00:00"),
        ("thursday", "2026-11-19T00:00:00+00:00"),
        ("last thursday", "2026-11-12T00:00:00+00:00"),
        ("last week", "2026-11-12T00:00:00+00:00"),
        ("2 weeks ago", "2026-11-05T00:00:00+00:00"),
        ("1 day ago", "2026-11-18T00:00:00+00:00"),
        ("now", "2026-11-19T10:00:00+00:00"),
        ("at 9am", "2026-11-19T09:00:00+00:00"),
        ("yesterday at 9:30pm", "2026-11-18T21:30:00+00:00"),
        ("monday at 14:30", "2026-11-16T14:30:00+00:00"),
        ("2026-11-01 at 12am", "2026-11-01T00:00:00+00:00"),
    ],
)
def test_dates_read_as_people_say_them(cli, monkeypatch, typed, expected):
    monkeypatch.setenv("LOGBOOK_NOW", THURSDAY)
    assert cli("idea", "add", "Dated", "--date", typed, "--json").json()["created_at"] == expected


def test_this_friday_on_a_thursday_is_this_weeks_friday(cli, monkeypatch):
    monkeypatch.setenv("LOGBOOK_NOW", THURSDAY)
    cli("idea", "add", "This week", "--date", "today")
    cli("idea", "add", "Last week", "--date", "last friday")
    listed = cli("idea", "list", "--week", "this friday", "--json").json()
    assert [i["title"] for i in listed] == ["This week"]
    # a date still to come is refused where a date is stored, not read as last week's
    result = cli("idea", "add", "Tomorrow", "--date", "this friday", ok=False)
    assert "2026-11-20 is in the future" in result.stderr


@pytest.mark.parametrize("typed", ["at 25:00", "at 13pm", "at 9:75", "friday at noonish"])
def test_a_time_of_day_that_is_not_one_is_one_line(cli, typed):
    result = cli("idea", "add", "Dated", "--date", typed, ok=False)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: ")


def test_a_weeks_reading_is_backfilled_with_date_options(cli, arxiv_server, monkeypatch):
    monkeypatch.setenv("LOGBOOK_NOW", THURSDAY)
    added = cli("paper", "import", "1706.03762", "--date", "monday", "--json").json()
    assert added["imported"] == ["1706.03762"]
    read = cli("paper", "status", "1", "read", "--date", "tuesday at 8pm", "--json").json()
    assert read["read_at"] == "2026-11-17T20:00:00+00:00"
    noted = cli("paper", "note", "1", "First pass", "--date", "tuesday at 9pm").exit_code
    assert noted == 0
    cli("paper", "note", "1", "Second pass", "--date", "wednesday")
    paper = cli("paper", "show", "1", "--json").json()
    assert paper["created_at"] == "2026-11-16T00:00:00+00:00"
    assert paper["revisions"][-1]["replaced_at"] == "2026-11-18T00:00:00+00:00"
    listed = cli("paper", "list", "--since", "monday", "--json").json()
    assert [p["arxiv_id"] for p in listed] == ["1706.03762"]


def test_reading_a_read_paper_again_with_a_date_moves_the_date(cli, arxiv_server):
    cli("paper", "import", "1706.03762")
    cli("paper", "status", "1", "read", "--date", "2026-01-02")
    again = cli("paper", "status", "1", "read", "--date", "2026-01-05", "--json").json()
    assert again["read_at"] == "2026-01-05T00:00:00+00:00"
