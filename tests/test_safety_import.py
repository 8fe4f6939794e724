"""``logbook import`` of hostile or broken folders: a bad file is reported and skipped, the rest
imports, and nothing imported can break a later command or make it write outside its folder.

Findings of issue 9 covered here: 6 (one bad value aborted the import), 9 read side (a uid
that is a path), 12 (a script link, a cite key that ends its BibTeX entry), 13 (an id that
breaks ``idea add``), and the property over any import folder.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from export_data import add_idea, add_paper
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from logbook.ids import new_uid
from logbook.store import Store, open_store
from logbook.store.paper_views import PaperMeta
from logbook.sync.export import export_store

# Every test here runs on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.backends


def _export(tmp_path: Path, ideas: int = 2, papers: int = 0) -> Path:
    """An export folder of ``ideas`` ideas and ``papers`` papers, from another store."""
    source = open_store(tmp_path / "source.db")
    for n in range(ideas):
        add_idea(source, f"Idea {n}")
    for n in range(papers):
        add_paper(source, f"2101.{10000 + n}", cite_key=f"key{n}")
    export_store(source, tmp_path / "out")
    source.close()
    return tmp_path / "out"


def _edit(file: Path, key: str, value: str) -> None:
    """Set ``key: value`` in an exported YAML file, as a hand edit would."""
    lines = file.read_text().splitlines()
    lines = [f"{key}: {value}" if line.startswith(f"{key}:") else line for line in lines]
    file.write_text("\n".join(lines) + "\n")


def _files(out: Path, folder: str) -> list[Path]:
    return sorted((out / folder).glob("*.yaml"))


_NOON = "2026-01-01T12:00:00+00:00"


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("created_at", "9999-12-31T23:00-05:00"),
        ("created_at", "'9999-12-31T23:00:00-05:00'"),
        ("updated_at", "0001-01-01T00:00+01:00"),
        ("created_at", "0999-01-01T00:00:00+00:00"),
        ("created_at", "2026-02-30"),
        ("created_at", "!!timestamp x"),
        ("created_at", "!!int x"),
        ("id", "1" * 30),
        ("id", "-4"),
        ("id", "0"),
        ("text", '"lone \\ud800 surrogate"'),
        ("revisions", "[{field: text, value: v, written_at: 99999-01-01, replaced_at: x}]"),
        (
            "revisions",
            f"[{{field: status, value: v, written_at: '{_NOON}', replaced_at: '{_NOON}'}}]",
        ),
    ],
)
def test_an_out_of_range_value_skips_only_its_file(
    cli, tmp_path: Path, key: str, value: str
) -> None:
    out = _export(tmp_path, ideas=2)
    bad, good = _files(out, "ideas")
    _edit(bad, key, value)
    result = cli("import", str(out), ok=False)
    assert result.exit_code == 1
    assert "probably a bug" not in result.stderr + result.stdout
    assert f"Skipped {bad}" in result.stderr + result.stdout
    assert "1 added" in result.stderr + result.stdout
    assert [i["uid"] for i in cli("idea", "list", "--json").json()] == [good.stem]


@pytest.mark.parametrize(
    "uid",
    [
        "../../../x",
        "'../../outside'",
        "not-a-uuid",
        "01A23F00-9A9D-7A65-BB60-1C662513E89A",  # a UUID, but not the canonical form
        "'{01a23f00-9a9d-7a65-bb60-1c662513e89a}'",
        "''",
    ],
)
def test_an_imported_uid_that_is_not_a_uuid_is_refused(cli, tmp_path: Path, uid: str) -> None:
    out = _export(tmp_path, ideas=2)
    bad, good = _files(out, "ideas")
    _edit(bad, "uid", uid)
    result = cli("import", str(out), "--json", ok=False)
    problems = result.json()["problems"]
    assert [p["path"] for p in problems] == [str(bad)]
    assert "uid" in problems[0]["message"]
    before = set(tmp_path.rglob("*"))
    again = tmp_path / "again"
    cli("export", "--out", str(again))
    written = {p for p in set(tmp_path.rglob("*")) - before if not p.name.startswith("logbook.db")}
    assert written and all(p == again or again in p.parents for p in written)
    assert {p.name for p in (tmp_path / "again/ideas").iterdir()} == {good.name}


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "'JavaScript:alert(document.cookie)'",
        "data:text/html;base64,PHNjcmlwdD4=",
        "'//evil.example/x.pdf'",
        "'https://arxiv.org/pdf/1\" onmouseover=\"alert(1)'",
        "'https://arxiv.org/pdf/1) [x](javascript:alert(1)'",
        "'https:///no-host'",
        "ftp://arxiv.org/pdf/1",
    ],
)
def test_an_imported_pdf_url_that_is_not_an_http_link_is_refused(
    cli, tmp_path: Path, url: str
) -> None:
    out = _export(tmp_path, ideas=0, papers=2)
    bad, good = _files(out, "papers")
    _edit(bad, "pdf_url", url)
    result = cli("import", str(out), "--json", ok=False)
    problems = result.json()["problems"]
    assert [p["path"] for p in problems] == [str(bad)]
    assert "pdf_url" in problems[0]["message"]
    assert [p["arxiv_id"] for p in cli("paper", "list", "--json").json()] == [good.stem]


def test_an_http_or_https_pdf_url_is_imported_as_written(cli, tmp_path: Path) -> None:
    out = _export(tmp_path, ideas=0, papers=2)
    first, second = _files(out, "papers")
    _edit(first, "pdf_url", "http://arxiv.org/pdf/2101.10000v2")
    _edit(second, "pdf_url", "https://export.arxiv.org/pdf/2101.10001v2?x=1&y=%20")
    cli("import", str(out))
    assert cli("paper", "show", "2101.10000", "--json").json()["pdf_url"] == (
        "http://arxiv.org/pdf/2101.10000v2"
    )


@pytest.mark.parametrize(
    "key",
    [
        '"evil}\\n@misc{injected, title={owned}"',
        "'a b'",
        "'key,'",
        "'k{e}y'",
        "'%comment'",
        "''",
    ],
)
def test_an_imported_cite_key_that_could_break_bibtex_is_refused(
    cli, tmp_path: Path, key: str
) -> None:
    out = _export(tmp_path, ideas=0, papers=2)
    bad, _good = _files(out, "papers")
    _edit(bad, "cite_key", key)
    result = cli("import", str(out), "--json", ok=False)
    problems = result.json()["problems"]
    assert [p["path"] for p in problems] == [str(bad)]
    assert "cite key" in problems[0]["message"]
    bibtex = cli("reading-list", "--format", "bibtex").stdout
    assert "@misc{injected" not in bibtex and bibtex.count("@") == 1


def test_a_hand_edited_cite_key_in_the_safe_form_is_kept(cli, tmp_path: Path) -> None:
    out = _export(tmp_path, ideas=0, papers=1)
    [file] = _files(out, "papers")
    _edit(file, "cite_key", "Lovelace:2025.notes_v-2")
    cli("import", str(out))
    assert cli("paper", "show", file.stem, "--json").json()["cite_key"] == (
        "Lovelace:2025.notes_v-2"
    )


def test_a_pdf_url_from_arxiv_is_held_to_the_same_rule(store: Store) -> None:
    meta = PaperMeta("2101.10000", 1, "A title", ["Ada Lovelace"], pdf_url="javascript:x()")
    store.papers.save([meta])
    paper = store.papers.get("2101.10000")
    assert paper.pdf_url is None
    assert paper.to_dict()["pdf_url"] == "https://arxiv.org/pdf/2101.10000"


@pytest.mark.parametrize("number", [2**61, 2**53 + 1, 2**63 - 1, 2**64])
def test_a_huge_imported_id_is_refused_and_idea_add_still_works(
    cli, tmp_path: Path, number: int
) -> None:
    out = _export(tmp_path, ideas=2)
    bad, _good = _files(out, "ideas")
    _edit(bad, "id", str(number))
    result = cli("import", str(out), ok=False)
    assert f"Skipped {bad}" in result.stderr and "out of range" in result.stderr
    added = cli("idea", "add", "After the import", "--json").json()
    assert added["id"] < 2**53
    assert cli("search", "After").stdout.count("After the import") == 1


def test_the_largest_id_allowed_still_leaves_idea_add_working(cli, tmp_path: Path) -> None:
    out = _export(tmp_path, ideas=1)
    [file] = _files(out, "ideas")
    _edit(file, "id", str(2**53))
    cli("import", str(out))
    added = cli("idea", "add", "Next one", "--json").json()
    assert added["id"] == 2**53 + 1
    assert [h["id"] for h in cli("search", "Next", "--json").json()] == [2**53 + 1]


def test_an_arxiv_version_too_large_to_store_is_refused(cli, tmp_path: Path) -> None:
    out = _export(tmp_path, ideas=0, papers=1)
    [file] = _files(out, "papers")
    _edit(file, "arxiv_id", f"2101.10000v{'9' * 30}")
    result = cli("import", str(out), ok=False)
    assert f"Skipped {file}" in result.stderr and "probably a bug" not in result.stderr


# The property: no import folder, however malformed, breaks import or a later command. ----

# Values that broke an import or a later command once, and their neighbours.
_HOSTILE = st.sampled_from(
    [
        "../../../x",
        "../../../../../ideas/x",
        "javascript:alert(1)",
        "9999-12-31T23:00-05:00",
        "0999-01-01T00:00:00+00:00",
        "0001-01-01T00:00:00+05:00",
        "2026-01-01T00:00:00",
        "2026-01-01",
        "1706.03762v99999999999999999999",
        "hep-th/9901001",
        "2026-W47",
        "_posts/../../x.md",
        "x}\n@misc{y,",
        "\ud800",
        2**61,
        2**63,
        10**30,
        -1,
        0,
    ]
)
_SCALARS = st.one_of(
    _HOSTILE,
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True),
    st.text(max_size=30),
    st.datetimes(timezones=st.timezones() | st.none()),
    st.dates(),
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)  # fmt: skip
_FIELDS = [
    "uid", "id", "text", "status", "created_at", "updated_at", "archived_at", "arxiv_id",
    "version", "title", "authors", "abstract", "categories", "published", "pdf_url",
    "cite_key", "read_at", "read_version", "notes", "kind", "source", "slug", "path",
    "content_hash", "body", "published_at", "tags", "papers", "revisions",
]  # fmt: skip


def _record(draw: st.DrawFn) -> dict[str, object]:
    """A record that starts valid and has some of its fields replaced by anything."""
    record: dict[str, object] = {
        "uid": new_uid(),
        "id": draw(st.integers(1, 50)),
        "text": "An idea",
        "status": "open",
        "created_at": "2026-01-01T00:00:00+00:00",
        "updated_at": "2026-01-02T00:00:00+00:00",
        "arxiv_id": draw(st.sampled_from(["2101.10000", "2101.10001", "hep-th/9901001"])),
        "title": "A title",
        "kind": "week",
        "source": "2026-W47",
        "slug": "week-2026-w47",
        "path": "_posts/2026-11-16-week-2026-w47.md",
        "content_hash": "0" * 64,
        "published_at": "2026-01-01T00:00:00+00:00",
    }
    for name in draw(st.lists(st.sampled_from(_FIELDS), min_size=1, max_size=4, unique=True)):
        record[name] = draw(_HOSTILE | _VALUES)
    return record


@st.composite
def _folder_files(draw: st.DrawFn) -> list[tuple[str, bytes]]:
    """(relative path, bytes) of files in an import folder: YAML, JSON, binary, odd names."""
    import json

    import yaml

    from logbook.sync import yamltext

    files = []
    for _ in range(draw(st.integers(1, 6))):
        folder = draw(st.sampled_from(["ideas", "papers", "posts", "ideas/nested", ""]))
        name = draw(
            st.sampled_from(["a", "b", "..", "ü", "x.y", "-"]) | st.from_regex(r"[\w.-]{1,12}", fullmatch=True)
        )  # fmt: skip
        suffix = draw(st.sampled_from([".yaml", ".yml", ".json", ".txt", ""]))
        form = draw(st.sampled_from(["yaml", "json", "binary", "value"]))
        if form == "binary":
            data = draw(st.binary(max_size=64))
        elif form == "value":
            data = yamltext.dump({"x": 1}) if draw(st.booleans()) else repr(draw(_VALUES))
            data = data.encode("utf-8", "surrogatepass")
        else:
            record = _record(draw)
            try:
                if form == "json":
                    text = json.dumps(record, default=str)
                else:
                    text = yaml.safe_dump(record, allow_unicode=True)
            except (TypeError, ValueError, yaml.YAMLError):
                text = repr(record)
            data = text.encode("utf-8", "surrogatepass")
        files.append((os.path.join(folder, name + suffix), data))
    return files


_TEMPLATE: dict[str, Path] = {}


def _fresh_store(folder: Path) -> Path:
    if "path" not in _TEMPLATE:
        template = Path(tempfile.mkdtemp(prefix="logbook-template-")) / "template.db"
        open_store(template).close()
        _TEMPLATE["path"] = template
    shutil.copy(_TEMPLATE["path"], folder / "logbook.db")
    return folder / "logbook.db"


@pytest.mark.sqlite_only  # its stores are copies of an SQLite template, one per example
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(files=_folder_files())
def test_no_import_folder_breaks_import_or_a_later_command(
    cli: Any, files: list[tuple[str, bytes]]
) -> None:
    with tempfile.TemporaryDirectory() as work:
        # Deep enough that a path climbing out of the export still lands inside ``work``.
        root = Path(work) / "a/b/c/d/e/f"
        root.mkdir(parents=True)
        db = _fresh_store(root)
        source = root / "import"
        for relative, data in files:
            target = source / relative
            if target.name in ("", ".", "..") or target.is_dir():
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        source.mkdir(exist_ok=True)
        (source / "ideas").mkdir(exist_ok=True)
        env = {"LOGBOOK_DB": str(db), "LOGBOOK_CONFIG": str(root / "config.yaml")}

        def run(*args: str) -> int:
            result = cli(*args, env=env, ok=False)
            output = result.stdout + result.stderr
            assert "probably a bug" not in output, (args, output)
            assert "Traceback" not in output, (args, output)
            return result.exit_code

        assert run("import", str(source)) in (0, 1)
        before = {p for p in Path(work).rglob("*") if not p.name.startswith("logbook.db")}
        for args in (
            ("idea", "list", "--archived"),
            ("paper", "list", "--archived"),
            ("search", "x"),
            ("idea", "list", "--json"),
        ):
            assert run(*args) == 0, args
        assert run("export", "--out", str(root / "export")) == 0
        assert run("idea", "add", "After the import") == 0
        after = {p for p in Path(work).rglob("*") if not p.name.startswith("logbook.db")}
        outside = {p for p in after - before if root / "export" not in p.parents}
        assert outside <= {root / "export"}


@pytest.mark.sqlite_only  # builds a store as migration m006 left it, with sqlite3
def test_a_store_holding_an_unsafe_link_or_cite_key_from_before_is_repaired(cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Values an earlier logbook let in go when the store is opened: no live link, no
    BibTeX injection, and the paper keeps a fresh cite key."""
    import sqlite3

    from logbook.store import open_store

    path = tmp_path / "old.db"
    open_store(path, upto=6).close()
    db = sqlite3.connect(path)
    db.execute(
        "INSERT INTO paper (uid, arxiv_id, version, title, authors, abstract, categories, "
        "pdf_url, withdrawn, cite_key, status, notes, created_at, updated_at) VALUES "
        "('0190a1b2-0000-7000-8000-0000000000dd', '1706.03762', 1, 'Attention Is All You Need', "
        "'[\"Ashish Vaswani\"]', '', '[]', 'javascript:alert(1)', 0, ?, 'to-read', '', "
        "'2020-01-01T00:00:00.000000+00:00', '2020-01-01T00:00:00.000000+00:00')",
        ("x}\n@misc{evil,",),
    )
    db.commit()
    db.close()
    bib = cli("--db", str(path), "reading-list", "--format", "bibtex").stdout
    assert "evil" not in bib and "javascript" not in bib
    assert bib.count("@") == 1
    shown = cli("--db", str(path), "paper", "show", "1706.03762", "--json").json()
    assert shown["pdf_url"].startswith("https://arxiv.org/pdf/")
    assert shown["cite_key"] == "vaswaniattention"
