"""Colour and terminals: what a person sees at 80 columns, with and without colour."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import UTC, datetime

import pytest
from terminal import on_terminal

from logbook.store.paper_views import PaperMeta

# Every test here runs on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.backends

TITLES = [
    "Attention Is All You Need",
    "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding",
    "Scaling Laws for Neural Language Models and the generalization of overparameterized nets",
]


def _paper(number: int, title: str) -> PaperMeta:
    return PaperMeta(
        arxiv_id=f"2001.0000{number}",
        version=1,
        title=title,
        authors=["Ada Lovelace"],
        abstract="The dominant sequence transduction models are based on recurrent networks.",
        categories=["cs.CL"],
        primary_category="cs.CL",
        published=datetime(2020, 1, number, tzinfo=UTC),
        updated=None,
        doi=None,
        journal_ref=None,
        comment=None,
        pdf_url=None,
    )


@pytest.fixture
def papers(store):  # type: ignore[no-untyped-def]
    store.papers.save([_paper(n, t) for n, t in enumerate(TITLES, 1)])
    store.papers.tag("1", ["transformers", "attention"])
    return store


def _screen(*args: str, **env: str) -> str:
    code, shown = on_terminal(list(args), {**os.environ, "COLUMNS": "80", **env})
    assert code == 0, shown
    return shown.replace("\r", "")


# A colour in an SGR sequence: 30-37, 90-97 (foreground), 38;… (extended).
COLOUR = re.compile(r"\x1b\[[0-9;]*(?<![0-9])(3[0-8]|9[0-7])[;m]")


def _visible(shown: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", shown)


def test_paper_list_at_80_columns_keeps_short_columns_whole_and_words_unbroken(papers):
    shown = _visible(_screen("paper", "list"))
    lines = shown.splitlines()
    assert max(len(line) for line in lines) <= 80
    text = " ".join(re.sub(r"[│┃┏┓┗┛┡┩└┘━─╇┳┻╋┿]", " ", shown).split())
    for title in TITLES:  # every word of every title, whole
        for word in title.split():
            assert re.search(rf"(^|\s){re.escape(word)}(\s|$)", text), word
    for number in range(1, 4):
        row = next(line for line in lines if f"2001.0000{number}" in line)
        assert "to-read" in row and "2020" in row  # id, status, year on the line itself
    first = next(line for line in lines if "2001.00001" in line)
    assert "Attention Is All You Need" in first  # the title has the room, not the tags


def test_matches_stay_visible_without_colour(papers):
    shown = _screen("search", "recurrent", NO_COLOR="1")
    assert "[recurrent]" in _visible(shown)
    assert not COLOUR.search(shown)


def test_color_flags_turn_colour_off_and_on_whatever_no_color_says(papers, monkeypatch):
    monkeypatch.delenv("NO_COLOR")
    assert COLOUR.search(_screen("search", "recurrent"))
    for flags in (["--no-color"], ["--color", "never"]):
        shown = _screen(*flags, "search", "recurrent")
        assert not COLOUR.search(shown) and "[recurrent]" in _visible(shown)
    assert COLOUR.search(_screen("--color", "always", "search", "recurrent", NO_COLOR="1"))


def test_an_unknown_color_mode_is_a_usage_error(cli):
    result = cli("--color", "sometimes", "idea", "list", ok=False)
    assert result.exit_code == 2
    assert "auto, always or never" in result.stderr


def test_help_shows_flags_bare_lists_as_names_and_that_hashtags_are_tags(cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    shown = cli("idea", "add", "--help").stdout
    assert "<bool>" not in shown and "<str>" not in shown and "list[" not in shown
    assert re.search(r"--json\s+Print JSON", shown)
    assert "TAG..." in shown and "DATE" in shown
    assert "#tags in it become tags" in shown


@pytest.fixture
def pager(tmp_path, store):  # type: ignore[no-untyped-def]
    """$PAGER: a script that keeps what it was given in paged.txt; 30 ideas to page."""
    script = tmp_path / "pager.sh"
    script.write_text('#!/bin/sh\ncat > "$(dirname "$0")/paged.txt"\n', encoding="utf-8")
    script.chmod(0o755)
    for n in range(1, 31):
        store.ideas.add(f"Idea number {n} #paging")
    return tmp_path / "paged.txt", {"PAGER": str(script), "LINES": "20"}


def test_long_output_on_a_terminal_goes_through_the_pager(pager):
    paged, env = pager
    for args in (["idea", "list"], ["search", "idea"]):
        paged.unlink(missing_ok=True)
        shown = _screen(*args, **env)
        got = paged.read_text(encoding="utf-8")
        assert "Idea number 30" in got, args
        assert "Idea number 30" not in shown  # the pager had it, not the screen


def test_short_output_and_no_pager_write_to_the_screen(pager):
    paged, env = pager
    assert "Idea number 3" in _screen("idea", "show", "3", **env)
    assert "Idea number 30" in _screen("--no-pager", "idea", "list", **env)
    assert '"id": 30' in _screen("idea", "list", "--json", **env)
    assert not paged.exists()


def test_a_pipe_never_pages(pager):
    paged, env = pager
    done = subprocess.run(
        [sys.executable, "-m", "logbook", "idea", "list"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    assert "Idea number 30" in done.stdout
    assert not paged.exists()


def test_output_flags_also_work_after_the_command_name(papers, pager, monkeypatch):
    monkeypatch.delenv("NO_COLOR")
    assert COLOUR.search(_screen("search", "recurrent"))
    for flags in (["--no-color"], ["--color", "never"], ["--color=never"]):
        shown = _screen("search", "recurrent", *flags)
        assert not COLOUR.search(shown) and "[recurrent]" in _visible(shown)
    assert COLOUR.search(_screen("search", "recurrent", "--color", "always", NO_COLOR="1"))
    paged, env = pager
    assert "Idea number 30" in _screen("idea", "list", "--no-pager", **env)
    assert not paged.exists()


def test_output_flags_after_a_double_dash_are_text(cli):
    cli("idea", "add", "--", "--no-color is a flag #cli")
    assert "--no-color is a flag" in cli("idea", "list").stdout
