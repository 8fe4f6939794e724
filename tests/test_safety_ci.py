"""The suite is honest in CI: a real part a test needs is never silently skipped there."""

from __future__ import annotations

from pathlib import Path

import pytest

CONFTEST = (Path(__file__).parent / "conftest.py").read_text(encoding="utf-8")

NEEDS_A_MISSING_PROGRAM = """
def test_needs_it(require_tool):
    require_tool("logbook-no-such-program")
"""


@pytest.fixture
def session(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(NEEDS_A_MISSING_PROGRAM)
    return pytester


def test_a_missing_program_skips_the_test_on_a_developer_machine(session, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    result = session.runpytest("-p", "no:xdist", "-rs")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["*logbook-no-such-program is not installed*"])


def test_a_missing_program_fails_the_run_under_ci(session, monkeypatch):
    monkeypatch.setenv("CI", "true")
    result = session.runpytest("-p", "no:xdist")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["*logbook-no-such-program is not installed, and CI=true needs it*"]
    )
    assert result.ret != 0


def test_a_program_that_is_there_is_returned(require_tool):
    assert Path(require_tool("sh")).name == "sh"
