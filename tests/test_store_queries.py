"""The repository queries the weekly post is built on: change windows, read windows, counts,
removed entries left out, and the revisions kept by an edit."""

from __future__ import annotations

import pytest
from publish_fixtures import add_paper, at, freeze

from logbook.errors import NotFoundError
from logbook.store import Store

# Every test here runs on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.backends

START, END = at("2020-10-19 00:00"), at("2020-10-26 00:00")


def _paper(store: Store, arxiv_id: str, added: str, **fields: object) -> int:
    return add_paper(
        store, arxiv_id=arxiv_id, title=arxiv_id, authors=["A. Author"], abstract="",
        added=at(added), **fields,  # type: ignore[arg-type]
    )  # fmt: skip


def test_ideas_changed_within_a_window_leave_out_changes_after_it(store: Store, monkeypatch):
    freeze(monkeypatch, "2020-10-05T10:00:00+02:00")
    edited = store.ideas.add("old, edited in the week", created_at=at("2020-10-01 09:00"))
    later = store.ideas.add("old, edited after the week", created_at=at("2020-10-02 09:00"))
    store.ideas.add("untouched", created_at=at("2020-10-03 09:00"))
    freeze(monkeypatch, "2020-10-20T10:00:00+02:00")
    new = store.ideas.add("new in the week", created_at=at("2020-10-20 09:00"))
    store.ideas.edit(edited.id, "old, edited in the week (again)")
    freeze(monkeypatch, "2020-10-27T10:00:00+02:00")
    store.ideas.add("created after the week", created_at=at("2020-10-27 09:00"))
    freeze(monkeypatch, "2020-10-28T10:00:00+02:00")
    store.ideas.edit(later.id, "old, edited after the week (again)")

    window = store.ideas.find(changed_since=START, changed_until=END, until=END)
    assert [i.id for i in window] == [edited.id, new.id]  # oldest first
    open_ended = store.ideas.find(changed_since=START, until=END)
    assert [i.id for i in open_ended] == [edited.id, later.id, new.id]


def test_removed_papers_can_be_left_out_of_an_ideas_links(store: Store):
    kept = _paper(store, "2001.00001", "2020-10-01 09:00")
    gone = _paper(store, "2001.00002", "2020-10-01 09:00")
    idea = store.ideas.add("linked", papers=[str(kept), str(gone)])
    store.papers.remove(gone)

    assert [p["id"] for p in store.ideas.get(idea.id).papers] == [kept, gone]
    linked = store.ideas.get(idea.id, archived_papers=False).papers
    assert [p["id"] for p in linked] == [kept]
    assert [p["id"] for p in store.ideas.find(archived_papers=False)[0].papers] == [kept]


def test_papers_by_added_and_read_windows_and_their_count(store: Store):
    before = _paper(store, "2001.00001", "2020-10-01 09:00", status="read", read_at=at("2020-10-21 09:00"))  # fmt: skip
    inside = _paper(store, "2001.00002", "2020-10-20 09:00")
    after = _paper(store, "2001.00003", "2020-10-27 09:00", status="reading")
    _paper(store, "2001.00004", "2020-10-02 09:00", status="read", read_at=at("2020-10-02 09:00"))

    assert [p.id for p in store.papers.find(since=START, until=END)] == [inside]
    read = store.papers.find(statuses=["read"], read_since=START, read_until=END)
    assert [p.id for p in read] == [before]
    unread = ["to-read", "reading"]
    assert [p.id for p in store.papers.find(statuses=unread)] == [inside, after]
    assert store.papers.count(statuses=unread) == 2
    assert store.papers.count(statuses=unread, until=END) == 1
    assert store.papers.count(until=END) == len(store.papers.find(until=END)) == 3


def test_a_removed_paper_is_missing_when_asked_so(store: Store):
    number = _paper(store, "2001.00001", "2020-10-01 09:00")
    store.papers.remove(number)
    assert store.papers.get(number).archived_at is not None
    for ref in (number, "2001.00001"):
        with pytest.raises(NotFoundError):
            store.papers.get(ref, archived=False)


def test_edits_keep_the_earlier_text_and_empty_notes_leave_no_revision(store: Store):
    idea = store.ideas.add("first")
    edited = store.ideas.get(store.ideas.edit(idea.id, "second").id)
    assert [(r["field"], r["text"]) for r in edited.revisions] == [("text", "first")]
    assert edited.revisions[0]["replaced_at"] == edited.to_dict()["updated_at"]

    number = _paper(store, "2001.00001", "2020-10-01 09:00")
    store.papers.note(number, "one")
    assert store.papers.get(number).revisions == []  # the notes were empty
    store.papers.note(number, "two")
    paper = store.papers.get(number)
    assert [(r["field"], r["text"]) for r in paper.revisions] == [("notes", "one")]
    assert paper.revisions[0]["replaced_at"] == paper.to_dict()["updated_at"]
    assert paper.revisions[0]["written_at"] <= paper.revisions[0]["replaced_at"]
