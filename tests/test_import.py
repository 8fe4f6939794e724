"""``logbook import``: rebuild a store from its export, merge diverged stores, skip bad files."""

from __future__ import annotations

import shutil
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from export_data import T0, add_idea, add_paper, add_post, full_store
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from logbook.store import Store, open_store
from logbook.store.models import Idea, Paper, Post, Revision
from logbook.store.tags import tags_of
from logbook.sync.export import export_store
from logbook.sync.folder_import import import_path

# Every test here runs on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.backends


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.yaml"))}


def test_export_import_export_is_byte_identical(store: Store, tmp_path: Path) -> None:
    full_store(store)
    export_store(store, tmp_path / "one")
    rebuilt = open_store(tmp_path / "rebuilt.db")
    report = import_path(rebuilt, tmp_path / "one")
    assert report.added == {"idea": 3, "paper": 2, "post": 1}
    assert report.problems == [] and report.warnings == []
    export_store(rebuilt, tmp_path / "two")
    assert tree(tmp_path / "two") == tree(tmp_path / "one")
    rebuilt.close()


def test_rebuilt_store_keeps_uids_numbers_and_search(store: Store, tmp_path: Path) -> None:
    full_store(store)
    export_store(store, tmp_path / "out")
    rebuilt = open_store(tmp_path / "rebuilt.db")
    import_path(rebuilt, tmp_path / "out")
    with store._read() as a, rebuilt._read() as b:
        assert [(i.id, i.uid) for i in a.exec(select(Idea))] == [
            (i.id, i.uid) for i in b.exec(select(Idea))
        ]
    assert [h.title for h in rebuilt.search("Attention")]
    rebuilt.close()


def test_importing_the_same_export_again_changes_nothing(store: Store, tmp_path: Path) -> None:
    full_store(store)
    export_store(store, tmp_path / "out")
    changes = store.changes()
    report = import_path(store, tmp_path / "out")
    assert report.unchanged == {"idea": 3, "paper": 2, "post": 1}
    assert report.added == report.updated == {"idea": 0, "paper": 0, "post": 0}
    assert store.changes() == changes


def test_merge_of_two_diverged_stores_keeps_both_texts(store: Store, tmp_path: Path) -> None:
    idea = add_idea(store, "Shared idea", at=T0)
    export_store(store, tmp_path / "base")
    laptop = open_store(tmp_path / "laptop.db")
    import_path(laptop, tmp_path / "base")
    # Both machines edit the same idea; the laptop's edit is later.
    with store._write() as session:
        row = session.get(Idea, idea.id)
        assert row is not None
        row.text, row.updated_at = "Desktop version", T0 + timedelta(hours=1)
        session.add(row)
    with laptop._write() as session:
        row = session.exec(select(Idea).where(Idea.uid == idea.uid)).one()
        row.text, row.updated_at = "Laptop version", T0 + timedelta(hours=2)
        session.add(row)
    add_idea(laptop, "Only on the laptop", at=T0 + timedelta(hours=3))
    export_store(laptop, tmp_path / "laptop")

    report = import_path(store, tmp_path / "laptop")

    assert report.updated["idea"] == 1 and report.added["idea"] == 1
    with store._read() as session:
        merged = session.exec(select(Idea).where(Idea.uid == idea.uid)).one()
        kept = [
            r.value for r in session.exec(select(Revision).where(Revision.entry_uid == idea.uid))
        ]
    assert merged.text == "Laptop version"  # the newer edit wins
    assert "Desktop version" in kept  # the other is kept as a revision
    # Merging the other way round ends with the same texts.
    export_store(store, tmp_path / "desktop")
    import_path(laptop, tmp_path / "desktop")
    with laptop._read() as session:
        other = session.exec(select(Idea).where(Idea.uid == idea.uid)).one()
        kept = [
            r.value for r in session.exec(select(Revision).where(Revision.entry_uid == idea.uid))
        ]
    assert other.text == "Laptop version" and "Desktop version" in kept
    laptop.close()


def test_merge_keeps_the_local_text_when_it_is_newer(store: Store, tmp_path: Path) -> None:
    idea = add_idea(store, "Old text", at=T0)
    export_store(store, tmp_path / "old")
    store.ideas.edit(idea.id or 0, "New local text")
    report = import_path(store, tmp_path / "old")
    assert report.updated["idea"] == 0 or report.unchanged["idea"] == 1
    assert store.ideas.get(idea.id or 0).text == "New local text"


def test_merge_unites_tags_and_matches_papers_by_arxiv_id(store: Store, tmp_path: Path) -> None:
    add_paper(store, "1706.03762", tags={"user": ["mine"]})
    other = open_store(tmp_path / "other.db")
    add_paper(other, "1706.03762", tags={"user": ["theirs"]}, cite_key="other-key")
    export_store(other, tmp_path / "other")
    import_path(store, tmp_path / "other")
    with store._read() as session:
        assert len(list(session.exec(select(Paper)))) == 1
    export_store(store, tmp_path / "merged")
    text = (tmp_path / "merged/papers/1706.03762.yaml").read_text()
    assert "- mine" in text and "- theirs" in text
    other.close()


def test_malformed_files_are_reported_and_the_rest_imported(store: Store, tmp_path: Path) -> None:
    source = open_store(tmp_path / "source.db")
    full_store(source)
    export_store(source, tmp_path / "out")
    (tmp_path / "out/ideas/broken.yaml").write_text("uid: [unclosed\n")
    (tmp_path / "out/ideas/wrong.yaml").write_text(
        "uid: x1\ntext: hi\nstatus: someday\ncreated_at: '2026-01-01T00:00:00+00:00'\n"
        "updated_at: '2026-01-01T00:00:00+00:00'\n"
    )
    (tmp_path / "out/ideas/late-error.yaml").write_text(
        "uid: x2\ntext: half\ncreated_at: '2026-01-01T00:00:00+00:00'\n"
        "updated_at: '2026-01-01T00:00:00+00:00'\ntags: {user: [fine]}\n"
        "revisions: [{field: text, value: v, written_at: never, replaced_at: never}]\n"
    )
    report = import_path(store, tmp_path / "out")
    problems = {Path(p.path).name: p.message for p in report.problems}
    assert set(problems) == {"broken.yaml", "wrong.yaml", "late-error.yaml"}
    assert "line" in problems["broken.yaml"]
    assert "someday" in problems["wrong.yaml"]
    assert report.added == {"idea": 3, "paper": 2, "post": 1}
    with store._read() as session:
        uids = {i.uid for i in session.exec(select(Idea))}
    assert "x1" not in uids and "x2" not in uids  # nothing half-written
    source.close()


def test_a_conflicting_entry_is_rolled_back_alone(store: Store, tmp_path: Path) -> None:
    add_post(store, "2026-W47")
    other = open_store(tmp_path / "other.db")
    clash = add_post(other, "2026-W47", slug="clash")  # same week, another uid
    add_post(other, "2026-W48")
    export_store(other, tmp_path / "other")
    report = import_path(store, tmp_path / "other")
    assert [Path(p.path).stem for p in report.problems] == [clash.uid]
    assert report.added["post"] == 1
    with store._read() as session:
        sources = {p.source: p.slug for p in session.exec(select(Post))}
    assert sources == {"2026-W47": "week-2026-w47", "2026-W48": "week-2026-w48"}
    other.close()


def test_import_reads_a_single_json_or_yaml_file(store: Store, tmp_path: Path) -> None:
    source = open_store(tmp_path / "source.db")
    full_store(source)
    export_store(source, tmp_path / "json", "json")
    export_store(source, tmp_path / "yaml")
    report = import_path(store, tmp_path / "json/logbook.json")
    assert report.added == {"idea": 3, "paper": 2, "post": 1}
    one = next((tmp_path / "yaml/ideas").iterdir())
    assert import_path(store, one).unchanged["idea"] == 1
    source.close()


def test_cli_import_reports_and_fails_on_problems(cli, tmp_path: Path) -> None:
    source = open_store(tmp_path / "source.db")
    full_store(source)
    export_store(source, tmp_path / "out")
    source.close()
    result = cli("import", str(tmp_path / "out"), "--json").json()
    assert result["added"] == {"idea": 3, "paper": 2, "post": 1}
    (tmp_path / "out/ideas/bad.yaml").write_text(": : :\n")
    failed = cli("import", str(tmp_path / "out"), ok=False)
    assert failed.exit_code == 1 and "bad.yaml" in failed.stderr
    missing = cli("import", str(tmp_path / "nowhere"), ok=False)
    assert missing.exit_code == 1 and "nowhere" in missing.stderr


def test_a_versioned_arxiv_id_is_stored_without_its_version(cli, tmp_path: Path) -> None:
    source = open_store(tmp_path / "source.db")
    add_paper(source, "1706.03762", version=1)
    export_store(source, tmp_path / "out")
    source.close()
    file = tmp_path / "out/papers/1706.03762.yaml"
    file.write_text(
        file.read_text().replace("arxiv_id: '1706.03762'", "arxiv_id: arXiv:1706.03762v3")
    )
    assert "arxiv_id: arXiv:1706.03762v3" in file.read_text()
    assert cli("import", str(tmp_path / "out"), "--json").json()["added"]["paper"] == 1
    shown = cli("paper", "show", "1706.03762", "--json").json()
    assert shown["arxiv_id"] == "1706.03762" and shown["version"] == 3
    again = cli("import", str(tmp_path / "out"), "--json").json()
    assert again["added"]["paper"] == 0 and again["unchanged"]["paper"] == 1
    assert len(cli("paper", "list", "--json").json()) == 1


# The property: any store survives export → import → export byte for byte. -----------------

ODD_TEXT = st.sampled_from(
    ["", " ", "{{ x }}", "{% if %}", "---", "$\\frac{a}{b}$", "a\n\n  b \n", "\t", "x" * 5000]
)
TEXT = st.one_of(st.text(alphabet=st.characters(codec="utf-8")), ODD_TEXT, st.text())
TAG = st.from_regex(r"[a-z0-9][a-z0-9\-./]{0,12}", fullmatch=True)
ENTRY = st.fixed_dictionaries(
    {
        "text": TEXT,
        "tags": st.dictionaries(
            st.sampled_from(["user", "auto", "category"]), st.lists(TAG, max_size=12, unique=True)
        ),
        "revisions": st.lists(TEXT, max_size=3),
        "status": st.sampled_from(["open", "exploring", "done", "dropped"]),
        "archived": st.booleans(),
        # into the past: import refuses dates after tomorrow (issue 9, finding 1)
        "minutes": st.integers(-(10**6), 0),
    }
)

_TEMPLATE: dict[str, Path] = {}


def _empty_store(folder: Path, name: str) -> Store:
    """A migrated store, copied from a template (migrating each time would be slow)."""
    if "path" not in _TEMPLATE:
        template = Path(tempfile.mkdtemp(prefix="logbook-template-")) / "template.db"
        open_store(template).close()
        _TEMPLATE["path"] = template
    shutil.copy(_TEMPLATE["path"], folder / name)
    return open_store(folder / name)


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@pytest.mark.sqlite_only  # its stores are files it makes; test_postgres moves stores across
@given(
    ideas=st.lists(ENTRY, max_size=6),
    notes=st.lists(TEXT, max_size=3),
)
def test_any_store_survives_export_import_export(ideas: list[dict], notes: list[str]) -> None:
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        store = _empty_store(folder, "a.db")
        papers = [
            add_paper(
                store, f"2101.{10000 + n}", title=note or "untitled", notes=note, abstract=note
            )
            for n, note in enumerate(notes)
        ]
        for n, entry in enumerate(ideas):
            add_idea(
                store,
                entry["text"],
                tags=entry["tags"],
                revisions=entry["revisions"],
                status=entry["status"],
                archived=entry["archived"],
                at=T0 + timedelta(minutes=entry["minutes"]),
                papers=[p.id or 0 for p in papers[: n % 3]],
            )
        if notes:
            add_post(store, body=notes[0])
        export_store(store, folder / "one")
        rebuilt = _empty_store(folder, "b.db")
        report = import_path(rebuilt, folder / "one")
        assert report.problems == []
        export_store(rebuilt, folder / "two")
        assert tree(folder / "two") == tree(folder / "one")
        store.close()
        rebuilt.close()


@pytest.mark.parametrize("text", ["nul\x00inside", "bell\x07 and \x1b[0m"])
def test_control_characters_survive_the_round_trip(
    store: Store, tmp_path: Path, text: str, backend: str
) -> None:
    if backend == "postgresql" and "\x00" in text:
        _nul_is_one_clear_problem_on_postgres(store, tmp_path, text)
        return
    add_idea(store, text)
    export_store(store, tmp_path / "one")
    rebuilt = open_store(tmp_path / "b.db")
    import_path(rebuilt, tmp_path / "one")
    export_store(rebuilt, tmp_path / "two")
    assert tree(tmp_path / "two") == tree(tmp_path / "one")
    assert rebuilt.ideas.get(1).text == text
    rebuilt.close()


def _nul_is_one_clear_problem_on_postgres(store: Store, tmp_path: Path, text: str) -> None:
    # PostgreSQL text cannot hold U+0000: the file is skipped in words, the rest imported.
    personal = open_store(tmp_path / "personal.db")
    add_idea(personal, text)
    add_idea(personal, "an ordinary idea", at=T0 + timedelta(hours=1))
    export_store(personal, tmp_path / "one")
    personal.close()
    report = import_path(store, tmp_path / "one")
    assert [p.message for p in report.problems] == [
        "PostgreSQL cannot store the NUL character (U+0000) this file holds"
    ]
    assert [i.text for i in store.ideas.find()] == ["an ordinary idea"]


# Regressions found by QA. -------------------------------------------------------------------


def _revision_values(store: Store, uid: str) -> list[str]:
    with store._read() as session:
        rows = session.exec(select(Revision).where(Revision.entry_uid == uid))
        return sorted(r.value for r in rows)


def test_merging_edits_made_on_both_machines_keeps_each_text_once(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    idea = add_idea(store, "Second kernel idea #kernels", at=T0)
    export_store(store, tmp_path / "base")
    other = open_store(tmp_path / "b.db")
    import_path(other, tmp_path / "base")
    # Each machine edits the idea (idea edit keeps the original as a revision on both).
    monkeypatch.setenv("LOGBOOK_NOW", "2026-11-16T10:00:00+00:00")
    store.ideas.edit(idea.id or 0, "Machine A text #kernels")
    monkeypatch.setenv("LOGBOOK_NOW", "2026-11-16T11:00:00+00:00")
    other.ideas.edit(idea.id or 0, "Machine B text #kernels")
    export_store(other, tmp_path / "from-b")

    report = import_path(store, tmp_path / "from-b")

    assert report.problems == [] and report.updated["idea"] == 1
    assert store.ideas.get(idea.id or 0).text == "Machine B text #kernels"
    assert _revision_values(store, idea.uid) == [
        "Machine A text #kernels",
        "Second kernel idea #kernels",
    ]
    # Importing again, or merging back the other way, adds nothing and ends the same.
    assert import_path(store, tmp_path / "from-b").unchanged["idea"] == 1
    export_store(store, tmp_path / "from-a")
    import_path(other, tmp_path / "from-a")
    assert _revision_values(other, idea.uid) == _revision_values(store, idea.uid)
    assert other.ideas.get(idea.id or 0).text == "Machine B text #kernels"
    export_store(other, tmp_path / "b-again")
    assert tree(tmp_path / "b-again") == tree(tmp_path / "from-a")
    other.close()


def _two_saved_papers(store: Store) -> None:
    from datetime import UTC, datetime

    from logbook.store.paper_views import PaperMeta

    store.papers.save(
        [
            PaperMeta(
                arxiv_id="1706.03762",
                version=5,
                title="Attention Is All You Need",
                authors=["Ashish Vaswani", "Noam Shazeer"],
                published=datetime(2017, 6, 12, tzinfo=UTC),
            ),
            PaperMeta(
                arxiv_id="1801.00862",
                version=3,
                title="Quantum Computing in the NISQ era and beyond",
                authors=["John Preskill"],
                published=datetime(2018, 1, 2, tzinfo=UTC),
            ),
        ]
    )


def test_a_hand_edited_cite_key_that_clashes_is_replaced_not_skipped(
    store: Store, tmp_path: Path
) -> None:
    _two_saved_papers(store)
    export_store(store, tmp_path / "out")
    edited = tmp_path / "out/papers/1706.03762.yaml"
    assert "cite_key: vaswani2017attention" in edited.read_text()
    edited.write_text(edited.read_text().replace("vaswani2017attention", "preskill2018quantum"))
    rebuilt = open_store(tmp_path / "rebuilt.db")

    report = import_path(rebuilt, tmp_path / "out")

    assert report.problems == [] and report.added["paper"] == 2
    with rebuilt._read() as session:
        keys = {p.arxiv_id: p.cite_key for p in session.exec(select(Paper))}
    assert keys["1801.00862"] == "preskill2018quantum"  # the untouched paper keeps its key
    assert keys["1706.03762"] not in (None, "preskill2018quantum")
    assert any("preskill2018quantum" in w and "1706.03762" in w for w in report.warnings)
    assert not any("UNIQUE" in w or "constraint" in w for w in report.warnings)
    rebuilt.close()


def test_hundreds_of_hand_chosen_cite_keys_import_and_the_clash_rule_holds(
    store: Store, tmp_path: Path
) -> None:
    # More papers that do not own their key than an import holds back in memory.
    import re

    from logbook.ids import new_uid

    _two_saved_papers(store)
    export_store(store, tmp_path / "out")
    edited = tmp_path / "out/papers/1706.03762.yaml"
    edited.write_text(edited.read_text().replace("vaswani2017attention", "preskill2018quantum"))
    template = re.sub(r"(?m)^id: .*\n", "", edited.read_text())  # a number of its own
    for n in range(600):
        arxiv_id = f"2301.{n:05d}"
        text = re.sub(r"(?m)^uid: .*$", f"uid: {new_uid()}", template)
        text = text.replace("'1706.03762'", f"'{arxiv_id}'")
        text = text.replace("cite_key: preskill2018quantum", f"cite_key: hand{n}")
        (tmp_path / f"out/papers/{arxiv_id}.yaml").write_text(text)
    rebuilt = open_store(tmp_path / "rebuilt.db")

    report = import_path(rebuilt, tmp_path / "out")

    assert report.problems == [] and report.added["paper"] == 602
    with rebuilt._read() as session:
        keys = {p.arxiv_id: p.cite_key for p in session.exec(select(Paper))}
    assert keys["1801.00862"] == "preskill2018quantum"
    assert keys["1706.03762"] not in (None, "preskill2018quantum")
    assert all(keys[f"2301.{n:05d}"] == f"hand{n}" for n in range(600))
    rebuilt.close()


def test_a_cite_key_taken_in_the_store_gives_the_incoming_paper_a_fresh_one(
    cli, store: Store, tmp_path: Path
) -> None:
    add_paper(store, "2101.00001", cite_key="taken")
    other = open_store(tmp_path / "other.db")
    add_paper(other, "2101.00002", cite_key="taken", tags={"user": ["kept"]})
    export_store(other, tmp_path / "other")
    other.close()

    result = cli("import", str(tmp_path / "other"))

    assert "Skipped" not in result.stderr and "UNIQUE" not in result.stderr
    assert "taken" in result.stderr and "2101.00002" in result.stderr
    with store._read() as session:
        papers = {p.arxiv_id: p for p in session.exec(select(Paper))}
        tags = tags_of(session, "paper", [papers["2101.00002"].id or 0])
    assert papers["2101.00001"].cite_key == "taken"
    assert papers["2101.00002"].cite_key not in (None, "taken")
    assert [t.name for t in tags[papers["2101.00002"].id or 0]] == ["kept"]


def test_a_store_conflict_is_skipped_in_words_not_sql(store: Store, tmp_path: Path) -> None:
    add_post(store)
    other = open_store(tmp_path / "other.db")
    add_post(other)  # same kind and source, another uid
    export_store(other, tmp_path / "other")
    other.close()
    report = import_path(store, tmp_path / "other")
    assert len(report.problems) == 1
    message = report.problems[0].message
    assert "constraint" not in message and "UNIQUE" not in message and "post." not in message
    assert "another post" in message


def test_an_imported_tag_is_normalized_so_list_by_tag_finds_it(
    cli, store: Store, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    store.ideas.add("Kernel regimes of wide nets")
    export_store(store, tmp_path / "out")
    (file,) = (tmp_path / "out" / "ideas").glob("*.yaml")
    text = file.read_text()
    file.write_text(text.replace("tags: {}", "tags:\n  user:\n  - Deep Learning"))
    assert "Deep Learning" in file.read_text()
    fresh = tmp_path / "fresh.db"
    cli("--db", str(fresh), "import", str(tmp_path / "out"))
    found = cli("--db", str(fresh), "idea", "list", "--tag", "deep learning", "--json").json()
    assert [i["title"] for i in found] == ["Kernel regimes of wide nets"]
    assert found[0]["tags"] == ["deep-learning"]


def test_an_entry_over_the_size_limit_is_a_reported_problem(store: Store, tmp_path: Path) -> None:
    from logbook.store.kinds import MAX_TEXT_BYTES

    (tmp_path / "out/ideas").mkdir(parents=True)
    (tmp_path / "out/ideas/huge.yaml").write_text(
        "uid: 0190a1b2-0000-7000-8000-000000000001\n"
        f"text: {'x' * (MAX_TEXT_BYTES + 1)}\n"
        "created_at: '2026-01-01T00:00:00+00:00'\nupdated_at: '2026-01-01T00:00:00+00:00'\n"
    )
    report = import_path(store, tmp_path / "out")
    assert [(Path(p.path).name, p.message) for p in report.problems] == [
        ("huge.yaml", "text is 1.0 MB; an entry holds at most 1 MB of text "
                      "(keep large material in a file and link to it)")
    ]  # fmt: skip
    assert store.ideas.find() == []
