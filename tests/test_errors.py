"""Bad input gets one clear line on stderr and the right exit code, never a traceback."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("idea", "show", "42"), 1, "Error: no idea #42"),
        (("idea", "edit", "42", "--text", "x"), 1, "Error: no idea #42"),
        (("idea", "status", "42", "done"), 1, "Error: no idea #42"),
        (
            ("idea", "add", "x", "--date", "next blursday"),
            2,
            "Error: cannot read the date 'next blursday'",
        ),
        (("idea", "list", "--since", "2020-13-45"), 2, "Error: cannot read the date '2020-13-45'"),
        (("idea", "list", "--week", "2020-W60"), 2, "Error: '2020-W60' is not a week of 2020"),
        (("idea", "list", "--status", "pending"), 2, "Error: 'pending' is not an idea status"),
        (("idea", "show", "abc"), 2, "Error: Invalid value for 'number'"),
        (("idea", "frobnicate"), 2, "Error: No such command 'frobnicate'"),
        (("idea", "add", "   "), 2, "Error: an idea needs some text"),
        (("idea", "add", "x", "--tag", "###"), 2, "Error: '###' is not a tag"),
        (("search", "x", "--kind", "book"), 2, "Error: 'book' is not a kind"),
        (
            ("idea", "add", "x", "--paper", "abc"),
            2,
            "Error: 'abc' is not a paper number or an arXiv id",
        ),
        (("config", "get", "nope"), 2, "Error: unknown config key 'nope'"),
    ],
)
def test_bad_input_is_one_line_with_the_right_exit_code(cli, args, code, message):
    result = cli(*args, ok=False)
    assert result.exit_code == code
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(message), lines[0]
    assert "Traceback" not in result.stderr + result.stdout


def test_nothing_is_half_written_when_a_linked_paper_is_unknown(cli, store):
    result = cli("idea", "add", "Linked #x", "--paper", "1706.03762", ok=False)
    assert result.exit_code == 1
    assert store.ideas.find() == []
    assert store.changes() == 0


def test_debug_shows_the_traceback(cli):
    from logbook.errors import NotFoundError

    with pytest.raises(NotFoundError):
        cli("--debug", "idea", "show", "42", ok=False)


def test_unexpected_errors_say_it_is_probably_a_bug(cli, monkeypatch):
    from logbook.store.ideas import Ideas

    def boom(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(Ideas, "find", boom)
    result = cli("idea", "list", ok=False)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Error: ZeroDivisionError: division by zero (this is probably a bug in logbook; "
        "run with --debug to see where)"
    )
