"""Which folder an export may own in a blog repository, and whether Jekyll would publish it.

The hook stages what the export writes, so the folder must be logbook's alone; and the
export holds the whole logbook (removed entries, old revisions), so a Jekyll site must not
copy it into ``_site``.
"""

from __future__ import annotations

from pathlib import Path

from logbook.errors import HookError


def check_export_folder(top: Path, subdir: str, fmt: str) -> Path:
    """The folder the hook's export writes into, checked to be one logbook may own.

    The hook stages what it writes and removes, so its folder must not be the repository
    itself, lie outside it, or already hold files that no logbook export writes (a post,
    a page): those are the user's, and an export folder is logbook's alone.
    """
    from logbook.fileio import OutsideRootError, inside
    from logbook.sync.state import foreign_files, root_of

    if Path(subdir).is_absolute():
        raise HookError(f"the export folder must be inside the repository: {subdir}")
    try:
        out = inside(top, subdir)
    except OutsideRootError:
        reason = "a folder of its own" if (top / subdir).resolve() == top.resolve() else "inside"
        raise HookError(
            f"the export folder must be {reason} in the repository, not {subdir!r} "
            "(e.g. --dir _logbook)"
        ) from None
    root = root_of(out, fmt)
    foreign = foreign_files(root)
    if foreign:
        shown = ", ".join(f"{subdir.rstrip('/')}/{name}" for name in foreign[:3]) + (
            ", …" if len(foreign) > 3 else ""
        )
        raise HookError(
            f"{subdir} holds files logbook did not write ({shown}); "
            "give the export a folder of its own (e.g. --dir _logbook)"
        )
    return root


def check_not_published(top: Path, root: Path) -> None:
    """Refuse an export folder ``root`` that the Jekyll site at ``top`` would publish."""
    relative = root.resolve().relative_to(top.resolve()).as_posix()
    why = jekyll_publishes(top, relative)
    if why:
        raise HookError(
            f"Jekyll would publish the export folder {relative} ({why}); the export holds "
            "the whole logbook, give it a folder the site leaves out (e.g. --dir _logbook)"
        )


def jekyll_publishes(top: Path, subdir: str) -> str | None:
    """Why the Jekyll site at ``top`` would copy ``subdir`` into ``_site``, or ``None``.

    Only a folder whose name starts with "_" is left out by Jekyll, and not when it is a
    collection's folder or listed under ``include:``.
    """
    config = top / "_config.yml"
    if not config.is_file():
        return None  # not a Jekyll site: nothing is published
    first = Path(subdir).parts[0] if Path(subdir).parts else subdir
    if not first.startswith("_"):
        return f'"{first}" does not start with "_"'
    import yaml

    try:
        site = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None  # Jekyll cannot build with it either; the name alone keeps it out
    if not isinstance(site, dict):
        return None
    included = site.get("include") or []
    if isinstance(included, list) and any(str(i).strip("/") == first for i in included):
        return "_config.yml lists it under include:"
    collections = site.get("collections") or {}
    if isinstance(collections, dict | list) and first[1:] in collections:
        return f"_config.yml has a collection named {first[1:]!r}"
    return None
