"""``paper check-updates`` against the local arXiv server: a first state, then a later one."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest
from arxiv_server import Entry, arxiv_server, closed_port_url, later, synthetic
from sqlalchemy import text

from logbook.store.timestamps import format_utc

# Every test here runs on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.backends

__all__ = ["arxiv_server"]  # the local arXiv fixture, imported for pytest

CHANGED_ABSTRACT = (
    "We study scaling law 7 and find that it breaks at large compute budgets."  # was: "…7."
)


def _import_many(cli, arxiv_server, n: int = 250) -> list[str]:
    ids = []
    for i in range(1, n + 1):
        entry = synthetic(i)
        arxiv_server.add(entry)
        ids.append(entry.arxiv_id)
    cli("paper", "import", *ids, "--json")
    arxiv_server.requests.clear()
    return ids


def _new_version(arxiv_server, arxiv_id: str, **changes: object) -> Entry:
    latest = arxiv_server.papers[arxiv_id][-1]
    entry = dataclasses.replace(
        latest, version=latest.version + 1, updated=later(latest.updated, 30), **changes
    )
    arxiv_server.add(entry)
    return entry


def _later_state(arxiv_server) -> None:
    """v2 of three papers: a new abstract; a journal reference and DOI; a new title."""
    _new_version(arxiv_server, "2401.00007", summary=CHANGED_ABSTRACT)
    _new_version(
        arxiv_server,
        "2401.00042",
        journal_ref="J. Mach. Learn. Res. 25, 1 (2024)",
        doi="10.5555/jmlr.2024.42",
    )
    if "2401.00199" in arxiv_server.papers:  # only in the larger stores
        _new_version(arxiv_server, "2401.00199", title="Synthetic study 199, revised")


def test_check_updates_reports_exactly_the_changed_papers_in_ceil_n_over_100_requests(
    cli, arxiv_server, store
):
    _import_many(cli, arxiv_server)
    cli("paper", "status", "2401.00042", "read")
    _later_state(arxiv_server)

    report = cli("paper", "check-updates", "--json").json()

    assert len(arxiv_server.requests) == 3  # 250 papers, batches of 100
    assert all(len(r.id_list) <= 100 for r in arxiv_server.requests)
    assert report["checked"] == 250 and report["requests"] == 3
    changed = {c["arxiv_id"]: c for c in report["changed"]}
    assert sorted(changed) == ["2401.00007", "2401.00042", "2401.00199"]
    abstract = changed["2401.00007"]
    assert (abstract["old_version"], abstract["new_version"]) == (1, 2)
    assert [c["field"] for c in abstract["changes"]] == ["abstract"]
    assert "[-7.-]" in abstract["abstract_diff"] and "{+7 and find" in abstract["abstract_diff"]
    published = changed["2401.00042"]
    assert {c["field"]: c["new"] for c in published["changes"]} == {
        "journal_ref": "J. Mach. Learn. Res. 25, 1 (2024)",
        "doi": "10.5555/jmlr.2024.42",
    }
    assert published["read_version"] == 1 and published["read_is_outdated"]
    assert [c["field"] for c in changed["2401.00199"]["changes"]] == ["title"]
    # nothing was written without --apply
    assert store.papers.get("2401.00007").version == 1
    assert store.paper_updates.checked_at([p.id for p in store.papers.find()]) == {}


def test_check_updates_without_apply_writes_nothing(cli, arxiv_server, store, tmp_path):
    _import_many(cli, arxiv_server, 5)
    _new_version(arxiv_server, "2401.00003", title="Renamed")
    changes = store.changes()
    run = cli("paper", "check-updates")
    assert "v1 → v2" in run.stdout and "title: Synthetic study number 3" in run.stdout
    assert "nothing stored (--apply stores them)" in run.stderr
    assert store.changes() == changes
    assert store.papers.get("2401.00003").title.startswith("Synthetic study")


def test_apply_stores_new_metadata_keeps_read_version_and_cite_key_and_revisions(
    cli, arxiv_server, store
):
    _import_many(cli, arxiv_server, 50)
    cli("paper", "status", "2401.00042", "read")
    cli("paper", "note", "2401.00042", "Good paper")
    key = store.papers.get("2401.00042").cite_key
    _later_state(arxiv_server)

    report = cli("paper", "check-updates", "--apply", "--json").json()

    assert report["applied"] and len(report["changed"]) == 2
    paper = store.papers.get("2401.00042")
    assert (paper.version, paper.read_version, paper.status) == (2, 1, "read")
    assert paper.cite_key == key
    assert paper.journal_ref == "J. Mach. Learn. Res. 25, 1 (2024)"
    assert paper.doi == "10.5555/jmlr.2024.42"
    assert paper.notes == "Good paper"
    kept = {r["field"]: r["text"] for r in paper.revisions}
    assert kept["version"] == "1"  # journal_ref and DOI were empty: nothing to keep
    assert store.papers.get("2401.00007").abstract == CHANGED_ABSTRACT
    assert {r["field"] for r in store.papers.get("2401.00007").revisions} == {
        "version",
        "abstract",
    }


def test_apply_is_idempotent_and_a_second_run_within_the_interval_sends_no_request(
    cli, arxiv_server, store
):
    _import_many(cli, arxiv_server, 120)
    _later_state(arxiv_server)
    cli("paper", "check-updates", "--apply")
    assert len(arxiv_server.requests) == 2
    arxiv_server.requests.clear()
    changes = store.changes()

    again = cli("paper", "check-updates", "--apply", "--json").json()

    assert arxiv_server.requests == []
    assert again["skipped_recent"] == 120 and again["checked"] == 0
    assert store.changes() == changes

    forced = cli("paper", "check-updates", "--apply", "--force", "--json").json()
    assert len(arxiv_server.requests) == 2
    assert forced["changed"] == []  # applied already: nothing new to report or store
    assert store.papers.get("2401.00007").version == 2
    assert len(store.papers.get("2401.00007").revisions) == 2


def test_the_check_interval_is_configurable(cli, arxiv_server, store, monkeypatch, tmp_path):
    _import_many(cli, arxiv_server, 3)
    cli("paper", "check-updates", "--apply")
    arxiv_server.requests.clear()
    two_hours_ago = datetime.now(UTC) - timedelta(hours=2)
    with store._write() as session:
        session.execute(
            text("UPDATE paper_freshness SET checked_at = :at"), {"at": format_utc(two_hours_ago)}
        )
    cli("paper", "check-updates")
    assert arxiv_server.requests == []  # within the default day
    monkeypatch.setenv("LOGBOOK_ARXIV_CHECK_INTERVAL_DAYS", "0.05")  # 1.2 hours
    cli("paper", "check-updates")
    assert len(arxiv_server.requests) == 1


def test_status_tag_and_since_choose_the_papers_checked(cli, arxiv_server, store, monkeypatch):
    monkeypatch.setenv("LOGBOOK_NOW", "2024-02-01T10:00:00+00:00")
    _import_many(cli, arxiv_server, 10)
    cli("paper", "status", "2401.00002", "read")
    cli("paper", "tag", "2401.00005", "kernels")
    cli("paper", "check-updates", "--status", "read")
    assert arxiv_server.ids_sent == ["2401.00002"]
    arxiv_server.requests.clear()
    cli("paper", "check-updates", "--tag", "kernels")
    assert arxiv_server.ids_sent == ["2401.00005"]
    arxiv_server.requests.clear()
    monkeypatch.setenv("LOGBOOK_NOW", "2024-03-01T10:00:00+00:00")
    arxiv_server.add(synthetic(11))
    cli("paper", "import", "2401.00011")
    arxiv_server.requests.clear()
    cli("paper", "check-updates", "--since", "2024-02-15")
    assert arxiv_server.ids_sent == ["2401.00011"]


def test_unreachable_arxiv_is_one_line_and_nothing_is_written(
    cli, arxiv_server, store, monkeypatch
):
    _import_many(cli, arxiv_server, 3)
    _new_version(arxiv_server, "2401.00001", title="Renamed")
    changes = store.changes()
    monkeypatch.setenv("LOGBOOK_ARXIV_API_URL", closed_port_url())
    run = cli("paper", "check-updates", "--apply", ok=False)
    assert run.exit_code == 1
    assert run.stderr.startswith("Error: arXiv could not be reached")
    assert len(run.stderr.strip().splitlines()) == 1
    assert store.changes() == changes


def test_published_preprint_bibtex_becomes_article_and_keeps_eprint(cli, arxiv_server, store):
    _import_many(cli, arxiv_server, 50)
    old = cli("reading-list", "--format", "bibtex").stdout
    entry = old.split("\n\n")[41]
    assert entry.startswith("@misc{") and "eprint = {2401.00042}" in entry
    _later_state(arxiv_server)
    cli("paper", "check-updates", "--apply")
    new = cli("reading-list", "--format", "bibtex").stdout
    entry = new.split("\n\n")[41]
    assert entry.startswith("@article{")
    assert "journal = {J. Mach. Learn. Res. 25, 1 (2024)}" in entry
    assert "doi = {10.5555/jmlr.2024.42}" in entry
    assert "eprint = {2401.00042}" in entry
    assert entry.split("{")[1].split(",")[0] == old.split("\n\n")[41].split("{")[1].split(",")[0]


def test_updated_versions_lists_new_versions_of_read_papers_found_in_a_period(
    cli, arxiv_server, store
):
    _import_many(cli, arxiv_server, 10)
    cli("paper", "status", "2401.00007", "read")
    _new_version(arxiv_server, "2401.00007", summary=CHANGED_ABSTRACT)
    _new_version(arxiv_server, "2401.00008", title="Not read, not listed")
    start = datetime.now(UTC) - timedelta(minutes=1)
    cli("paper", "check-updates", "--apply")
    end = datetime.now(UTC) + timedelta(minutes=1)

    found = store.paper_updates.updated_versions(start, end)

    assert [(u.paper.arxiv_id, u.previous, u.version) for u in found] == [("2401.00007", 1, 2)]
    assert store.paper_updates.updated_versions(end, end + timedelta(days=7)) == []


def test_an_applied_update_survives_export_and_import_with_its_revisions(
    cli, arxiv_server, store, tmp_path
):
    from logbook.store import open_store
    from logbook.sync.export import export_store

    _import_many(cli, arxiv_server, 10)
    _new_version(arxiv_server, "2401.00003", title="Renamed", doi="10.5555/x.3")
    cli("paper", "check-updates", "--apply")
    export_store(store, tmp_path / "out")
    other = tmp_path / "other.db"
    open_store(other).close()

    run = cli("--db", str(other), "import", str(tmp_path / "out"), "--json", ok=False)
    assert run.exit_code == 0, run.stdout
    result = run.json()

    assert result["added"]["paper"] == 10
    copy = open_store(other)
    paper = copy.papers.get("2401.00003")
    assert (paper.title, paper.version) == ("Renamed", 2)
    assert {r["field"] for r in paper.revisions} == {"version", "title"}
    copy.close()


def test_the_weekly_post_lists_new_versions_of_papers_read_in_the_week_they_were_found(
    cli, arxiv_server, store, monkeypatch
):
    for i in (2, 3):
        arxiv_server.add(synthetic(i))
    cli("paper", "import", "2401.00002", "2401.00003", "--date", "30 days ago")
    cli("paper", "status", "2401.00002", "2401.00003", "read", "--date", "20 days ago")
    _new_version(arxiv_server, "2401.00002", title="Synthetic study 2, revised")
    cli("paper", "check-updates", "--apply")
    post = cli("publish", "--week", "--stdout").stdout
    listed = post.split("New versions of papers I had read:", 1)[1]
    assert "Synthetic study 2, revised" in listed and "study 3" not in listed.split("\n\n")[1]
    last_week = cli("publish", "--week", "last", "--stdout", "--allow-empty").stdout
    assert "New versions of papers I had read" not in last_week
