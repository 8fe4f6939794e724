"""The layout is the architecture: which package may import what, checked on the source."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "logbook"
FEATURES = ("arxiv", "themes", "publish", "sync")


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _imports(path: Path) -> set[str]:
    """Every module ``path`` imports, at the top, inside functions or under TYPE_CHECKING."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _where(path: Path) -> str:
    return path.relative_to(PACKAGE.parent).as_posix()


def _offenders(paths: list[Path], banned: tuple[str, ...]) -> dict[str, list[str]]:
    found = {}
    for path in paths:
        bad = sorted(
            name
            for name in _imports(path)
            if any(name == b or name.startswith(b + ".") for b in banned)
        )
        if bad:
            found[_where(path)] = bad
    return found


def test_no_module_outside_the_store_talks_to_a_database() -> None:
    outside = [p for p in _modules() if "store" not in p.relative_to(PACKAGE).parts[:1]]
    assert _offenders(outside, ("sqlalchemy", "sqlmodel", "sqlite3", "psycopg")) == {}


def test_the_library_knows_nothing_of_the_terminal() -> None:
    # The two entry points (``python -m logbook`` and the installed git hook) start the CLI.
    entry_points = {PACKAGE / "__main__.py", PACKAGE / "hook_entry.py"}
    library = [
        p for p in _modules() if p.relative_to(PACKAGE).parts[0] != "cli" and p not in entry_points
    ]
    assert _offenders(library, ("typer", "rich", "click", "logbook.cli")) == {}


def test_the_store_imports_no_feature_package() -> None:
    store = sorted((PACKAGE / "store").rglob("*.py"))
    banned = tuple(f"logbook.{name}" for name in (*FEATURES, "cli"))
    assert _offenders(store, banned) == {}


@pytest.mark.parametrize("feature", FEATURES)
def test_a_feature_package_never_imports_the_cli(feature: str) -> None:
    assert _offenders(sorted((PACKAGE / feature).rglob("*.py")), ("logbook.cli",)) == {}


def test_the_core_imports_no_feature_package_and_no_store() -> None:
    core = [p for p in PACKAGE.glob("*.py") if p.name not in ("__main__.py", "hook_entry.py")]
    banned = tuple(f"logbook.{name}" for name in (*FEATURES, "cli", "store"))
    allowed = {"logbook/project.py"}  # `logbook init` creates the project's store
    assert {k: v for k, v in _offenders(core, banned).items() if k not in allowed} == {}


def test_the_arxiv_package_is_the_only_door_to_arxiv() -> None:
    others = [p for p in _modules() if p != PACKAGE / "arxiv" / "api.py"]
    assert _offenders(others, ("arxiv", "requests")) == {}


def test_no_module_holds_two_concerns() -> None:
    """~400 lines at most (a little slack, not a second concern): past that, a module is
    usually two."""
    long = {
        _where(p): n
        for p in _modules()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 440
    }
    assert long == {}
