"""Run logbook the way a person does: on a real terminal (a pseudo-terminal)."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys


def on_terminal(args: list[str], env: dict[str, str], answer: str = "") -> tuple[int, str]:
    """Run ``logbook ARGS`` with a real terminal (a pty) as stdin, stdout and stderr."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "logbook", *args],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=env,
        close_fds=True,
    )
    os.close(follower)
    seen = b""
    sent = False
    while True:
        ready, _, _ = select.select([leader], [], [], 20)
        if not ready:
            process.kill()
            break
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
        if answer and not sent and b"[y/N]" in seen:
            os.write(leader, answer.encode() + b"\n")
            sent = True
    os.close(leader)
    return process.wait(timeout=20), seen.decode("utf-8", "replace")
