"""A draft → its file in the site and its record in the store, in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from logbook.errors import PublishError
from logbook.publish import jekyll
from logbook.publish.drafts import Draft, place_draft

if TYPE_CHECKING:
    from logbook.store import Store
    from logbook.store.posts import PostView


@dataclass
class PublishResult:
    """What ``publish`` / ``write_post`` did (or, in a dry run, would do) with a draft."""

    draft: Draft
    file: Path | None  # None: only drafted (``stdout`` mode, or a dry run with no site)
    action: str | None  # created | updated | unchanged; None when only drafted
    dry_run: bool = False
    forced: bool = False
    post: PostView | None = None

    @property
    def site(self) -> Path | None:
        """The site folder the post went (or would go) to."""
        if self.file is None:
            return None
        return self.file.parents[len(Path(self.draft.path).parts) - 1]

    def elsewhere(self, here: Path) -> bool:
        """Whether the site is outside the folder ``here`` (a command run in another repo)."""
        site = self.site
        return site is not None and not here.resolve().is_relative_to(site.resolve())

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON form: the draft's fields, then what was done with it.

        A dry run, or a post only drafted, also carries the whole ``text``.
        """
        data = self.draft.to_dict()
        if self.file is None:
            extra = {"file": None, "dry_run": True} if self.dry_run else {}
            return {**data, **extra, "text": self.draft.text}
        data |= {
            "file": str(self.file),
            "action": self.action,
            "dry_run": self.dry_run,
            "forced": self.forced,
            "post_id": self.post.id if self.post else None,
        }
        if self.dry_run:
            data["text"] = self.draft.text
        return data


def write_post(
    store: Store, draft: Draft, site: Path, *, force: bool = False, dry_run: bool = False
) -> PublishResult:
    """Write ``draft`` into ``site`` atomically and record it.

    A file logbook wrote before is rewritten; a file that changed since (its hash differs
    from the one recorded), or that logbook never wrote, is left alone unless ``force``.
    With ``dry_run`` the same checks run and nothing is written or recorded.

    Placing the draft and the checks run again inside the write transaction (``BEGIN
    IMMEDIATE``, so publishes run one after the other) on the record and the file as they
    are then. The file is written after the record is updated and before the commit; if
    that commit (or the write) fails, the file is put back as it was, so the file and the
    record still agree. A crash between the write and the commit can still leave the new
    file next to the old hash: ``_check`` accepts a file that already holds exactly what
    logbook writes now, so publishing again just records it.
    """
    from logbook.fileio import write_atomic

    if dry_run:
        existing = store.posts.lookup(draft.kind, draft.source)
        check = _check(site, draft, existing, force)
        target, action, forced = check.file, check.action, check.forced
        return PublishResult(draft, target, action, dry_run=True, forced=forced, post=existing)
    touched, before = False, None
    try:
        with store.posts.publishing(draft.kind, draft.source) as publishing:
            existing = publishing.existing
            draft = place_draft(draft.request, existing, publishing.recorded_paths())
            check = _check(site, draft, existing, force)
            target, action, forced, before = check.file, check.action, check.forced, check.before
            data = draft.text.encode("utf-8")
            post = publishing.record(
                title=draft.title,
                slug=draft.slug,
                path=draft.path,
                content_hash=jekyll.content_hash(data),
                body=draft.body,
                published_at=draft.date,
                tags=draft.tags,
            )
            if action != "unchanged":
                touched = True
                write_atomic(target, data)
    except BaseException:
        if touched:  # the record was rolled back: the file goes back to what it knows
            if before is None:
                target.unlink(missing_ok=True)
            else:
                write_atomic(target, before)
        raise
    return PublishResult(draft, target, action, forced=forced, post=post)


@dataclass(frozen=True)
class _Check:
    """Where a draft goes and what writing it does."""

    file: Path
    action: str  # created | updated | unchanged
    forced: bool  # overwrites edits by hand (--force)
    before: bytes | None  # the file's bytes now, to put back if the commit fails


def _check(site: Path, draft: Draft, existing: PostView | None, force: bool) -> _Check:
    """Where ``draft`` goes and what writing it does.

    Raises ``PublishError`` for a file edited by hand, or that logbook did not write,
    unless ``force``.
    """
    target = jekyll.post_path(site, draft.path)
    if not target.exists():
        return _Check(target, "created", False, None)
    current = target.read_bytes()
    if current == draft.text.encode("utf-8"):
        # Exactly what logbook writes now, whatever the record says: nobody's edits are lost.
        return _Check(target, "unchanged", False, current)
    ours = existing is not None and existing.path == draft.path
    if ours and existing is not None and jekyll.content_hash(current) == existing.content_hash:
        return _Check(target, "updated", False, current)
    if force:
        return _Check(target, "updated", True, current)
    if ours:
        raise PublishError(
            f"{target} was edited by hand since logbook wrote it; "
            "publish with --force to overwrite it"
        )
    raise PublishError(
        f"{target} exists and logbook did not write it; publish with --force to overwrite it"
    )
