"""Writing files so that a crash leaves either the old file or the new one, never half."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path


def write_atomic(path: Path, text: str | bytes | Iterable[str], *, sync: bool = True) -> None:
    """Write ``text`` to ``path`` through a temp file in the same folder and a rename.

    ``text`` may come in pieces (an iterable of strings, written as they come: a long
    listing is never held whole); if producing them fails, the old file stays as it was.
    With ``sync`` the data reaches the disk before the rename (survives a power cut);
    without it a reader still never sees half a file, and writing many files is fast.
    """
    pieces: Iterable[bytes]
    if isinstance(text, bytes):
        pieces = [text]
    elif isinstance(text, str):
        pieces = [text.encode("utf-8")]
    else:
        pieces = (piece.encode("utf-8") for piece in text)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, _mode_for(path))  # mkstemp makes 0600; keep what open() would give
        with os.fdopen(fd, "wb") as handle:
            handle.writelines(pieces)
            if sync:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


_umask: int | None = None


def _mode_for(path: Path) -> int:
    """The permissions of ``path`` if it exists, else those a new file gets (umask applied)."""
    global _umask
    try:
        return os.stat(path).st_mode & 0o7777
    except OSError:
        pass
    if _umask is None:
        _umask = os.umask(0o022)  # reading the umask means setting it; put it back at once
        os.umask(_umask)
    return 0o666 & ~_umask


class OutsideRootError(ValueError):
    """A path that would land outside the folder it belongs in."""


def inside(root: Path, relative: str) -> Path:
    """``root / relative``, checked to resolve (symlinks followed) inside ``root``.

    Every file an export writes or removes goes through here: a name made from stored data
    (``../x``) or a symlink planted in the folder must not send a write elsewhere.
    """
    base = root.resolve()
    target = (base / relative).resolve()
    if relative.startswith("/") or not target.is_relative_to(base) or target == base:
        raise OutsideRootError(f"{relative!r} is not inside {root}")
    return base / relative
