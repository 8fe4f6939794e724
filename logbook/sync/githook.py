"""The git ``pre-commit`` hook: export the logbook into the blog repo on every commit.

``install`` writes a small shell script into the repo's hooks folder (``core.hooksPath``
honoured). A hook already there is moved aside to ``pre-commit.logbook-chained`` and run
first; ``uninstall`` puts it back. The script records the absolute path of the Python that
installed it and of the store, so it works from a virtualenv and from GUI git clients.

On a commit the script runs ``python -P -m logbook.hook_entry STORE SUBDIR FORMAT``: when the
store has not changed since the last export (one read of its change counter) it stops there,
having imported only the standard library; otherwise it runs ``logbook --db STORE hook run --dir
SUBDIR``, which exports into SUBDIR (a folder logbook owns: not the repository's top, no
files of the user's) and stages exactly the files it wrote and removed. A logbook problem
never blocks a commit unless the hook was installed with ``--strict``: the script prints why
and exits 0, even when Python or logbook itself is gone.
"""

from __future__ import annotations

import json
import os
import shlex
import stat
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from logbook.errors import HookError, UsageError
from logbook.location import StoreLocation, as_location, masked
from logbook.sync.export_folder import check_export_folder, check_not_published

if TYPE_CHECKING:
    from logbook.store import Store

HOOK_NAME = "pre-commit"
CHAINED_NAME = "pre-commit.logbook-chained"
MARKER = "# logbook-hook "  # followed by the settings as JSON, on the script's second line

_SCRIPT = """#!/bin/sh
{marker}{settings}
# Written by 'logbook hook install'; 'logbook hook uninstall' removes it and puts back the
# hook that was here before (kept as {chained} and run first).
hook_dir=$(dirname "$0")
if [ -x "$hook_dir/{chained}" ]; then
    "$hook_dir/{chained}" "$@" || exit $?
fi
strict={strict}
python={python}
if [ ! -x "$python" ]; then
    echo "logbook: $python is gone; the logbook export was skipped (reinstall: logbook hook install)" >&2
    [ "$strict" = 1 ] && exit 1
    exit 0
fi
# 'python -m logbook.hook_entry' answers "nothing changed" without loading the CLI, else runs
# 'logbook --db … hook run …'. -P: the work tree is the current folder and may hold a folder
# named "logbook" (an older export), which must not shadow the logbook package.
"$python" -P -m logbook.hook_entry {db} {subdir} {fmt}{strict_flag}
code=$?
if [ "$code" -ne 0 ] && [ "$strict" != 1 ]; then
    echo "logbook: the export failed (exit $code); the commit goes on without it" >&2
    exit 0
fi
exit $code
"""


@dataclass
class HookSettings:
    """What an installed hook runs."""

    python: str
    db: str
    dir: str
    format: str = "yaml"
    strict: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "python": self.python,
            "db": self.db,
            "dir": self.dir,
            "format": self.format,
            "strict": self.strict,
        }


@dataclass
class HookStatus:
    """What is installed where in one repository."""

    repo: Path
    hook: Path
    installed: bool  # logbook's hook is the pre-commit hook
    other_hook: bool  # a pre-commit hook that is not logbook's is there
    chained: Path | None  # the earlier hook logbook runs first
    settings: HookSettings | None
    python_ok: bool = False
    store_ok: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON form."""
        return {
            "repo": str(self.repo),
            "hook": str(self.hook),
            "installed": self.installed,
            "other_hook": self.other_hook,
            "chained": str(self.chained) if self.chained else None,
            "settings": self.settings.to_dict() if self.settings else None,
            "python_ok": self.python_ok,
            "store_ok": self.store_ok,
        }


@dataclass
class HookRun:
    """What one run of the hook did."""

    skipped: bool = False  # nothing changed since the last export
    written: int = 0
    removed: int = 0
    staged: bool = False
    error: str | None = None  # why the export did not happen (the commit went on)
    not_in_store: int = 0  # entry files of another store, left alone
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "skipped": self.skipped,
            "written": self.written,
            "removed": self.removed,
            "staged": self.staged,
            "error": self.error,
            "not_in_store": self.not_in_store,
            "warnings": self.warnings,
        }


def _git(repo: Path, *args: str, stdin: str | None = None) -> str:
    try:
        result = subprocess.run(
            ["git", "-C", str(repo), *args],
            capture_output=True,
            text=True,
            check=False,
            input=stdin,
        )
    except FileNotFoundError:
        raise HookError("git is not installed (or not on PATH)") from None
    if result.returncode != 0:
        message = result.stderr.strip().splitlines()
        raise HookError(
            f"git {' '.join(args)} failed in {repo}: {message[-1] if message else result.returncode}"
        )
    return result.stdout.strip()


def find_repo(repo: Path) -> tuple[Path, Path]:
    """The top folder of the git work tree holding ``repo`` and its hooks folder."""
    if not repo.exists():
        raise HookError(f"no such folder: {repo}")
    try:
        top = _git(repo, "rev-parse", "--show-toplevel")
    except HookError:
        raise HookError(f"{repo} is not inside a git repository") from None
    # --git-path honours core.hooksPath (relative paths are relative to the work tree).
    hooks = Path(_git(Path(top), "rev-parse", "--git-path", "hooks"))
    if not hooks.is_absolute():
        hooks = Path(top) / hooks
    return Path(top), hooks


def _stage(top: Path, root: Path, written: list[str], removed: list[str]) -> None:
    """Stage exactly the files the export wrote and removed, by literal path."""
    base = root.resolve().relative_to(top.resolve())
    prefix = "" if base == Path(".") else f"{base.as_posix()}/"
    added = [prefix + name for name in written]
    if (root / ".gitignore").is_file():
        added.append(prefix + ".gitignore")  # ignores the state file; written the first time
    # --literal-pathspecs: a name is a path, never a glob; NUL-separated on stdin: no limit.
    if added:
        _git(top, "--literal-pathspecs", "add", "--pathspec-from-file=-", "--pathspec-file-nul",
             stdin="\0".join(added))  # fmt: skip
    if removed:
        _git(
            top, "--literal-pathspecs", "rm", "--cached", "--quiet", "--ignore-unmatch",
            "--pathspec-from-file=-", "--pathspec-file-nul",
            stdin="\0".join(prefix + name for name in removed),
        )  # fmt: skip


def read_settings(hook: Path) -> HookSettings | None:
    """The settings of logbook's hook at ``hook``, or ``None`` when it is not logbook's."""
    try:
        lines = hook.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    for line in lines[:3]:
        if line.startswith(MARKER):
            try:
                data = json.loads(line[len(MARKER) :])
                return HookSettings(
                    python=data["python"],
                    db=data["db"],
                    dir=data["dir"],
                    format=data.get("format", "yaml"),
                    strict=bool(data.get("strict", False)),
                )
            except (ValueError, KeyError, TypeError):
                return HookSettings(python="", db="", dir="")
    return None


def script(settings: HookSettings) -> str:
    """The text of the hook for ``settings``."""
    quote = shlex.quote
    return _SCRIPT.format(
        marker=MARKER,
        settings=json.dumps(settings.to_dict(), ensure_ascii=False),
        chained=CHAINED_NAME,
        strict=1 if settings.strict else 0,
        python=quote(settings.python),
        db=quote(settings.db),
        subdir=quote(settings.dir),
        fmt=quote(settings.format),
        strict_flag=" --strict" if settings.strict else "",
    )


def install(
    repo: Path,
    *,
    db: StoreLocation | Path,
    subdir: str = "_logbook",
    fmt: str = "yaml",
    strict: bool = False,
    python: str | None = None,
) -> HookStatus:
    """Install (or update) logbook's pre-commit hook in the repository holding ``repo``.

    A PostgreSQL URL is written into the hook as given; one holding a password is refused
    (the hook file would keep it): the password belongs in ``~/.pgpass`` or ``PGPASSWORD``.
    """
    from logbook.sync.state import LAYOUT

    location = as_location(db)
    if location.url is not None and masked(location.url) != location.url:
        raise HookError(
            "the store URL holds a password, which the hook file would keep: "
            "put it in ~/.pgpass (or PGPASSWORD) and give the URL without it"
        )
    if fmt not in LAYOUT:
        raise UsageError(f"unknown export format {fmt!r}; use one of {', '.join(LAYOUT)}")
    top, hooks = find_repo(repo)
    root = check_export_folder(top, subdir, fmt)
    # Checked here, not on every commit: a hook installed before this check keeps exporting.
    check_not_published(top, root)
    hook = hooks / HOOK_NAME
    chained = hooks / CHAINED_NAME
    settings = HookSettings(
        python=str(Path(python or sys.executable).absolute()),
        db=location.key if location.path is not None else location.url or "",
        dir=subdir,
        format=fmt,
        strict=strict,
    )
    hooks.mkdir(parents=True, exist_ok=True)
    if (hook.exists() or hook.is_symlink()) and read_settings(hook) is None:
        if chained.exists() or chained.is_symlink():
            raise HookError(f"both {hook} and {chained} exist; move one away, then install again")
        os.replace(hook, chained)
    hook.write_text(script(settings), encoding="utf-8")
    hook.chmod(hook.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return status(top)


def uninstall(repo: Path) -> HookStatus:
    """Remove logbook's hook and put back the hook it chained, if any."""
    top, hooks = find_repo(repo)
    hook = hooks / HOOK_NAME
    chained = hooks / CHAINED_NAME
    if read_settings(hook) is None:
        raise HookError(f"logbook's hook is not installed in {top} (looked at {hook})")
    hook.unlink()
    if chained.exists() or chained.is_symlink():
        os.replace(chained, hook)
    return status(top)


def status(repo: Path) -> HookStatus:
    """What is installed in the repository holding ``repo``."""
    top, hooks = find_repo(repo)
    hook = hooks / HOOK_NAME
    chained = hooks / CHAINED_NAME
    settings = read_settings(hook)
    exists = hook.exists() or hook.is_symlink()
    result = HookStatus(
        repo=top,
        hook=hook,
        installed=settings is not None,
        other_hook=exists and settings is None,
        chained=chained if settings is not None and chained.exists() else None,
        settings=settings,
    )
    if settings is not None:
        result.python_ok = os.access(settings.python, os.X_OK)
        stored = as_location(settings.db)
        result.store_ok = stored.is_postgres or Path(settings.db).is_file()
    return result


def run(
    repo: Path,
    *,
    db: StoreLocation | Path,
    subdir: str = "_logbook",
    fmt: str = "yaml",
    strict: bool = False,
) -> HookRun:
    """Export into ``repo/subdir`` when the store changed, and stage what changed.

    Without ``strict`` a logbook problem is returned in ``HookRun.error`` instead of raised,
    so that the commit goes on.
    """
    from logbook.sync.state import export_when_changed

    opened: list[Store] = []

    def open_store() -> Store:
        from logbook.store import open_store as open_existing

        opened.append(open_existing(db, create=False))
        return opened[0]

    try:
        top, _hooks = find_repo(repo)
        root = check_export_folder(top, subdir, fmt)
        try:
            report = export_when_changed(db, top / subdir, fmt, open_store)
        finally:
            for store in opened:
                store.close()
        if report.skipped:
            return HookRun(skipped=True)
        _stage(top, root, report.written, report.removed)
        return HookRun(
            written=len(report.written),
            removed=len(report.removed),
            staged=True,
            not_in_store=report.not_in_store,
            warnings=report.warnings,
        )
    except Exception as error:
        if strict:
            if isinstance(error, HookError):
                raise
            raise HookError(f"the logbook export failed: {error}") from error
        return HookRun(error=str(error) or type(error).__name__)
