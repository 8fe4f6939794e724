"""Config: files, variables and flags, and where the store lives."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from logbook.config import load_config
from logbook.errors import ConfigError
from logbook.location import parse_location, resolve_store

# Every test here runs on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.backends


def test_defaults_when_nothing_is_set(cli, monkeypatch):
    monkeypatch.delenv("LOGBOOK_ARXIV_API_URL")
    shown = cli("config", "show", "--json").json()
    assert shown["week_start"] == {"value": "monday", "source": "default"}
    assert shown["arxiv.api_url"]["value"] == "https://export.arxiv.org/api/query"
    assert shown["post.layout"]["value"] == "post"


def test_env_overrides_file_and_file_overrides_default(cli, tmp_path, monkeypatch):
    (tmp_path / "config.yaml").write_text("arxiv:\n  delay_seconds: 5\npost:\n  layout: note\n")
    monkeypatch.setenv("LOGBOOK_ARXIV_DELAY_SECONDS", "1.5")
    shown = cli("config", "show", "--json").json()
    assert shown["arxiv.delay_seconds"] == {"value": 1.5, "source": "$LOGBOOK_ARXIV_DELAY_SECONDS"}
    assert shown["post.layout"]["value"] == "note"
    assert shown["post.layout"]["source"].endswith("config.yaml")


def test_project_config_overrides_user_config(tmp_path, monkeypatch):
    (tmp_path / "config.yaml").write_text("author: User Name\nsite: /user/site\n")
    project = tmp_path / "blog"
    (project / ".logbook").mkdir(parents=True)
    (project / ".logbook" / "config.yaml").write_text("site: /project/site\n")
    config = load_config(project)
    assert config.get("site") == "/project/site"
    assert config.get("author") == "User Name"


def test_an_option_overrides_env_and_file(cli, tmp_path, monkeypatch):
    (tmp_path / "config.yaml").write_text("site: /from/file\n")
    monkeypatch.setenv("LOGBOOK_SITE", str(tmp_path / "env-site"))
    cli("idea", "add", "Week idea")
    site = tmp_path / "flag-site"
    site.mkdir()
    result = cli("publish", "--week", "--site", str(site), "--json").json()
    assert result["file"].startswith(str(site))


def test_set_and_get_write_the_yaml_file(cli, tmp_path, monkeypatch):
    monkeypatch.delenv("LOGBOOK_ARXIV_DELAY_SECONDS")
    cli("config", "set", "post.layout", "essay")
    cli("config", "set", "arxiv.delay_seconds", "0.5")
    assert cli("config", "get", "post.layout").stdout.strip() == "essay"
    assert cli("config", "get", "arxiv.delay_seconds").stdout.strip() == "0.5"
    text = (tmp_path / "config.yaml").read_text()
    assert "post:\n  layout: essay\n" in text


def test_broken_yaml_names_the_file_and_line(cli, tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text("site: ok\npost:\n  layout: [unclosed\nauthor: x\n")
    result = cli("config", "show", ok=False)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {path}, line ")
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_wrong_type_names_the_file_line_and_key(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text("site: ok\narxiv:\n  delay_seconds: soon\n")
    with pytest.raises(ConfigError) as error:
        load_config()
    assert str(error.value) == (f"{path}, line 3: arxiv.delay_seconds must be a number, not 'soon'")


def test_an_unknown_key_is_named(tmp_path):
    (tmp_path / "config.yaml").write_text("post:\n  layuot: post\n")
    with pytest.raises(ConfigError, match=r"line 2: unknown key 'post.layuot'"):
        load_config()


def test_a_bad_env_value_is_named(cli, monkeypatch):
    monkeypatch.setenv("LOGBOOK_WEEK_START", "someday")
    result = cli("config", "show", ok=False)
    assert result.stderr.strip() == (
        "Error: $LOGBOOK_WEEK_START: week_start must be one of monday, sunday, saturday, "
        "not 'someday'"
    )


def test_setting_an_unknown_key_is_a_usage_error(cli):
    result = cli("config", "set", "colour", "blue", ok=False)
    assert result.exit_code == 2
    assert "unknown config key 'colour'" in result.stderr


def test_store_location_order(tmp_path, monkeypatch):
    blog = tmp_path / "blog"
    (blog / ".logbook").mkdir(parents=True)
    deep = blog / "_posts" / "drafts"
    deep.mkdir(parents=True)
    assert resolve_store("/flag.db", deep).path == Path("/flag.db")
    assert resolve_store(None, deep) == parse_location(os.environ["LOGBOOK_DB"])  # a file or URL
    monkeypatch.delenv("LOGBOOK_DB")
    assert resolve_store(None, deep).path == blog / ".logbook" / "logbook.db"
    monkeypatch.chdir(tmp_path)
    user = resolve_store(None, tmp_path).path
    assert user is not None
    assert user.name == "logbook.db" and str(tmp_path / "home") in str(user)


def test_the_config_names_the_store_a_project_first_then_the_user(tmp_path, monkeypatch):
    monkeypatch.delenv("LOGBOOK_DB")
    user_config = Path(os.environ["LOGBOOK_CONFIG"])
    user_config.parent.mkdir(parents=True, exist_ok=True)
    user_config.write_text("store: postgresql://ana@db.lab.example/group\n")
    assert resolve_store(None, tmp_path).url == "postgresql://ana@db.lab.example/group"
    blog = tmp_path / "blog"
    (blog / ".logbook").mkdir(parents=True)
    assert resolve_store(None, blog).path == blog / ".logbook" / "logbook.db"
    (blog / ".logbook" / "config.yaml").write_text("store: notes/lab.db\n")
    assert resolve_store(None, blog).path == blog / "notes" / "lab.db"
    assert resolve_store("postgresql://me@/mine?host=/run/postgresql", blog).url == (
        "postgresql://me@/mine?host=/run/postgresql"
    )


def test_a_url_of_another_database_is_one_line_not_a_file(cli, tmp_path):
    result = cli("--db", "mysql://root@localhost/logbook", "idea", "list", ok=False)
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "Error: unknown store URL scheme mysql://; give a file path or a postgresql:// URL"
    )
    assert not any(p.name.startswith("mysql") for p in tmp_path.rglob("*"))


def test_config_show_masks_the_store_password(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("LOGBOOK_STORE", "postgresql://ana:s3cret@db.example/lab")
    shown = cli("config", "show", "--json").stdout
    assert "s3cret" not in shown
    assert "postgresql://ana:***@db.example/lab" in shown
    assert "s3cret" not in cli("config", "get", "store").stdout


@pytest.mark.sqlite_only  # the project's SQLite file, kept out of git
def test_init_in_a_git_repo_keeps_the_database_out_of_git(cli, tmp_path, monkeypatch, require_tool):
    require_tool("git")
    blog = tmp_path / "blog"
    blog.mkdir()
    subprocess.run(["git", "init", "-q", str(blog)], check=True)
    monkeypatch.chdir(blog)
    monkeypatch.delenv("LOGBOOK_DB")
    cli("init")
    cli("idea", "add", "Stored in the project")
    assert (blog / ".logbook" / "logbook.db").exists()
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=blog,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "logbook.db" not in status
    assert ".logbook/.gitignore" in status


def test_set_takes_any_text_for_a_text_key(cli):
    cli("config", "set", "author", "a: [b")
    assert cli("config", "get", "author").stdout.strip() == "a: [b"


def test_set_checks_the_type_of_the_value(cli):
    result = cli("config", "set", "themes.min_entries", "many", ok=False)
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "Error: the command line: themes.min_entries must be a whole number, not 'many'"
    )


def test_a_bad_frozen_clock_is_named(cli, monkeypatch):
    monkeypatch.setenv("LOGBOOK_NOW", "tuesday-ish")
    result = cli("idea", "add", "x", ok=False)
    assert result.exit_code == 2
    assert result.stderr.strip().startswith("Error: $LOGBOOK_NOW: 'tuesday-ish' is not")


def test_the_local_zone_keeps_daylight_saving_rules(monkeypatch):
    from datetime import datetime

    from logbook.dates import zone

    monkeypatch.setenv("TZ", "Europe/Paris")
    local = zone(None)
    assert datetime(2026, 1, 15, 12, tzinfo=local).utcoffset().total_seconds() == 3600
    assert datetime(2026, 7, 15, 12, tzinfo=local).utcoffset().total_seconds() == 7200


def test_config_path_names_the_file_set_writes(cli, tmp_path, monkeypatch):
    assert cli("config", "path").stdout == f"{tmp_path / 'config.yaml'}\n"
    blog = tmp_path / "blog"
    blog.mkdir()
    monkeypatch.chdir(blog)
    cli("init")
    assert cli("config", "path").stdout == f"{blog.resolve() / '.logbook' / 'config.yaml'}\n"
    assert cli("config", "path", "--user").stdout == f"{tmp_path / 'config.yaml'}\n"


def test_config_unset_goes_back_to_the_default(cli, tmp_path):
    cli("config", "set", "post.layout", "note")
    cli("config", "set", "author", "Ada")
    result = cli("config", "unset", "post.layout")
    assert result.stderr.strip() == f"Removed post.layout from {tmp_path / 'config.yaml'}"
    shown = cli("config", "show", "--json").json()
    assert shown["post.layout"] == {"value": "post", "source": "default"}
    assert shown["author"]["value"] == "Ada"
    assert "post" not in (tmp_path / "config.yaml").read_text()  # no empty parent left
    again = cli("config", "unset", "post.layout")
    assert "is not set" in again.stderr
    assert cli("config", "unset", "nope", ok=False).exit_code == 2


def _editor(tmp_path: Path, append: str) -> str:
    import stat
    import sys

    script = tmp_path / "editor"
    script.write_text(f"#!{sys.executable}\nimport sys\nopen(sys.argv[1], 'a').write({append!r})\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


def test_config_edit_saves_a_valid_file(cli, tmp_path, monkeypatch):
    cli("config", "set", "author", "Ada")
    monkeypatch.setenv("EDITOR", _editor(tmp_path, "week_start: sunday\n"))
    cli("config", "edit")
    text = (tmp_path / "config.yaml").read_text()
    assert "author: Ada" in text and "week_start: sunday" in text
    assert "# logbook:" not in text


def test_config_edit_never_saves_a_broken_file(cli, tmp_path, monkeypatch):
    cli("config", "set", "author", "Ada")
    before = (tmp_path / "config.yaml").read_text()
    monkeypatch.setenv("EDITOR", _editor(tmp_path, "week_start: someday\n"))
    result = cli("config", "edit", ok=False)
    assert result.exit_code == 2
    assert "week_start" in result.stderr and "your text is kept in" in result.stderr
    assert (tmp_path / "config.yaml").read_text() == before


def test_a_store_url_without_a_database_is_one_line_as_typed(cli):
    result = cli("--db", "postgresql://", "idea", "list", ok=False)
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "Error: the store URL postgresql:// names no database: postgresql://user@host/dbname"
    )
