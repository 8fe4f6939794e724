"""The fast reader of export files gives exactly what PyYAML gives, or steps aside.

``logbook import`` reads what logbook wrote with ``logbook.sync.yamlread`` and everything
else with PyYAML's safe loader. The properties: on any file the writer makes, both readers
give the same data; on any text at all (a hand edit of such a file), the fast reader either
gives what PyYAML gives or answers ``None`` (not recognized: PyYAML reads it).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from export_data import full_store
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from logbook.store import Store
from logbook.sync import yamlread, yamltext
from logbook.sync.export import export_store


def _yaml(text: str) -> Any:
    """What PyYAML reads (the C loader, as import uses it), or the error it raises."""
    try:
        return yamltext.load(text)
    except Exception as error:  # any failure is an answer to compare
        return type(error)


HOSTILE = st.sampled_from(
    [
        "",
        " ",
        "  leading spaces",
        "trailing space ",
        "'",
        "''",
        '"',
        'it\'s "quoted"',
        "a: b",
        "key:value",
        "- item",
        "-",
        "#tag",
        "text # comment",
        "---",
        "...",
        "--- x",
        "yes",
        "No",
        "on",
        "OFF",
        "y",
        "null",
        "Null",
        "~",
        "true",
        "True",
        "1e3",
        "1.5",
        ".inf",
        "0x1F",
        "0o17",
        "007",
        "1_000",
        "-5",
        "+5",
        "12:30:45",
        "2026-01-01",
        "2026-01-01T10:00:00+00:00",
        "<<",
        "&anchor",
        "*alias",
        "!!str x",
        "[a, b]",
        "{a: b}",
        "|",
        "|-",
        ">",
        "%YAML 1.1",
        "@at",
        "`tick`",
        "back\\slash",
        "\\n not a newline",
        "line\nbreak",
        "ends\n",
        "ends\n\n",
        "\nstarts with a newline",
        "  indented\nfirst",
        "a\n\n\nb",
        "a\n  b\n    c",
        "a\n---\nb",
        "a\n...\nb",
        "a\n# not a comment\nb",
        "carriage\r\nreturn",
        "tab\there",
        "nul\x00char",
        "bell\x07",
        "del\x7f",
        "nel\x85 ls\u2028 ps\u2029",
        "bom\ufeff",
        "emoji 🧪 CJK 日本 RTL עברית",
        "é composed e\u0301",
        "x" * 300,
    ]
)
TEXT = st.one_of(HOSTILE, st.text(), st.text(alphabet=st.characters(codec="utf-8")))
SCALAR = st.one_of(st.none(), st.booleans(), st.integers(), TEXT)
KEY = st.sampled_from(["uid", "id", "text", "status", "title", "notes", "field", "value", "a_b"])
# The shapes an export file has: a mapping of scalars, lists of texts, nested mappings of
# lists (tags) and lists of mappings (revisions).
VALUE = st.one_of(
    SCALAR,
    st.lists(TEXT, max_size=3),
    st.dictionaries(st.sampled_from(["user", "auto", "category"]), st.lists(TEXT, max_size=3)),
    st.lists(st.dictionaries(KEY, SCALAR, max_size=4), max_size=3),
)
DOCUMENT = st.dictionaries(KEY, VALUE, max_size=8)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOCUMENT)
@example({"text": "a\n\n  b \n", "tags": {"user": []}, "papers": [], "revisions": []})
@example({"value": "---", "field": [{"text": "line\n---\nend\n"}]})
def test_every_written_file_reads_the_same_with_both_readers(document: dict[str, Any]) -> None:
    written = yamltext.dump(document)
    expected = _yaml(written)
    assert expected == document
    fast = yamlread.load(written)
    assert fast == expected
    assert yamlread.load(written.encode("utf-8")) == expected


def _edits(written: str) -> st.SearchStrategy[str]:
    """Hand edits of a written file: a line inserted, dropped, re-indented or cut short."""
    lines = written.split("\n")
    spots = st.integers(0, len(lines))
    snippets = st.sampled_from(
        ["", " ", "# comment", "  ", "---", "...", "- x", "  - x", "key: x", "  key: x", "\t"]
    )

    def insert(at: int, line: str) -> str:
        return "\n".join([*lines[:at], line, *lines[at:]])

    def drop(at: int) -> str:
        return "\n".join(lines[:at] + lines[at + 1 :])

    def indent(at: int, by: str) -> str:
        return "\n".join(lines[:at] + [by + line for line in lines[at : at + 1]] + lines[at + 1 :])

    def cut(at: int) -> str:
        return written[:at]

    return st.one_of(
        st.builds(insert, spots, snippets),
        st.builds(drop, spots),
        st.builds(indent, spots, st.sampled_from([" ", "  ", "   "])),
        st.builds(cut, st.integers(0, len(written))),
        st.builds(
            lambda at, s: written[:at] + s + written[at:], st.integers(0, len(written)), TEXT
        ),
    )


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_hand_edited_file_reads_as_pyyaml_reads_it_or_goes_to_pyyaml(data: st.DataObject) -> None:
    written = yamltext.dump(data.draw(DOCUMENT))
    edited = data.draw(_edits(written))
    fast = yamlread.load(edited)
    if fast is not None:
        assert fast == _yaml(edited), edited


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\n# a comment\nb: 2\n",
        "a: 1  # a comment\n",
        "a: x\n\nb: y\n",
        "a: yes\n",
        "a: 1_000\n",
        "a: 2026-01-01\n",
        "a: [1, 2]\n",
        "a: &x 1\nb: *x\n",
        "a: b\n  c\n",
        "a: |\n    deeper\n",
        "a: |+\n  keep\n\n",
        'a: "\\a"\n',
        'a: "\\ud800"\n',
        "\ufeffa: b\n",
        "a: b\r\n",
        "a:\tb\n",
        "---\na: b\n",
        "a: b\n...\n",
        "a: 1\na: 2\n",
        "- a\n",
        "a: b",
        "",
    ],
)
def test_what_the_writer_never_writes_is_left_to_pyyaml(text: str) -> None:
    assert yamlread.load(text) is None


def test_a_real_export_reads_the_same_with_both_readers(store: Store, tmp_path: Path) -> None:
    full_store(store)
    export_store(store, tmp_path / "out")
    files = [p for p in (tmp_path / "out").rglob("*.yaml")]
    assert files
    for path in files:
        raw = path.read_bytes()
        assert yamlread.load(raw) is not None, path
        assert yamlread.load(raw) == yaml.load(raw, Loader=yaml.SafeLoader), path
