"""Posts go to the right blog: the project here beats the user's ``site``, the output says
where a post went when that is not here, and an empty week is not published by accident."""

from __future__ import annotations

from pathlib import Path

import pytest

# Every test here runs on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.backends


@pytest.fixture
def user_blog(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``logbook config set site ~/blog`` run outside any project."""
    monkeypatch.setenv("LOGBOOK_NOW", "2026-11-18T10:00:00+00:00")
    blog = tmp_path / "home" / "blog"
    blog.mkdir()
    cli("config", "set", "site", str(blog))
    return blog


def _posts(site: Path) -> list[str]:
    folder = site / "_posts"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_the_project_here_beats_the_users_site(cli, user_blog, tmp_path, monkeypatch):
    other = tmp_path / "other-blog"
    other.mkdir()
    monkeypatch.chdir(other)
    cli("init")
    cli("idea", "add", "Logged this week")
    result = cli("publish", "--week", "this")
    assert _posts(other) and not _posts(user_blog)
    assert "not this folder" not in result.stderr


def test_a_post_sent_to_a_site_elsewhere_names_it(cli, user_blog):
    cli("idea", "add", "Logged this week")
    result = cli("publish", "--week", "this")
    assert len(_posts(user_blog)) == 1
    assert result.stderr.strip().endswith(f"(the site {user_blog}, not this folder)")


def test_an_empty_week_is_not_written_unless_asked(cli, user_blog):
    result = cli("publish", "--week", "last", ok=False)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: nothing was logged in the week 2026-W46")
    assert _posts(user_blog) == []
    shown = cli("publish", "--week", "last", "--dry-run")
    assert "A quiet week" in shown.stdout and _posts(user_blog) == []
    cli("publish", "--week", "last", "--allow-empty")
    assert len(_posts(user_blog)) == 1
