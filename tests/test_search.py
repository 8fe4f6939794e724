"""Search: FTS5 over everything, ranked, highlighted, in sync with every write."""

from __future__ import annotations

import pytest

# Every test here runs on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.backends


def _seed(cli):
    cli(
        "idea",
        "add",
        "Attention is all you need\n\nA note about transformers #nlp",
        "--date",
        "2020-01-01",
    )
    cli("idea", "add", "Kernels everywhere\n\nThe attention mechanism as a kernel #theory")
    cli("idea", "add", "Unrelated idea about gardening")


def test_results_are_ranked_with_title_matches_first(cli):
    _seed(cli)
    hits = cli("search", "attention", "--json").json()
    assert [h["title"] for h in hits] == ["Attention is all you need", "Kernels everywhere"]
    assert hits[0]["kind"] == "idea"
    assert hits[0]["ref"] == "1"


def test_snippets_mark_the_matched_words(cli):
    _seed(cli)
    hit = cli("search", "mechanism", "--json").json()[0]
    assert "[mechanism]" in hit["snippet"]
    plain = cli("search", "mechanism").stdout
    assert "[mechanism]" in plain


def test_filters_by_kind_tag_and_date(cli):
    _seed(cli)
    assert [h["ref"] for h in cli("search", "attention", "--tag", "theory", "--json").json()] == [
        "2"
    ]
    assert [
        h["ref"] for h in cli("search", "attention", "--since", "2021-01-01", "--json").json()
    ] == ["2"]
    assert cli("search", "attention", "--kind", "paper", "--json").json() == []


def test_prefix_phrase_and_boolean_queries(cli):
    _seed(cli)
    assert len(cli("search", "transform*", "--json").json()) == 1
    assert len(cli("search", '"attention mechanism"', "--json").json()) == 1
    assert len(cli("search", "gardening OR kernels", "--json").json()) == 2


def test_the_index_follows_edits_and_removals(cli, store):
    _seed(cli)
    cli("idea", "edit", "3", "--text", "Now about diffusion")
    assert store.search("gardening") == []
    assert [h.id for h in store.search("diffusion")] == [3]
    cli("idea", "rm", "3")
    assert store.search("diffusion") == []
    cli("idea", "restore", "3")
    assert [h.id for h in store.search("diffusion")] == [3]


def test_accents_and_unicode_are_searchable(cli):
    cli("idea", "add", "Réseaux de neurones et 深度学习")
    assert len(cli("search", "reseaux", "--json").json()) == 1


def test_text_that_was_fts_syntax_is_searched_literally(cli):
    _seed(cli)
    for query in ['"unterminated', "AND", "a NEAR(", "(", "nosuchcolumn:x"]:
        result = cli("search", query, ok=False)
        assert result.exit_code == 0, query
        assert "Error" not in result.stderr, query


def test_no_match_says_so_on_stderr(cli):
    _seed(cli)
    result = cli("search", "zebra")
    assert result.stdout == ""
    assert result.stderr.strip() == "no matches"


def test_snippet_work_is_bounded_however_many_matches_an_entry_holds():
    from logbook.store.snippets import (
        MARK_START,
        SCAN_CHARS,
        WINDOW_CHARS,
        SnippetWork,
        make_snippet,
        query_terms,
    )

    huge = "intro words first\n" + "alpha beta " * 1_000_000  # 11 MB, a million matches
    work = SnippetWork()
    snippet = make_snippet(huge, query_terms("alpha"), work=work)
    assert snippet.count(MARK_START) >= 4
    assert work.scanned <= SCAN_CHARS
    assert work.words <= WINDOW_CHARS  # words looked at: from the window only


def test_snippet_finds_a_match_far_into_an_entry():
    from logbook.store.snippets import make_snippet, query_terms

    text = "filler " * 100_000 + "the rare Résumé word"
    snippet = make_snippet(text, query_terms('"resume"'))
    assert snippet.startswith("…filler") and snippet.endswith("the rare \x02Résumé\x03 word")


def test_an_entry_of_the_largest_size_is_searched_with_a_snippet(cli):
    from logbook.store.kinds import MAX_TEXT_BYTES

    body = "Big notes\n" + "kernel trick " * ((MAX_TEXT_BYTES - 20) // 13)
    cli("idea", "add", "-", input=body)
    hit = cli("search", "kernel", "--json").json()[0]
    assert hit["snippet"].startswith("Big notes [kernel] trick [kernel]")


def test_text_over_the_size_limit_is_one_clear_line(cli):
    from logbook.store.kinds import MAX_TEXT_BYTES

    too_big = "x" * (MAX_TEXT_BYTES + 1)
    cli("idea", "add", "small")
    for args in (("idea", "add", "-"), ("idea", "edit", "1", "--text", "-")):
        result = cli(*args, input=too_big, ok=False)
        assert result.exit_code == 2
        lines = result.stderr.strip().splitlines()
        assert lines == ["Error: the idea is 1.0 MB; an entry holds at most 1 MB of text "
                         "(keep large material in a file and link to it)"]  # fmt: skip
    assert [i["text"] for i in cli("idea", "list", "--json").json()] == ["small"]
