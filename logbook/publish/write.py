"""A draft → its file in the site and its record in the store, in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from logbook import fileio
from logbook.errors import PublishError
from logbook.publish import jekyll
from logbook.publish.drafts import Draft, place_draft
from logbook.publish.merge import merge3

if TYPE_CHECKING:
    from collections.abc import Callable

    from logbook.store import Store
    from logbook.store.posts import PostView


@dataclass
class PublishResult:
    """What ``publish`` / ``write_post`` did (or, in a dry run, would do) with a draft."""

    draft: Draft
    file: Path | None  # None: only drafted (``stdout`` mode, or a dry run with no site)
    action: str | None  # created | updated | merged | unchanged; None when only drafted
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
    store: Store,
    draft: Draft,
    site: Path,
    *,
    force: bool = False,
    dry_run: bool = False,
    edit: Callable[[str], str] | None = None,
) -> PublishResult:
    """Write ``draft`` into ``site`` atomically and record it.

    A file logbook wrote before is merged: what the user added or changed since logbook
    generated it (the record keeps that text) is kept, and what logbook changes now is
    taken (``merge.merge3``). When both changed the same lines nothing is written: the
    user's file stays as it is, logbook's new version is written beside it
    (``conflict_path``, a name Jekyll skips) and ``PublishError`` names both. ``force``
    takes logbook's new version over any edit by hand. A file logbook never wrote is left
    alone unless ``force``. With ``dry_run`` the same checks run and nothing is written.

    ``edit`` (``publish --edit``) gets the text about to be written and returns the user's
    version; it runs before the write transaction, so no lock is held while an editor is
    open, and its result is merged again with what the transaction finds.

    Placing the draft and the checks run again inside the write transaction (``BEGIN
    IMMEDIATE``, so publishes run one after the other) on the record and the file as they
    are then. The file is written after the record is updated and before the commit; if
    that commit (or the write) fails, the file is put back as it was, so the file and the
    record still agree. A crash between the write and the commit can still leave the new
    file next to the old record: ``_check`` accepts a file that already holds exactly what
    logbook writes now, so publishing again just records it.
    """
    planned = edited = None
    if dry_run or edit is not None:
        existing = store.posts.lookup(draft.kind, draft.source)
        check = _check(site, draft, existing, force)
        if check.conflict is not None:
            where = " (written beside it only by a publish without --dry-run or --edit)"
            raise PublishError(check.conflict.replace(_SIDE_NOTE, where))
        if dry_run:
            return PublishResult(
                draft, check.file, check.action, dry_run=True, forced=check.forced, post=existing
            )
        assert edit is not None
        planned, edited = check.text, edit(check.text)
    touched, before = False, None
    try:
        with store.posts.publishing(draft.kind, draft.source) as publishing:
            existing = publishing.existing
            draft = place_draft(draft.request, existing, publishing.recorded_paths())
            check = _check(site, draft, existing, force)
            target, action, forced, before = check.file, check.action, check.forced, check.before
            text = check.text
            if check.conflict is not None:
                # The user's file stays as it is; logbook's version goes beside it, and the
                # record takes it as the base of the next merge, so the user's merge by hand
                # is what the next publish keeps.
                fileio.write_atomic(conflict_path(target), draft.text.encode("utf-8"))
            elif planned is not None and edited is not None:
                text = _with_edit(target, planned, edited, text)
                action = _action(before, text, "updated" if before is not None else "created")
            data = text.encode("utf-8")
            post = publishing.record(
                title=draft.title,
                slug=draft.slug,
                path=draft.path,
                content_hash=jekyll.content_hash(data),
                body=draft.body,
                published_at=draft.date,
                tags=draft.tags,
                generated=draft.text,
                intro=draft.request.intro,
            )
            if action != "unchanged":
                touched = True
                fileio.write_atomic(target, data)
    except BaseException:
        if touched:  # the record was rolled back: the file goes back to what it knows
            if before is None:
                target.unlink(missing_ok=True)
            else:
                fileio.write_atomic(target, before)
        raise
    if check.conflict is not None:
        raise PublishError(check.conflict.replace(_SIDE_NOTE, f" is in {conflict_path(target)}"))
    conflict_path(target).unlink(missing_ok=True)  # an earlier conflict is resolved now
    return PublishResult(draft, target, action, forced=forced, post=post)


def conflict_path(target: Path) -> Path:
    """Where logbook's new version of a post goes when it clashes with edits by hand.

    Beside the post, named so that Jekyll skips it (a leading ``_``) and it is not published
    as a second post: ``_posts/_2020-10-19-week-43.logbook-new.md``.
    """
    return target.with_name(f"_{target.stem}.logbook-new{target.suffix}")


@dataclass(frozen=True)
class _Check:
    """Where a draft goes and what writing it does."""

    file: Path
    action: str  # created | updated | merged | unchanged
    forced: bool  # overwrites edits by hand (--force)
    before: bytes | None  # the file's bytes now, to put back if the commit fails
    text: str  # what gets written: the draft, or the draft merged with edits by hand
    conflict: str | None = None  # the error line when edits by hand clash with the draft


_SIDE_NOTE = "{side}"  # where the conflict message names logbook's version


def _check(site: Path, draft: Draft, existing: PostView | None, force: bool) -> _Check:
    """Where ``draft`` goes and what writing it does.

    Raises ``PublishError`` for a file that logbook did not write (unless ``force``) and
    for edits to a post recorded before logbook kept what it generated. Edits by hand that
    clash with the new version give a ``_Check`` with ``conflict`` set and the file as it is.
    """
    target = jekyll.post_path(site, draft.path)
    new = draft.text
    if not target.exists():
        return _Check(target, "created", False, None, new)
    current = target.read_bytes()
    if current == new.encode("utf-8"):
        # Exactly what logbook writes now, whatever the record says: nobody's edits are lost.
        return _Check(target, "unchanged", False, current, new)
    if existing is None or existing.path != draft.path:
        if force:
            return _Check(target, "updated", True, current, new)
        raise PublishError(
            f"{target} exists and logbook did not write it; publish with --force to overwrite it"
        )
    untouched = jekyll.content_hash(current) == existing.content_hash
    if untouched and not existing.generated:
        return _Check(target, "updated", False, current, new)
    if force:
        # forced: words logbook did not generate (now or at an earlier publish) are replaced
        edited = current != existing.generated.encode("utf-8") if existing.generated else True
        return _Check(target, "updated", edited, current, new)
    if not existing.generated:
        raise PublishError(
            f"{target} was edited by hand since logbook wrote it; "
            "publish with --force to overwrite it"
        )
    text = _read_text(target, current)
    if untouched and conflict_path(target).exists():
        # An earlier conflict the user has not merged yet: the base is logbook's version
        # beside the file, so merging now would drop logbook's changes. Ask again.
        return _Check(
            target,
            "unchanged",
            False,
            current,
            text,
            f"{target} still has a conflict: logbook's version{_SIDE_NOTE}; merge it "
            "into your file by hand (or delete it to keep yours) and publish again, "
            "or --force to take logbook's",
        )
    merged = merge3(existing.generated, text, new)
    if merged.conflict is not None:
        return _Check(
            target,
            "unchanged",
            False,
            current,
            text,
            f"{target} line {merged.conflict}: your edit and logbook's new text change the "
            f"same lines; your file is untouched, logbook's version{_SIDE_NOTE}: merge it "
            "into your file by hand and publish again, or --force to take logbook's",
        )
    # "merged": the file keeps words logbook did not generate (this time or an earlier one).
    action = _action(current, merged.text, "updated" if merged.text == new else "merged")
    return _Check(target, action, False, current, merged.text)


def _with_edit(target: Path, planned: str, edited: str, now: str) -> str:
    """The text edited in ``$EDITOR`` with whatever changed since the editor opened."""
    if not edited.strip():
        raise PublishError("the post is empty after editing; nothing was written")
    merged = merge3(planned, edited, now)
    if merged.conflict is not None:
        raise PublishError(
            f"{target} changed while it was being edited (line {merged.conflict}); "
            "nothing was written: publish --edit again"
        )
    return merged.text


def _action(before: bytes | None, text: str, changed: str) -> str:
    return "unchanged" if before == text.encode("utf-8") else changed


def _read_text(target: Path, data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise PublishError(
            f"{target} is not UTF-8 text; fix it or publish with --force to overwrite it"
        ) from None
