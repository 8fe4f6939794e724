"""Start-up: commands import only what they use, so `idea add` stays instant."""

from __future__ import annotations

import json
import subprocess
import sys

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


def _modules_after(body: str, env_db: str) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(body=body)],
        capture_output=True,
        text=True,
        check=True,
        env={"LOGBOOK_DB": env_db, "LOGBOOK_CONFIG": env_db + ".yaml", "PATH": "/usr/bin:/bin"},
    )
    modules = set(json.loads(result.stdout.strip().splitlines()[-1]))
    return modules | {name.split(".")[0] for name in modules}


def test_importing_the_cli_imports_no_heavy_package(tmp_path):
    loaded = _modules_after("import logbook.cli", str(tmp_path / "s.db"))
    assert loaded.isdisjoint(HEAVY), loaded & set(HEAVY)


def test_idea_add_and_list_import_no_heavy_package(tmp_path):
    body = """
from logbook.cli import run
for argv in (["idea", "add", "x #y"], ["idea", "list"], ["search", "x"]):
    assert run(argv) == 0
"""
    loaded = _modules_after(body, str(tmp_path / "s.db"))
    assert loaded.isdisjoint(HEAVY), loaded & set(HEAVY)
    assert "yaml" not in loaded  # no config file, no YAML parser
    assert "rich" not in loaded  # not a terminal: plain text, no Rich


def test_idea_add_and_search_do_not_build_the_models(tmp_path):
    # Building the SQLModel classes costs ~35 ms, a tenth of the `idea add` budget.
    body = """
from logbook.cli import run
for argv in (["idea", "add", "x #y"], ["search", "x"]):
    assert run(argv) == 0
"""
    assert "logbook.store.models" not in _modules_after(body, str(tmp_path / "s.db"))


def test_version(cli):
    from logbook import __version__

    assert cli("--version").stdout.strip() == f"logbook {__version__}"


def test_python_dash_m_runs_logbook(tmp_path):
    from logbook.store import open_store

    open_store(tmp_path / "m.db").close()
    result = subprocess.run(
        [sys.executable, "-m", "logbook", "--db", str(tmp_path / "m.db"), "idea", "list", "--json"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []
