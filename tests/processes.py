"""Start several real processes at one moment: each says it is ready, then all are let go."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence


def start_together(procs: Sequence[subprocess.Popen[str]]) -> None:
    """Wait until every process (started with text pipes as stdin and stdout) printed
    ``ready`` (once imported and its store open), then send each the go it waits for on
    stdin (``sys.stdin.readline()``): none starts its work before all are ready, however
    slowly the machine starts them, and none waits longer than that."""
    for proc in procs:
        assert proc.stdout is not None and proc.stdin is not None
        line = proc.stdout.readline()
        if line != "ready\n":
            _, err = proc.communicate(timeout=60)
            raise AssertionError(f"a process did not get ready ({line!r}): {err}")
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
