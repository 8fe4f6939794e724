"""Papers in the store and the ``paper`` commands (no network: metadata is saved directly)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from logbook.arxiv_ids import is_withdrawn
from logbook.cite_keys import base_key
from logbook.store import Store
from logbook.store.paper_views import PaperMeta

# Every test here runs on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.backends


def meta(arxiv_id: str = "1706.03762", version: int = 7, **changes: object) -> PaperMeta:
    fields: dict[str, object] = {
        "arxiv_id": arxiv_id,
        "version": version,
        "title": "Attention Is All You Need",
        "authors": ["Ashish Vaswani", "Noam Shazeer", "Niki Parmar", "Jakob Uszkoreit"],
        "abstract": "The dominant sequence transduction models are based on recurrent networks.",
        "categories": ["cs.CL", "cs.LG"],
        "primary_category": "cs.CL",
        "published": datetime(2017, 6, 12, 17, 57, 34, tzinfo=UTC),
        "updated": datetime(2023, 8, 2, 0, 41, 18, tzinfo=UTC),
        "comment": "15 pages, 5 figures",
        "pdf_url": f"https://arxiv.org/pdf/{arxiv_id}v{version}",
    }
    fields.update(changes)
    return PaperMeta(**fields)  # type: ignore[arg-type]


@pytest.fixture
def papers(store: Store) -> Store:
    store.papers.save(
        [
            meta(),
            meta(
                "1801.00862",
                3,
                title="Quantum Computing in the NISQ era and beyond",
                authors=["John Preskill"],
                categories=["quant-ph", "cond-mat.str-el"],
                primary_category="quant-ph",
                published=datetime(2018, 1, 2, tzinfo=UTC),
                doi="10.22331/q-2018-08-06-79",
                journal_ref="Quantum 2, 79 (2018)",
            ),
            meta(
                "hep-th/9901001",
                2,
                title="A paper from 1999",
                authors=["Edward Witten"],
                categories=["hep-th"],
                primary_category="hep-th",
                published=datetime(1999, 1, 4, tzinfo=UTC),
            ),
        ]
    )
    return store


def test_save_is_idempotent(store: Store):
    first = store.papers.save([meta()])
    again = store.papers.save([meta()])
    assert [s.outcome for s in first] == ["imported"]
    assert [s.outcome for s in again] == ["known"]
    assert len(store.papers.find()) == 1


def test_refresh_with_a_newer_version_updates_arxiv_fields_only(store: Store):
    store.papers.save([meta(version=2, comment="15 pages, 5 figure")])
    store.papers.set_status("1706.03762", "read")
    store.papers.note("1706.03762", "Scaled dot-product attention.")
    store.papers.tag("1706.03762", ["transformers"])
    [saved] = store.papers.save([meta(version=7, title="Attention Is All You Need (v7)")])
    assert saved.outcome == "updated"
    paper = store.papers.get("1706.03762")
    assert (paper.version, paper.title) == (7, "Attention Is All You Need (v7)")
    assert (paper.status, paper.read_version) == ("read", 2)
    assert paper.notes == "Scaled dot-product attention."
    assert paper.user_tags == ["transformers"]
    assert paper.cite_key == "vaswani2017attention"


def test_an_older_version_never_replaces_a_newer_one(store: Store):
    store.papers.save([meta(version=7)])
    [saved] = store.papers.save([meta(version=2, comment="old")])
    assert saved.outcome == "known"
    assert store.papers.get("1706.03762").version == 7


@pytest.mark.parametrize(
    "comment, withdrawn",
    [
        ("This paper has been withdrawn by the author due to a crucial error", True),
        ("Withdrawn.", True),
        ("withdrawn by arXiv administrators: duplicate submission", True),
        ("Paper withdrawn due to an error in Lemma 2", True),
        ("15 pages, 5 figures", False),
        (None, False),
    ],
)
def test_withdrawn_is_read_from_the_comment(store: Store, comment, withdrawn):
    assert is_withdrawn(comment) is withdrawn
    store.papers.save([meta(comment=comment)])
    assert store.papers.get("1706.03762").withdrawn is withdrawn


def test_cite_keys_are_stable_and_unique(store: Store):
    store.papers.save([meta()])
    store.papers.save([meta("1706.99999", 1, title="Attention, again")])
    store.papers.save([meta("1706.88888", 1, title="Attention: the third")])
    keys = [p.cite_key for p in store.papers.find()]
    assert keys == ["vaswani2017attention", "vaswani2017attentionb", "vaswani2017attentionc"]
    # a refresh that changes authors and title keeps the key
    store.papers.save([meta(version=8, title="Transformers", authors=["Someone Else"])])
    assert store.papers.get("1706.03762").cite_key == "vaswani2017attention"


@pytest.mark.store_free
@pytest.mark.parametrize(
    "authors, year, title, key",
    [
        (["Ashish Vaswani"], 2017, "Attention Is All You Need", "vaswani2017attention"),
        (["Dirk Wübben"], 2017, "On the $Φ$ of things", "wubben2017things"),
        (["Martin Luther King Jr."], 1963, "A Dream", "king1963dream"),
        (["Søren Ørsted"], 2001, "Ørsted's law", "orsted2001orsteds"),
        (["Knuth, Donald E."], 1995, "Aztec diamonds", "knuth1995aztec"),
        ([], None, "Untitled", "anonuntitled"),
        (
            ["The ATLAS Collaboration"],
            2012,
            "Observation of a new particle",
            "atlas2012observation",
        ),
    ],
)
def test_cite_key_forms(authors, year, title, key):
    assert base_key(authors, year, title) == key


def test_get_by_number_or_any_arxiv_id_form(papers: Store):
    for ref in (
        "1",
        "#1",
        "1706.03762",
        "1706.03762v2",
        "arXiv:1706.03762",
        "https://arxiv.org/abs/1706.03762v7",
        "http://arxiv.org/pdf/1706.03762.pdf",
    ):
        assert papers.papers.get(ref).arxiv_id == "1706.03762"
    assert papers.papers.get("hep-th/9901001v2").id == 3


def test_unknown_and_malformed_papers_are_one_line_errors(cli, papers):
    missing = cli("paper", "show", "99", ok=False)
    assert (missing.exit_code, missing.stderr) == (1, "Error: no paper #99\n")
    unknown = cli("paper", "show", "2401.00001", ok=False)
    assert unknown.exit_code == 1
    assert unknown.stderr.startswith("Error: no paper 2401.00001 in the store (import it:")
    bad = cli("paper", "show", "not-an-id", ok=False)
    assert bad.exit_code == 2 and bad.stderr.count("\n") == 1


def test_list_filters(cli, papers, monkeypatch):
    cli("paper", "status", "2", "reading")
    cli("paper", "tag", "1", "transformers", "week47")
    ids = lambda *args: [p["arxiv_id"] for p in cli("paper", "list", *args, "--json").json()]  # noqa: E731
    assert ids() == ["1706.03762", "1801.00862", "hep-th/9901001"]
    assert ids("--status", "reading") == ["1801.00862"]
    assert ids("--status", "to-read") == ["1706.03762", "hep-th/9901001"]
    assert ids("--tag", "transformers") == ["1706.03762"]
    assert ids("--category", "cs.LG") == ["1706.03762"]
    assert ids("--category", "hep-th") == ["hep-th/9901001"]
    assert ids("--limit", "1") == ["hep-th/9901001"]
    assert ids("--since", "2999-01-01") == []
    assert ids("--since", "2000-01-01") == ["1706.03762", "1801.00862", "hep-th/9901001"]
    bad = cli("paper", "list", "--status", "skimmed", ok=False)
    assert bad.exit_code == 2 and "not a reading status" in bad.stderr


def test_list_on_a_terminal_shows_the_newest_fifty_unless_a_limit_is_given(cli, store):
    import os

    from terminal import on_terminal

    store.papers.save([meta(f"2301.{n:05d}", 1, title=f"Paper number {n}") for n in range(60)])
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}

    code, shown = on_terminal(["paper", "list"], env)
    assert code == 0, shown
    listed = [n for n in range(60) if f"2301.{n:05d}" in shown]
    assert listed == list(range(10, 60))  # the newest fifty, oldest first
    assert "the newest 50 of 60 papers; --limit 0 lists them all" in shown

    code, shown = on_terminal(["paper", "list", "--limit", "0"], env)
    assert code == 0 and all(f"2301.{n:05d}" in shown for n in range(60))
    assert "--limit 0" not in shown
    code, shown = on_terminal(["paper", "list", "-n", "5", "--status", "to-read"], env)
    assert [n for n in range(60) if f"2301.{n:05d}" in shown] == list(range(55, 60))
    assert "newest" not in shown
    # a pipe and --json get every paper, and no note
    piped = cli("paper", "list")
    assert all(f"2301.{n:05d}" in piped.stdout for n in range(60)) and "newest" not in piped.stderr
    assert len(cli("paper", "list", "--json").json()) == 60


def test_status_read_records_when_and_which_version(cli, papers, monkeypatch):
    monkeypatch.setenv("LOGBOOK_NOW", "2026-11-20T09:15:00+00:00")
    paper = cli("paper", "status", "1706.03762", "read", "--json").json()
    assert paper["status"] == "read"
    assert paper["read_at"] == "2026-11-20T09:15:00+00:00"
    assert paper["read_version"] == 7
    back = cli("paper", "status", "1", "to-read", "--json").json()
    assert (back["read_at"], back["read_version"]) == (None, None)


def test_notes_add_up_and_earlier_notes_are_kept(cli, papers):
    cli("paper", "note", "1", "Key trick: scaled dot products.")
    cli("paper", "note", "1", "See section 3.2.")
    paper = cli("paper", "show", "1", "--json").json()
    assert paper["notes"] == "Key trick: scaled dot products.\n\nSee section 3.2."
    assert [r["text"] for r in paper["revisions"]] == ["Key trick: scaled dot products."]
    assert {r["field"] for r in paper["revisions"]} == {"notes"}
    replaced = cli("paper", "note", "1", "Only this.", "--replace", "--json").json()
    assert replaced["notes"] == "Only this."
    paper = cli("paper", "show", "1", "--json").json()
    assert len(paper["revisions"]) == 2
    cli("paper", "note", "1", "-", input="From stdin $\\frac{a}{b}$\n")
    assert cli("paper", "show", "1", "--json").json()["notes"].endswith("From stdin $\\frac{a}{b}$")


def test_tags_are_added_and_removed(cli, papers):
    assert cli("paper", "tag", "1", "Transformers", "#NLP", "--json").json()["tags"] == ["nlp", "transformers"]  # fmt: skip
    assert cli("paper", "tag", "1", "nlp", "--remove", "--json").json()["tags"] == ["transformers"]
    # category tags are not user tags
    assert "cs.cl" in cli("paper", "show", "1", "--json").json()["category_tags"]


def test_rm_hides_restore_brings_back_purge_deletes(cli, papers, store):
    cli("paper", "note", "1", "first")
    cli("paper", "note", "1", "second")
    removed = cli("paper", "rm", "1")
    assert "logbook paper restore 1" in removed.stderr
    assert [p["id"] for p in cli("paper", "list", "--json").json()] == [2, 3]
    assert [p["id"] for p in cli("paper", "list", "--archived", "--json").json()] == [1]
    assert cli("paper", "show", "1", "--json").json()["archived"] is True
    cli("paper", "restore", "1")
    assert [p["id"] for p in cli("paper", "list", "--json").json()] == [1, 2, 3]
    again = cli("paper", "restore", "1", ok=False)  # the same rule as ideas and posts
    assert again.exit_code == 2 and "was not removed" in again.stderr
    cli("paper", "rm", "1", "--purge", "--yes")
    assert cli("paper", "show", "1", ok=False).exit_code == 1
    with store._read() as session:
        from sqlalchemy import text

        assert session.execute(text("SELECT count(*) FROM revision")).scalar() == 0


def test_importing_a_removed_paper_brings_it_back_without_a_request(cli, papers, monkeypatch):
    monkeypatch.setenv("LOGBOOK_ARXIV_API_URL", "http://127.0.0.1:9/never")
    cli("paper", "rm", "1")
    report = cli("paper", "import", "1706.03762", "--json").json()
    assert report["known"] == ["1706.03762"] and report["requests"] == 0
    assert report["items"][0]["message"] == "restored from the removed papers"
    assert cli("paper", "show", "1", "--json").json()["archived"] is False


def test_show_lists_linked_ideas_authors_links_and_notes(cli, papers):
    cli("idea", "add", "Sparse attention for long documents", "--paper", "1706.03762")
    cli("idea", "add", "Unrelated idea")
    cli("idea", "add", "Attention as kernel smoothing", "--paper", "1")
    paper = cli("paper", "show", "arXiv:1706.03762", "--json").json()
    assert [i["title"] for i in paper["ideas"]] == [
        "Sparse attention for long documents",
        "Attention as kernel smoothing",
    ]
    assert paper["abs_url"] == "https://arxiv.org/abs/1706.03762"
    assert paper["pdf_url"] == "https://arxiv.org/pdf/1706.03762v7"
    text = cli("paper", "show", "1").stdout
    assert "ideas: #1 Sparse attention for long documents, #3 Attention as kernel smoothing" in text
    assert "authors: Ashish Vaswani, Noam Shazeer" in text
    assert "abs: https://arxiv.org/abs/1706.03762" in text
    assert "The dominant sequence transduction models" in text


def test_paper_json_fields_are_stable(cli, papers):
    paper = cli("paper", "show", "2", "--json").json()
    assert set(paper) == {
        "id", "uid", "kind", "arxiv_id", "version", "title", "authors", "abstract",
        "categories", "primary_category", "published", "updated", "doi", "journal_ref",
        "comment", "withdrawn", "abs_url", "pdf_url", "cite_key", "status", "read_at",
        "read_version", "notes", "tags", "auto_tags", "category_tags", "ideas",
        "created_at", "updated_at", "archived", "added_by", "revisions",
    }  # fmt: skip
    assert paper["doi"] == "10.22331/q-2018-08-06-79"
    assert paper["cite_key"] == "preskill2018quantum"


def test_papers_are_found_by_search(cli, papers):
    hits = cli("search", "transduction", "--json").json()
    assert any(h.get("kind") == "paper" for h in hits)


def test_every_paper_command_has_help_with_an_example(cli):
    for command in ("import", "list", "show", "status", "note", "tag", "rm", "restore"):
        text = cli("paper", command, "--help").stdout
        assert "Example: logbook paper" in " ".join(text.split()), command
    assert "Example: logbook reading-list" in " ".join(cli("reading-list", "--help").stdout.split())


def test_a_removed_paper_cannot_be_linked_to_an_idea(papers, cli):
    cli("idea", "add", "Attention idea")
    cli("paper", "rm", "1706.03762")
    result = cli("idea", "link", "1", "1706.03762", ok=False)
    assert result.exit_code == 1
    assert "no paper 1706.03762 in the store" in result.stderr
    cli("paper", "restore", "1706.03762")
    cli("idea", "link", "1", "1706.03762")
