"""The themes cache: counted phrases kept on disk until the store changes.

One pickle file per store in ``$LOGBOOK_CACHE_DIR`` (else the user cache dir; ``-`` turns the
cache off), holding the key it was saved under and the value. A key holds the store's change
counter, so a saved value is used only for the very same entries. The cache is a shortcut,
never a source of truth: a file that cannot be read (missing, stale, truncated, corrupt,
written by another logbook version) is a miss, and a file that cannot be written is skipped.

Only the standard library at import time (``platformdirs`` inside ``cache_dir``).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
from pathlib import Path
from typing import Any

# Bumped whenever what is cached changes shape (e.g. a field of counting.PhraseStage).
VERSION = 5

# What loading a stale or corrupt cache file raises: no file or no access (OSError), a
# truncated file (EOFError), a class or module that has since moved or gone (AttributeError,
# ImportError), garbage (UnpicklingError mostly; fuzzing a real cache file with truncations and
# flipped bytes also gave ValueError incl. UnicodeDecodeError, TypeError, OverflowError and,
# from a bogus length, MemoryError).
UNREADABLE = (
    OSError,
    EOFError,
    AttributeError,
    ImportError,
    pickle.UnpicklingError,
    ValueError,
    TypeError,
    OverflowError,
    MemoryError,
)


def cache_dir() -> Path | None:
    """Where themes are cached: ``$LOGBOOK_CACHE_DIR``, else the user cache dir; ``-`` is off."""
    configured = os.environ.get("LOGBOOK_CACHE_DIR")
    if configured == "-":
        return None
    if configured:
        return Path(configured)
    import platformdirs

    return Path(platformdirs.user_cache_dir("logbook", appauthor=False))


def _file(store_key: str, name: str = "themes") -> tuple[Path | None, str]:
    """The cache file of a store (None when the cache is off) and the store's key (its
    resolved path, or its masked URL: ``StoreLocation.key``).

    ``name`` tells apart what is kept (``themes``, ``related``): each has its own file, so
    keeping one never evicts the other.
    """
    resolved = store_key
    folder = cache_dir()
    if folder is None:
        return None, resolved
    return folder / f"{name}-{hashlib.sha1(resolved.encode()).hexdigest()[:16]}.pickle", resolved


def load(store_key: str, key: tuple[Any, ...], name: str = "themes") -> Any | None:
    """The value saved (as ``name``) for the store ``store_key`` under ``key``, or None."""
    path, resolved = _file(store_key, name)
    if path is None:
        return None
    try:
        with path.open("rb") as f:
            saved = pickle.load(f)
        if isinstance(saved, tuple) and len(saved) == 2 and saved[0] == (VERSION, resolved, *key):
            return saved[1]
    except UNREADABLE:
        pass
    return None


def save(store_key: str, key: tuple[Any, ...], value: Any, name: str = "themes") -> None:
    """Keep ``value`` (as ``name``) for the store ``store_key`` under ``key`` (replacing
    what was kept as ``name``).

    Written to a file of its own first and then renamed, so that a reader never sees half a
    file; an error writing is ignored (the next run counts again)."""
    path, resolved = _file(store_key, name)
    if path is None:
        return
    partial = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with partial.open("wb") as f:
            pickle.dump(((VERSION, resolved, *key), value), f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, path)
    except OSError:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
