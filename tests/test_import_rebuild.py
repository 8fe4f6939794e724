"""``logbook import`` into an empty store: every entry under its number, found by search,
counted by the change counter, and nothing at all when the import fails part way."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from export_data import add_idea, full_store
from sqlalchemy import text

from logbook.store import Store, bulk_merge, open_store
from logbook.store.merge import Entry
from logbook.sync.export import export_store
from logbook.sync.folder_import import check_entry, import_path
from logbook.sync.import_check import read_source

# Every test here runs on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.backends

# Every table whose rows the change counter counts (meta.changes: one per row written).
COUNTED = (
    "idea", "paper", "post", "tag", "idea_tag", "paper_tag", "post_tag", "idea_paper",
    "revision", "post_citation", "post_idea",
)  # fmt: skip
WORDS = ["amber", "basalt", "cobalt", "dune", "ember", "fjord", "garnet", "heath", "indigo"]


def _export_numbered_against_file_order(tmp_path: Path) -> tuple[Path, dict[str, int]]:
    """An export whose idea numbers run backwards to the order of its files (as a store's
    do after ideas written on two machines were merged); word → the number of its idea."""
    source = open_store(tmp_path / "source.db")
    full_store(source)
    for word in WORDS:
        add_idea(source, f"Thoughts on {word}", tags={"user": [word]})
    export_store(source, tmp_path / "out")
    source.close()
    files = sorted((tmp_path / "out" / "ideas").glob("*.yaml"))
    numbers = {}
    for number, file in zip(range(100 + len(files), 100, -1), files, strict=True):
        body = re.sub(r"(?m)^id: \d+$", f"id: {number}", file.read_text())
        file.write_text(body)
        for word in WORDS:
            if f"Thoughts on {word}\n" in body:
                numbers[word] = number
    assert len(numbers) == len(WORDS)
    return tmp_path / "out", numbers


def test_a_rebuilt_store_finds_each_entry_under_its_number(store: Store, tmp_path: Path) -> None:
    folder, numbers = _export_numbered_against_file_order(tmp_path)
    report = import_path(store, folder)
    assert report.problems == [] and report.added == {"idea": 12, "paper": 2, "post": 1}
    for word, number in numbers.items():
        assert [(h.kind, h.id) for h in store.search(word)] == [("idea", number)]
        assert [i.id for i in store.ideas.find(tags=[word])] == [number]
    assert {h.ref for h in store.search("attention")} >= {"1706.03762"}


def test_the_change_counter_counts_every_row_an_import_writes(store: Store, tmp_path: Path) -> None:
    folder, _ = _export_numbered_against_file_order(tmp_path)
    before = store.changes()
    import_path(store, folder)
    with store._read() as session:
        rows = sum(session.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in COUNTED)
    assert rows > 30
    assert store.changes() - before == rows  # what the git hook's no-change check trusts


def test_an_import_that_fails_part_way_leaves_the_store_as_it_was(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, _ = _export_numbered_against_file_order(tmp_path)
    store.ideas.add("Here before the import #kept")
    before = store.changes()
    monkeypatch.setattr(bulk_merge, "BATCH", 2)  # several batches are in before it fails

    def entries() -> Iterator[Entry]:
        for n, (kind, where, record) in enumerate(read_source(folder, [])):
            if n == 10:
                raise OSError("the disk went away")
            yield check_entry(kind, where, record)

    with pytest.raises(OSError, match="went away"):
        store.merge(entries())
    assert store.changes() == before
    assert [i.text for i in store.ideas.find()] == ["Here before the import #kept"]
    assert [h.kind for h in store.search("thoughts OR attention")] == []
    assert import_path(store, folder).added == {"idea": 12, "paper": 2, "post": 1}
