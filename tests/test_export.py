"""``logbook export``: one YAML file per entry, stable bytes, and the other formats."""

from __future__ import annotations

import html
import json
import os
import re
import stat
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from export_data import T0, add_idea, add_paper, full_store
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from logbook.store import Store, open_store
from logbook.sync import yamltext
from logbook.sync.export import export_store

# Every test here runs on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.backends


def tree(folder: Path) -> dict[str, bytes]:
    """Every exported file under ``folder`` (the state file left out) and its bytes."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".logbook-export-state.json"
    }


def test_export_writes_one_yaml_file_per_entry(store: Store, tmp_path: Path) -> None:
    full_store(store)
    report = export_store(store, tmp_path / "out")
    files = tree(tmp_path / "out")
    assert sorted(f.split("/")[0] for f in files if "/" in f) == ["ideas"] * 3 + ["papers"] * 2 + [
        "posts"
    ]
    assert "papers/1706.03762.yaml" in files
    assert "papers/hep-th_9901001.yaml" in files  # old-style ids made path-safe
    assert len(report.written) == 6


def test_export_holds_every_column_tags_links_and_revisions(store: Store, tmp_path: Path) -> None:
    full_store(store)
    export_store(store, tmp_path / "out")
    ideas = [yamltext.load(p.read_bytes()) for p in sorted((tmp_path / "out/ideas").iterdir())]
    first = next(i for i in ideas if i["text"].startswith("# Attention"))
    assert first["tags"] == {"user": ["attention", "nlp"], "auto": ["transformer"]}
    assert first["papers"] == ["1706.03762", "hep-th/9901001"]
    assert [r["value"] for r in first["revisions"]] == ["first draft", "second\ndraft"]
    assert "{{ site.title }}" in first["text"]
    archived = next(i for i in ideas if i["text"] == "Archived thought")
    assert archived["archived_at"] is not None
    paper = yamltext.load((tmp_path / "out/papers/1706.03762.yaml").read_bytes())
    assert list(paper)[:3] == ["uid", "id", "arxiv_id"]
    for column in ("authors", "categories", "doi", "cite_key", "read_at", "read_version", "notes"):
        assert column in paper
    assert paper["tags"] == {"user": ["nlp"]}
    post = yamltext.load(next((tmp_path / "out/posts").iterdir()).read_bytes())
    assert post["source"] == "2026-W47" and post["content_hash"] == "0" * 64


def test_exporting_twice_changes_no_byte(store: Store, tmp_path: Path) -> None:
    full_store(store)
    export_store(store, tmp_path / "out")
    before = tree(tmp_path / "out")
    mtimes = {p: p.stat().st_mtime_ns for p in (tmp_path / "out").rglob("*.yaml")}
    again = export_store(store, tmp_path / "out", force=True)
    assert again.written == [] and again.removed == [] and again.unchanged == 6
    assert tree(tmp_path / "out") == before
    assert {p: p.stat().st_mtime_ns for p in mtimes} == mtimes  # not even rewritten


def test_no_change_export_is_skipped(store: Store, tmp_path: Path) -> None:
    full_store(store)
    export_store(store, tmp_path / "out")
    assert export_store(store, tmp_path / "out").skipped
    add_idea(store, "New one")
    assert not export_store(store, tmp_path / "out").skipped


def test_one_edited_idea_changes_one_file(store: Store, tmp_path: Path) -> None:
    full_store(store)
    idea = store.ideas.add("To be edited")
    export_store(store, tmp_path / "out")
    before = tree(tmp_path / "out")
    store.ideas.edit(idea.id, "Edited text")
    report = export_store(store, tmp_path / "out")
    assert report.written == [f"ideas/{idea.uid}.yaml"]
    after = tree(tmp_path / "out")
    assert [f for f in after if after[f] != before.get(f)] == [f"ideas/{idea.uid}.yaml"]


def test_entries_gone_from_the_store_are_removed_from_the_folder(
    store: Store, tmp_path: Path
) -> None:
    full_store(store)
    idea = store.ideas.add("Short-lived")
    (tmp_path / "out").mkdir()
    (tmp_path / "out/README.md").write_text("mine")
    export_store(store, tmp_path / "out")
    store.ideas.remove(idea.id, purge=True)
    report = export_store(store, tmp_path / "out")
    assert report.removed == [f"ideas/{idea.uid}.yaml"]
    assert not (tmp_path / f"out/ideas/{idea.uid}.yaml").exists()
    assert (tmp_path / "out/README.md").read_text() == "mine"  # not ours: left alone


def test_a_hand_edited_export_file_is_put_back(store: Store, tmp_path: Path) -> None:
    full_store(store)
    export_store(store, tmp_path / "out")
    target = next((tmp_path / "out/ideas").iterdir())
    good = target.read_bytes()
    target.write_text("scribbled")
    report = export_store(store, tmp_path / "out")
    assert not report.skipped
    assert target.read_bytes() == good


def test_exported_files_get_the_usual_permissions(store: Store, tmp_path: Path) -> None:
    full_store(store)
    export_store(store, tmp_path / "out")
    umask = os.umask(0o022)
    os.umask(umask)
    modes = {stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "out").rglob("*.yaml")}
    assert modes == {0o666 & ~umask}  # as a plain open() would make them, not mkstemp's 0600
    assert not list((tmp_path / "out").rglob("*.tmp"))


def test_state_file_is_ignored_by_git(store: Store, tmp_path: Path) -> None:
    export_store(store, tmp_path / "out")
    assert "/.logbook-export-state.json" in (tmp_path / "out/.gitignore").read_text()


def test_json_export_holds_the_same_records(store: Store, tmp_path: Path) -> None:
    full_store(store)
    export_store(store, tmp_path / "out", "json")
    data = json.loads((tmp_path / "out/logbook.json").read_text())
    assert data["logbook_export"] == 1
    assert len(data["ideas"]) == 3 and len(data["papers"]) == 2 and len(data["posts"]) == 1


def test_jekyll_data_is_loopable_lists(store: Store, tmp_path: Path) -> None:
    full_store(store)
    export_store(store, tmp_path / "site", "jekyll-data")
    folder = tmp_path / "site/_data/logbook"
    papers = yaml.safe_load((folder / "papers.yml").read_text())
    ideas = yaml.safe_load((folder / "ideas.yml").read_text())
    themes = yaml.safe_load((folder / "themes.yml").read_text())
    assert {p["arxiv_id"] for p in papers} == {"1706.03762", "hep-th/9901001"}
    assert papers[0]["url"].startswith("https://arxiv.org/abs/")
    assert all(isinstance(i["title"], str) for i in ideas)
    assert "Archived thought" not in [i["title"] for i in ideas]  # removed entries stay out
    assert isinstance(themes, list)
    assert not (tmp_path / "site/.gitignore").exists()  # never touches the site's own files


def test_bibtex_and_markdown_exports(store: Store, tmp_path: Path) -> None:
    full_store(store)
    export_store(store, tmp_path / "out", "bibtex")
    export_store(store, tmp_path / "out", "markdown")
    bib = (tmp_path / "out/papers.bib").read_text()
    assert "1706.03762" in bib and "Attention is all you need" in bib
    page = (tmp_path / "out/logbook.md").read_text()
    assert "Attention everywhere" in page and "Reading list" in page


def _bib_keys(text: str) -> list[str]:
    return sorted(re.findall(r"^@\w+\{([^,]+),", text, re.MULTILINE))


def test_bibtex_export_and_reading_list_agree_on_keys_after_an_import(cli, tmp_path: Path) -> None:
    source = open_store(tmp_path / "source.db")
    add_paper(source, "1706.03762", "Attention is all you need", cite_key=None)
    add_paper(source, "hep-th/9901001", "Strings", cite_key=None)
    export_store(source, tmp_path / "from")
    source.close()
    cli("import", str(tmp_path / "from"))
    keys = {p["arxiv_id"]: p["cite_key"] for p in cli("paper", "list", "--json").json()}
    assert all(keys.values())  # given on import, not on the first export
    cli("export", "--format", "bibtex", "--out", str(tmp_path / "out"))
    exported = _bib_keys((tmp_path / "out/papers.bib").read_text())
    listed = _bib_keys(cli("reading-list", "--format", "bibtex").stdout)
    assert exported == listed == sorted(keys.values())
    # Importing the export again keeps every key.
    cli("export", "--out", str(tmp_path / "again"))
    cli("import", str(tmp_path / "again"))
    assert {p["arxiv_id"]: p["cite_key"] for p in cli("paper", "list", "--json").json()} == keys


def test_jekyll_themes_are_the_themes_of_the_store(store: Store, tmp_path: Path) -> None:
    from logbook.themes import find_themes

    for n in range(4):
        at = T0 - timedelta(weeks=n)
        add_idea(store, f"Scaling laws for kernels, {n}", tags={"user": ["scaling"]}, at=at)
    export_store(store, tmp_path / "site", "jekyll-data")
    themes = yaml.safe_load((tmp_path / "site/_data/logbook/themes.yml").read_text())
    expected = [t.to_dict() for t in find_themes(store)]
    assert expected and [{k: t[k] for k in expected[0]} for t in themes] == expected
    assert all(ref["kind"] == "idea" for ref in themes[0]["refs"])


def test_cli_export_reports_as_json(cli, store: Store, tmp_path: Path) -> None:
    full_store(store)
    first = cli("export", "--out", str(tmp_path / "out"), "--json").json()
    assert len(first["written"]) == 6 and not first["skipped"]
    second = cli("export", "--out", str(tmp_path / "out"), "--json").json()
    assert second["skipped"] and second["written"] == []


def test_cli_export_uses_config_export_dir(cli, store: Store, tmp_path: Path) -> None:
    add_paper(store, "2101.00001")
    cli("config", "set", "export.dir", "exported")
    cli("export")
    assert (tmp_path / "exported/papers/2101.00001.yaml").exists()


def test_cli_export_refuses_an_unknown_format(cli, tmp_path: Path) -> None:
    result = cli("export", "--format", "xml", ok=False)
    assert result.exit_code == 2 and "xml" in result.stderr


ODD = [
    "",
    " ",
    "trailing space ",
    " leading",
    "{{ x }}",
    "{% raw %}",
    "---",
    "...",
    "- a",
    "a: b",
    "#tag",
    "yes",
    "null",
    "1.5",
    "2020-01-01",
    "tab\there",
    "\ttab first",
    "line\nbreaks\n",
    "ends\n\n",
    "\nstarts with a newline",
    "  indented\nfirst",
    "carriage\r\nreturn",
    "nul\x00char",
    "bell\x07",
    "del\x7f",
    "nel\x85line sep\u2028para\u2029",
    "bom\ufeff",
    "x" * 20_000,
    "$\\frac{a}{b}$ \\begin{align} x &= y \\\\ \\end{align}",
    "quote ' and \" and \\",
    "emoji 🧪 CJK 日本 RTL עברית",
    "line with trailing space \nnext",
]


@pytest.mark.store_free
@pytest.mark.parametrize("value", ODD)
def test_yaml_writer_round_trips_odd_strings(value: str) -> None:
    document = {"text": value, "list": [value], "nested": [{"value": value}]}
    written = yamltext.dump(document)
    assert yamltext.load(written) == document
    assert yaml.load(written, Loader=yaml.SafeLoader) == document  # the pure-Python parser too


@pytest.mark.store_free
def test_yaml_writer_uses_literal_blocks_for_multi_line_text() -> None:
    written = yamltext.dump({"text": "# Title\n\nbody"})
    assert written == "text: |-\n  # Title\n\n  body\n"


@pytest.mark.store_free
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(
        st.sampled_from(["a", "b", "text"]),
        st.one_of(
            st.none(),
            st.booleans(),
            st.integers(),
            st.text(),
            st.lists(st.text(), max_size=3),
            st.lists(st.dictionaries(st.sampled_from(["x", "y"]), st.text()), max_size=2),
        ),
    )
)
def test_yaml_writer_round_trips_anything_the_export_holds(document: dict) -> None:
    assert yamltext.load(yamltext.dump(document)) == document


@pytest.mark.slow
@pytest.mark.usefixtures("jekyll")  # conftest: skipped without Jekyll, failed when CI=true
def test_jekyll_loops_over_the_exported_data(store: Store, tmp_path: Path) -> None:
    full_store(store)
    add_paper(store, "2101.00001", "Liquid {{ x }} and {% raw %} in a title", cite_key="liq")
    site = tmp_path / "site"
    (site / "_layouts").mkdir(parents=True)
    (site / "_config.yml").write_text("title: test\n")
    (site / "reading.html").write_text(
        "---\nlayout: null\n---\n"
        "{% for paper in site.data.logbook.papers %}"
        '<li class="paper">{{ paper.title }} | {{ paper.authors | join: "; " }}</li>\n'
        "{% endfor %}"
        "{% for idea in site.data.logbook.ideas %}"
        '<li class="idea">{{ idea.title }}</li>\n'
        "{% endfor %}"
        "<p>{{ site.data.logbook.themes.analysis | size }} themes</p>\n"
    )
    export_store(store, site, "jekyll-data")
    built = subprocess.run(
        ["jekyll", "build", "--source", str(site), "--destination", str(site / "_site")],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=site,
    )
    assert built.returncode == 0, built.stderr
    page = html.unescape((site / "_site/reading.html").read_text(encoding="utf-8"))
    assert page.count('class="paper"') == 3
    assert "Liquid {{ x }} and {% raw %} in a title" in page  # data is shown, not run
    assert "Ada Lovelace; Émilie du Châtelet" in page
    assert "Attention everywhere" in page and 'class="idea"' in page
    assert "Archived thought" not in page


def test_cli_export_defaults_to_the_project_folder(cli, tmp_path: Path, monkeypatch) -> None:
    blog = tmp_path / "blog"
    (blog / "drafts").mkdir(parents=True)
    monkeypatch.chdir(blog)
    monkeypatch.delenv("LOGBOOK_DB")
    cli("init")
    cli("idea", "add", "Project idea")
    monkeypatch.chdir(blog / "drafts")
    cli("export")
    assert len(list((blog / "_logbook/ideas").glob("*.yaml"))) == 1
