"""The commands people run most load neither SQLAlchemy nor pydantic, on either backend,
and leave the store exactly as the ORM's commands would read it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from arxiv_server import arxiv_server

__all__ = ["arxiv_server"]  # the local arXiv fixture, imported for pytest

pytestmark = pytest.mark.backends

# Enough to tell: the ORM, the models, and the validation library Typer 0.29 imports.
ORM = ("sqlalchemy", "sqlmodel", "pydantic", "logbook.store.models")

PROBE = """
import json, sys
from logbook.cli import run
code = run(sys.argv[1:])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}), file=sys.stderr)
"""


def _loaded(*argv: str) -> tuple[int, set[str]]:
    """Run one command line in a fresh interpreter: its exit code and the modules it loaded."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *argv],
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": "/usr/bin:/bin"},
        check=False,
    )
    report = json.loads(result.stderr.strip().splitlines()[-1])
    return report["code"], set(report["modules"])


@pytest.fixture
def logged(cli, arxiv_server):
    """A store with two ideas, one tagged and linked to a paper."""
    cli("paper", "import", "1706.03762")
    cli("idea", "add", "Attention kernels on graphs #kernels", "--paper", "1706.03762")
    cli("idea", "add", "Second thought about scaling")


@pytest.mark.parametrize(
    "argv",
    [
        ["idea", "add", "Sparse attention as a kernel #kernels", "--paper", "1706.03762"],
        ["idea", "list", "--tag", "kernels"],
        ["idea", "show", "1"],
        ["search", "attention"],
        ["paper", "show", "1706.03762"],
        ["paper", "list"],
        ["reading-list", "--format", "bibtex"],
        ["publish", "--week", "--dry-run"],
    ],
    ids=lambda argv: " ".join(argv[:2]),
)
def test_hot_commands_load_no_orm(logged, argv):
    code, modules = _loaded(*argv)
    assert code == 0
    assert not [name for name in ORM if name in modules]


def test_an_idea_added_without_the_orm_reads_back_through_it(cli, logged):
    code, _ = _loaded("idea", "add", "Kernels again #kernels #graphs", "--paper", "1706.03762")
    assert code == 0
    # `idea tag` goes through the ORM: it sees the row, its tags and its link as written
    shown = json.loads(cli("idea", "tag", "3", "later", "--json").stdout)
    assert shown["tags"] == ["graphs", "kernels", "later"]
    assert [p["arxiv_id"] for p in shown["papers"]] == ["1706.03762"]
    assert shown["text"] == "Kernels again #kernels #graphs"


def test_a_failed_add_writes_nothing_and_says_one_line(cli, logged):
    result = subprocess.run(
        [sys.executable, "-m", "logbook", "idea", "add", "Linked to nothing", "--paper", "9999"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "Error: no paper 9999 in the store (import it first: logbook paper import 9999)"
    ]
    titles = [i["title"] for i in json.loads(cli("idea", "list", "--json").stdout)]
    assert "Linked to nothing" not in titles


def test_reads_and_writes_while_papers_stream(store, arxiv_server, cli):
    cli("paper", "import", "1706.03762", "1707.08567")
    streaming = store.papers.iter_find()
    first = next(streaming)  # the read stays open until the list is done
    assert store.papers.get(first.arxiv_id).id == first.id  # a read inside it
    added = store.ideas.add("Written while the list streams #later")  # a write beside it
    assert [p.arxiv_id for p in streaming] == ["1707.08567"]
    assert store.ideas.get(added.id).text == "Written while the list streams #later"
