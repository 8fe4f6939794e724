"""The git pre-commit hook, on real repositories with real commits."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from export_data import add_idea

from logbook.errors import HookError
from logbook.store import Store
from logbook.sync import githook


def _named(store: Store) -> str:
    """How the hook names the store: the file's resolved path, or the URL."""
    return str(store.path.resolve()) if store.path is not None else str(store.location.url)


# Every commit starts a Python process for the hook; every test runs on SQLite and on
# PostgreSQL (tests/conftest.py).
pytestmark = [pytest.mark.slow, pytest.mark.backends]


@pytest.fixture(autouse=True)
def _git(require_tool) -> None:
    require_tool("git")


def git(repo: Path, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True)
    if ok and result.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed: {result.stderr}")
    return result


def commit(repo: Path, name: str, *, ok: bool = True) -> subprocess.CompletedProcess[str]:
    """Add a file of the blog and commit it (the hook runs)."""
    (repo / name).write_text(f"{name}\n")
    git(repo, "add", name)
    return git(repo, "commit", "-m", f"add {name}", ok=ok)


def files_in_last_commit(repo: Path) -> list[str]:
    out = git(repo, "show", "--name-only", "--format=", "HEAD").stdout
    return sorted(line for line in out.splitlines() if line)


@pytest.fixture(scope="module")
def blog_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A blog repository with one commit and no hook, made once per module (six git runs)."""
    if shutil.which("git") is None:
        return Path("/nonexistent")  # the ``_git`` fixture skips or fails each test first
    repo = tmp_path_factory.mktemp("blog-template") / "blog"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.name", "Test Author")
    git(repo, "config", "user.email", "author@example.org")
    git(repo, "config", "commit.gpgsign", "false")
    commit(repo, "README.md")
    return repo


@pytest.fixture
def blog(tmp_path: Path, blog_template: Path) -> Path:
    """A blog repository of this test's own: a copy of ``blog_template``."""
    repo = tmp_path / "blog"
    shutil.copytree(blog_template, repo, symlinks=True)
    return repo


def test_commit_carries_the_changed_export_file(blog: Path, store: Store) -> None:
    idea = store.ideas.add("First idea #hooks")
    githook.install(blog, db=store.location)
    commit(blog, "post1.md")
    assert f"_logbook/ideas/{idea.uid}.yaml" in files_in_last_commit(blog)
    assert "_logbook/.gitignore" in files_in_last_commit(blog)

    store.ideas.edit(idea.id, "First idea, edited")
    commit(blog, "post2.md")
    assert files_in_last_commit(blog) == [f"_logbook/ideas/{idea.uid}.yaml", "post2.md"]
    assert "edited" in git(blog, "show", f"HEAD:_logbook/ideas/{idea.uid}.yaml").stdout
    assert git(blog, "status", "--porcelain").stdout == ""  # the state file is ignored


def test_no_change_adds_nothing(blog: Path, store: Store) -> None:
    store.ideas.add("An idea")
    githook.install(blog, db=store.location)
    commit(blog, "one.md")
    commit(blog, "two.md")
    assert files_in_last_commit(blog) == ["two.md"]


def test_removed_idea_is_removed_in_the_commit(blog: Path, store: Store) -> None:
    idea = store.ideas.add("Short-lived")
    githook.install(blog, db=store.location, subdir="notes/logbook")
    commit(blog, "one.md")
    store.ideas.remove(idea.id, purge=True)
    commit(blog, "two.md")
    assert f"notes/logbook/ideas/{idea.uid}.yaml" in files_in_last_commit(blog)
    assert not (blog / f"notes/logbook/ideas/{idea.uid}.yaml").exists()


def test_an_existing_hook_still_runs_and_uninstall_restores_it(
    blog: Path, store: Store, tmp_path: Path
) -> None:
    log = tmp_path / "ran.log"
    existing = f'#!/bin/sh\necho "existing hook ran" >> "{log}"\n'
    hook = blog / ".git/hooks/pre-commit"
    hook.write_text(existing)
    hook.chmod(0o755)
    store.ideas.add("An idea")

    status = githook.install(blog, db=store.location)
    assert status.installed and status.chained is not None
    commit(blog, "one.md")
    assert log.read_text() == "existing hook ran\n"
    assert any(f.startswith("_logbook/ideas/") for f in files_in_last_commit(blog))

    githook.uninstall(blog)
    assert hook.read_text() == existing
    assert os.access(hook, os.X_OK)
    assert not (blog / ".git/hooks" / githook.CHAINED_NAME).exists()


def test_a_failing_existing_hook_still_blocks_the_commit(blog: Path, store: Store) -> None:
    hook = blog / ".git/hooks/pre-commit"
    hook.write_text("#!/bin/sh\necho 'lint failed' >&2\nexit 1\n")
    hook.chmod(0o755)
    githook.install(blog, db=store.location)
    result = commit(blog, "one.md", ok=False)
    assert result.returncode != 0 and "lint failed" in result.stderr


def test_core_hooks_path_is_honoured(blog: Path, store: Store) -> None:
    git(blog, "config", "core.hooksPath", ".githooks")
    store.ideas.add("An idea")
    status = githook.install(blog, db=store.location)
    assert status.hook == blog / ".githooks/pre-commit"
    assert not (blog / ".git/hooks/pre-commit").exists()
    commit(blog, "one.md")
    assert any(f.startswith("_logbook/ideas/") for f in files_in_last_commit(blog))


@pytest.mark.sqlite_only  # breaks the store's file
def test_a_broken_store_does_not_block_the_commit(blog: Path, store: Store) -> None:
    store.ideas.add("An idea")
    githook.install(blog, db=store.location)
    store.close()
    store.path.write_bytes(b"this is not a database" * 100)
    for suffix in ("-wal", "-shm"):
        Path(f"{store.path}{suffix}").unlink(missing_ok=True)
    result = commit(blog, "one.md")
    assert "logbook" in result.stderr and "commit goes on" in result.stderr
    assert files_in_last_commit(blog) == ["one.md"]


@pytest.mark.sqlite_only  # breaks the store's file
def test_a_broken_store_blocks_the_commit_with_strict(blog: Path, store: Store) -> None:
    githook.install(blog, db=store.location, strict=True)
    store.close()
    store.path.write_bytes(b"this is not a database" * 100)
    for suffix in ("-wal", "-shm"):
        Path(f"{store.path}{suffix}").unlink(missing_ok=True)
    result = commit(blog, "one.md", ok=False)
    assert result.returncode != 0
    assert "not a logbook store" in result.stderr


def test_a_vanished_python_does_not_block_the_commit(blog: Path, store: Store) -> None:
    githook.install(blog, db=store.location, python="/nonexistent/venv/bin/python")
    result = commit(blog, "one.md")
    assert "is gone" in result.stderr


def test_hook_records_the_interpreter_and_the_store(blog: Path, store: Store) -> None:
    import sys

    status = githook.install(blog, db=store.location, subdir="data/log")
    assert status.settings is not None
    assert status.settings.python == str(Path(sys.executable).absolute())
    assert status.settings.db == _named(store)
    text = status.hook.read_text()
    assert sys.executable in text and _named(store) in text


def test_installing_twice_updates_the_hook_without_chaining_itself(
    blog: Path, store: Store
) -> None:
    githook.install(blog, db=store.location)
    status = githook.install(blog, db=store.location, subdir="other")
    assert status.chained is None and status.settings and status.settings.dir == "other"


def test_uninstall_without_a_hook_says_so(blog: Path) -> None:
    with pytest.raises(HookError, match="not installed"):
        githook.uninstall(blog)


def test_install_outside_a_repository_says_so(tmp_path: Path) -> None:
    with pytest.raises(HookError, match="not inside a git repository"):
        githook.install(tmp_path, db=tmp_path / "x.db")


def test_cli_install_status_uninstall(cli, blog: Path, store: Store) -> None:
    cli("hook", "install", "--repo", str(blog), "--dir", "exported")
    status = cli("hook", "status", "--repo", str(blog), "--json").json()
    assert status["installed"] and status["settings"]["dir"] == "exported"
    assert status["settings"]["db"] == _named(store)
    assert status["python_ok"] and status["store_ok"]
    cli("hook", "uninstall", "--repo", str(blog))
    assert not cli("hook", "status", "--repo", str(blog), "--json").json()["installed"]


def test_cli_hook_run_exports_and_stages(cli, blog: Path, store: Store) -> None:
    add_idea(store, "Staged by hand")
    os.chdir(blog)
    first = cli("hook", "run", "--dir", "logbook", "--json").json()
    assert first["staged"] and first["written"] == 1
    assert any(
        line.startswith("A  logbook/ideas/")
        for line in git(blog, "status", "--porcelain").stdout.splitlines()
    )
    assert cli("hook", "run", "--dir", "logbook", "--json").json()["skipped"]


def test_no_change_check_loads_neither_typer_nor_sqlalchemy(store: Store, tmp_path: Path) -> None:
    import sys

    from logbook.sync.export import export_store

    store.ideas.add("An idea")
    export_store(store, tmp_path / "logbook")
    probe = (
        "import sys; from logbook import hook_entry; "
        f"code = hook_entry.main([{_named(store)!r}, 'logbook', 'yaml']); "
        "print(code, sorted(m for m in ('typer', 'sqlalchemy', 'sqlmodel', 'yaml') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-P", "-c", probe], cwd=tmp_path, capture_output=True, text=True
    )
    assert result.stdout.strip() == "0 []", result.stderr


def test_hook_entry_without_arguments_prints_usage(tmp_path: Path) -> None:
    import sys

    result = subprocess.run(
        [sys.executable, "-P", "-m", "logbook.hook_entry"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2 and result.stderr.startswith("usage:")


def test_githook_library_leaves_the_command_line_to_hook_entry() -> None:
    import logbook.sync.githook

    source = Path(logbook.sync.githook.__file__).read_text()
    assert "logbook.cli" not in source and "stderr.write" not in source
    assert "-m logbook.hook_entry" in source


def test_pre_commit_framework_manifest_runs_the_export() -> None:
    import yaml

    manifest = yaml.safe_load((Path(__file__).parent.parent / ".pre-commit-hooks.yaml").read_text())
    (hook,) = manifest
    assert hook["id"] == "logbook-export"
    assert hook["entry"] == "logbook hook run"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False and hook["always_run"] is True


# The pre-commit script that logbook 0.1.0 installed, byte for byte but for its four values:
# an upgrade must keep it working (it runs ``python -P -m logbook.hook_entry``).
HOOK_0_1_0 = """#!/bin/sh
# logbook-hook {{"python": "{python}", "db": "{db}", "dir": "logbook", "format": "yaml", "strict": false}}
# Written by 'logbook hook install'; 'logbook hook uninstall' removes it and puts back the
# hook that was here before (kept as pre-commit.logbook-chained and run first).
hook_dir=$(dirname "$0")
if [ -x "$hook_dir/pre-commit.logbook-chained" ]; then
    "$hook_dir/pre-commit.logbook-chained" "$@" || exit $?
fi
strict=0
python={python}
if [ ! -x "$python" ]; then
    echo "logbook: $python is gone; the logbook export was skipped (reinstall: logbook hook install)" >&2
    [ "$strict" = 1 ] && exit 1
    exit 0
fi
"$python" -P -m logbook.hook_entry {db} logbook yaml
code=$?
if [ "$code" -ne 0 ] && [ "$strict" != 1 ]; then
    echo "logbook: the export failed (exit $code); the commit goes on without it" >&2
    exit 0
fi
exit $code
"""


@pytest.mark.sqlite_only  # logbook 0.1.0 knew store files only
def test_a_hook_installed_by_logbook_0_1_0_keeps_working_after_the_upgrade(
    blog: Path, store: Store
) -> None:
    import sys

    idea = store.ideas.add("Written before the upgrade")
    hook = blog / ".git" / "hooks" / "pre-commit"
    hook.write_text(HOOK_0_1_0.format(python=sys.executable, db=store.path))
    hook.chmod(0o755)
    commit(blog, "post.md")
    assert f"logbook/ideas/{idea.uid}.yaml" in files_in_last_commit(blog)
    store.ideas.edit(idea.id, "Edited after the upgrade")
    commit(blog, "post2.md")
    assert "Edited after" in git(blog, "show", f"HEAD:logbook/ideas/{idea.uid}.yaml").stdout
