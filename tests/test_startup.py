"""Start-up: commands import only what they use, so `idea add` stays instant."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

# Every test here runs on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.backends

HEAVY = (
    "arxiv",
    "requests",
    "lxml",
    "feedparser",
    "jinja2",
    "markdown_it",
    "sklearn",
    "numpy",
    "scipy",
)

PROBE = """
import json, sys
{body}
print(json.dumps(sorted(sys.modules)))
"""


def _modules_after(body: str) -> set[str]:
    """The modules ``body`` loads, in a fresh interpreter on the test's store."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(body=body)],
        capture_output=True,
        text=True,
        check=True,
        env={
            "LOGBOOK_DB": os.environ["LOGBOOK_DB"],
            "LOGBOOK_CONFIG": os.environ["LOGBOOK_CONFIG"],
            "PATH": "/usr/bin:/bin",
        },
    )
    modules = set(json.loads(result.stdout.strip().splitlines()[-1]))
    return modules | {name.split(".")[0] for name in modules}


def test_importing_the_cli_imports_no_heavy_package():
    loaded = _modules_after("import logbook.cli")
    assert loaded.isdisjoint(HEAVY), loaded & set(HEAVY)


def test_idea_add_and_list_import_no_heavy_package():
    body = """
from logbook.cli import run
for argv in (["idea", "add", "x #y"], ["idea", "list"], ["search", "x"]):
    assert run(argv) == 0
"""
    loaded = _modules_after(body)
    assert loaded.isdisjoint(HEAVY), loaded & set(HEAVY)
    assert "yaml" not in loaded  # no config file, no YAML parser
    assert "rich" not in loaded  # not a terminal: plain text, no Rich


def test_idea_add_and_search_do_not_build_the_models():
    # Building the SQLModel classes costs ~35 ms, a tenth of the `idea add` budget.
    body = """
from logbook.cli import run
for argv in (["idea", "add", "x #y"], ["search", "x"]):
    assert run(argv) == 0
"""
    assert "logbook.store.models" not in _modules_after(body)


def test_version(cli):
    from logbook import __version__

    assert cli("--version").stdout.strip() == f"logbook {__version__}"


def test_python_dash_m_runs_logbook(store):
    location = os.environ["LOGBOOK_DB"]
    result = subprocess.run(
        [sys.executable, "-m", "logbook", "--db", location, "idea", "list", "--json"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []
