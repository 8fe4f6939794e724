"""JSON output is exactly what ``json.dumps(…, ensure_ascii=False, indent=2)`` writes.

``logbook.json_text`` writes the indented JSON of every ``--json`` and of the reading list
without the standard library's slow indenting encoder; scripts that read our JSON, and
files compared byte for byte (the export's ``logbook.json``), must not see a difference.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logbook import json_text

text = st.text(alphabet=st.characters(codec="utf-8"), max_size=12) | st.sampled_from(
    ["", '"', "\\", "\n\t", "\x00\x1f\x7f", "\u2028\u2029", "é😀", "</script>"]
)
scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | text
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(text, inner, max_size=4)
        # keys json.dumps turns into strings itself
        | st.dictionaries(
            st.integers() | st.booleans() | st.none() | st.floats(), inner, max_size=3
        )
    ),
    max_leaves=20,
)


def stdlib(value: object, **options: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, **options)  # type: ignore[arg-type]


@settings(max_examples=400, deadline=None)
@given(values)
def test_any_value_is_written_as_the_standard_library_writes_it(value):
    assert json_text.dumps(value) == stdlib(value)


@settings(max_examples=200, deadline=None)
@given(st.lists(values, max_size=5))
def test_a_list_written_item_by_item_is_the_same_text_and_a_newline(items):
    assert "".join(json_text.list_chunks(iter(items))) == stdlib(items) + "\n"


def test_what_json_cannot_hold_goes_through_default_as_the_standard_library_does():
    moment = datetime(2026, 12, 4, 9, 30, tzinfo=UTC)
    value = {"when": moment, "nested": [{"at": moment, "n": 1.5}], "set": {1}}
    assert json_text.dumps(value, default=str) == stdlib(value, default=str)
    assert "".join(json_text.list_chunks([value], default=str)) == stdlib([value], default=str) + "\n"  # fmt: skip


def test_what_the_standard_library_refuses_is_refused():
    with pytest.raises(TypeError):
        json_text.dumps({"when": datetime(2026, 1, 1, tzinfo=UTC)})
