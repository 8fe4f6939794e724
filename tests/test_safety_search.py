"""Search never trips on ordinary input: logbook's query language, stemming, arXiv ids, posts."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from logbook.store import Store
from logbook.store.paper_views import PaperMeta

# Every test here runs on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.backends

ABSTRACT = (
    "The dominant sequence transduction models are based on complex recurrent or\n"
    "convolutional neural networks. The best performing models also connect the encoder and\n"
    "decoder through an attention mechanism. We propose a new simple network architecture,\n"
    "the Transformer, based solely on attention mechanisms, dispensing with recurrence."
)


def _paper(arxiv_id: str, title: str, authors: list[str], abstract: str) -> PaperMeta:
    return PaperMeta(
        arxiv_id=arxiv_id,
        version=2,
        title=title,
        authors=authors,
        abstract=abstract,
        categories=["cs.CL"],
        primary_category="cs.CL",
        published=datetime(2017, 6, 12, tzinfo=UTC),
        updated=datetime(2017, 6, 19, tzinfo=UTC),
        comment=None,
        pdf_url=f"https://arxiv.org/pdf/{arxiv_id}v2",
    )


@pytest.fixture
def seeded(cli, store: Store) -> Store:
    store.papers.save(
        [
            _paper(
                "1706.03762",
                "Attention Is All You Need",
                ["Ashish Vaswani", "Noam Shazeer"],
                ABSTRACT,
            ),
            _paper("hep-th/9901001", "Strings from 1999", ["Edward Witten"], "Branes and duality."),
        ]
    )
    cli("idea", "add", "Self-attention as a kernel smoother #kernels", "--date", "2026-01-05")
    cli("idea", "add", "Don't forget C++ templates for the kernels #engineering")
    cli("idea", "add", "Gardening notes: tomatoes, no attention needed")
    store.posts.record(
        kind="week",
        source="2026-W02",
        title="Week 2: attention everywhere",
        slug="week-2",
        path="_posts/2026-01-12-week-2.md",
        content_hash="0" * 64,
        body="{% raw %}Self-attention\nas a {{ kernel }} smoother{% endraw %}",
        published_at=datetime(2026, 1, 12, tzinfo=UTC),
    )
    return store


def _refs(cli, *query: str) -> list[str]:
    return [f"{h['kind']} {h['ref']}" for h in cli("search", "--json", *query).json()]


@pytest.mark.parametrize(
    "query",
    ["self-attention", "1706.03762", "don't", "c++", "NOT attention", '"unbalanced', "-", "*",
     "OR", "AND", "NOT", "(", ")", "(attention", "a NEAR(", "nosuchcolumn:x", "kind:", "tag:",
     "id:", '""', "-(", "attention OR", "OR attention", "\x00", "^attention", "title:x"],
)  # fmt: skip
def test_ordinary_text_never_trips_search(cli, seeded, query):
    for args in (("--json",), ()):
        result = cli("search", "--", query, *args, ok=False)
        assert result.exit_code == 0, (query, result.stderr)
        assert "Error" not in result.stderr and "Traceback" not in result.stderr


def test_a_hyphenated_word_finds_the_phrase(cli, seeded):
    assert _refs(cli, "self-attention") == ["idea 1"]


def test_punctuated_words_are_found_literally(cli, seeded):
    assert _refs(cli, "don't") == ["idea 2"]
    assert _refs(cli, "c++ templates") == ["idea 2"]


def test_not_and_minus_leave_words_out(cli, seeded):
    assert _refs(cli, "kernels -attention") == ["idea 2"]
    assert _refs(cli, "kernels NOT attention") == ["idea 2"]
    assert _refs(cli, "attention -kernel* -gardening") == ["paper 1706.03762"]
    assert _refs(cli, "--", "attention", "-kernel*", "-gardening") == ["paper 1706.03762"]


def test_a_query_of_only_negations_finds_everything_else_newest_first(cli, seeded):
    assert _refs(cli, "NOT attention") == ["idea 2", "paper hep-th/9901001"]
    assert _refs(cli, "--", "-attention") == ["idea 2", "paper hep-th/9901001"]


def test_or_phrases_prefixes_and_groups(cli, seeded):
    assert _refs(cli, "tomatoes OR templates") == ["idea 3", "idea 2"] or _refs(
        cli, "tomatoes OR templates"
    ) == ["idea 2", "idea 3"]
    assert _refs(cli, '"attention mechanism"') == ["paper 1706.03762"]
    assert _refs(cli, "transduc*") == ["paper 1706.03762"]
    assert _refs(cli, '"attention mech*"') == ["paper 1706.03762"]
    assert _refs(cli, "(tomatoes OR templates) kernels") == ["idea 2"]


def test_words_are_stemmed(cli, seeded):
    assert _refs(cli, "mechanism") == ["paper 1706.03762"]
    assert _refs(cli, "transformers") == ["paper 1706.03762"]
    hit = cli("search", "transformers", "--json").json()[0]
    assert "[Transformer]" in hit["snippet"]


def test_field_filters(cli, seeded):
    assert _refs(cli, "tag:kernels") == ["idea 1"]
    assert _refs(cli, "attention", "tag:kernels") == ["idea 1"]
    assert _refs(cli, "kind:paper", "attention") == ["paper 1706.03762"]
    assert _refs(cli, "author:vaswani") == ["paper 1706.03762"]
    assert _refs(cli, 'author:"Edward Witten"') == ["paper hep-th/9901001"]
    assert sorted(_refs(cli, "id:2")) == ["idea 2", "paper hep-th/9901001"]  # entry numbers
    assert _refs(cli, "id:2 kind:idea") == ["idea 2"]
    assert _refs(cli, "kind:nonsense") == []


@pytest.mark.parametrize(
    "form",
    ["1706.03762", "1706.03762v2", "arXiv:1706.03762", "https://arxiv.org/abs/1706.03762",
     "id:1706.03762", "arxiv:1706.03762v1"],
)  # fmt: skip
def test_papers_are_found_by_arxiv_id_in_every_form(cli, seeded, form):
    assert _refs(cli, form)[0] == "paper 1706.03762"


def test_old_style_arxiv_ids_are_found(cli, seeded):
    assert _refs(cli, "hep-th/9901001") == ["paper hep-th/9901001"]


def test_generated_posts_are_left_out_unless_asked_for(cli, seeded):
    assert "post 1" not in _refs(cli, "smoother")
    assert _refs(cli, "smoother", "kind:post") == ["post 1"]
    assert "post 1" in _refs(cli, "smoother", "--kind", "post")


def test_snippets_never_show_liquid_escaping_and_are_one_line(cli, seeded):
    hit = cli("search", "smoother", "kind:post", "--json").json()[0]
    assert "raw" not in hit["snippet"] and "\n" not in hit["snippet"]
    assert hit["snippet"] == "Self-attention as a {{ kernel }} [smoother]"
    paper = cli("search", "dispensing", "--json").json()[0]
    assert "\n" not in paper["snippet"] and "[dispensing]" in paper["snippet"]
    plain = cli("search", "dispensing").stdout.splitlines()
    assert len(plain) == 2  # the header and one row


def test_the_stemmed_index_is_built_from_a_store_made_before_it(tmp_path):
    import sqlite3

    from logbook.store import open_store
    from logbook.store.migrations import MIGRATIONS, migrate
    from logbook.store.timestamps import format_utc

    path = tmp_path / "old.db"
    db = sqlite3.connect(path, isolation_level=None)
    names = [step.__name__ for step in MIGRATIONS]
    migrate(db, upto=names.index("m009_stemmed_search"))  # everything before the new index
    moment = format_utc(datetime(2026, 1, 1, tzinfo=UTC))
    db.execute(
        "INSERT INTO idea (uid, text, created_at, updated_at) VALUES (?, ?, ?, ?)",
        ("u1", "Attention mechanisms everywhere", moment, moment),
    )
    db.close()
    store = open_store(path)
    try:
        assert [h.id for h in store.search("mechanism")] == [1]
    finally:
        store.close()


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.text())
def test_no_query_text_makes_search_fail_inside(cli, seeded, query):
    result = cli("search", "--json", "--", query, ok=False)
    if query.strip():
        assert result.exit_code == 0, (query, result.stderr)
    else:
        assert result.exit_code == 2 and result.stderr == "Error: search needs a query\n"


def test_the_query_language_knows_no_database():
    source = Path(__file__).parents[1] / "logbook" / "query.py"
    tree = ast.parse(source.read_text(encoding="utf-8"))
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not {
        m for m in imported if m.startswith(("logbook.store", "sqlite", "sqlalchemy", "sqlmodel"))
    }
    assert "SELECT" not in source.read_text(encoding="utf-8").upper()


def test_matches_stay_visible_without_colour_on_a_terminal(tmp_path, cli, seeded):
    import pty

    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "80", "TERM": "xterm"}
    leader, follower = pty.openpty()
    process = subprocess.run(
        [sys.executable, "-m", "logbook", "search", "recurrent"],
        stdout=follower,
        stderr=subprocess.PIPE,
        env=env,
        timeout=60,
    )
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    assert process.returncode == 0, process.stderr
    text = shown.decode()
    assert "[recurrent]" in text
    lines = [line for line in text.splitlines() if line.strip()]
    # The snippet wraps at 80 columns; every line of it is indented under its header.
    assert all(line.startswith("    ") for line in lines[1:]), lines
