"""Who is writing: the name new entries are credited to in a shared (group) store."""

from __future__ import annotations

from logbook.config import Config


def entry_author(config: Config) -> str:
    """Who new entries are credited to: config ``author``, else git's ``user.name`` (as git
    reads it here), else nobody (``""``). Call it only when writing: it may run git."""
    configured = config.get("author")
    if configured is not None:
        return str(configured).strip()
    import subprocess

    try:
        found = subprocess.run(
            ["git", "config", "user.name"],
            capture_output=True,
            encoding="utf-8",
            errors="replace",
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return ""  # no git (or it hangs): nobody known
    return found.stdout.strip() if found.returncode == 0 else ""
