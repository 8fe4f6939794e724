"""Recurring themes: the tags, arXiv categories and key phrases that come back across entries.

A theme comes from one of three sources, merged into one list:

- ``tag``: the user's own tags (``Tag.kind == "user"``);
- ``category``: arXiv categories of papers, shown with their names (``cs.LG`` → Machine
  Learning);
- ``phrase``: key phrases of one to three words in idea texts, paper titles and abstracts and
  post bodies, found by ``logbook.phrases`` (so ``Scaling laws``, ``scaling-law`` and
  ``scaling law`` are one phrase) and counted into a sparse entries × phrases matrix with
  ``scipy.sparse`` (the same counts as scikit-learn's ``CountVectorizer`` with ``binary=True``
  and ``min_df``, which a test checks, without importing scikit-learn: 0.8 s).

Whatever its source, a theme must *recur*: it needs at least ``min_entries`` entries in at
least two different weeks. A phrase that is part of a longer phrase covering (nearly) the same
entries is left out in favour of the longer one. A phrase that is also a user tag is counted
with the tag. Themes are ranked by entries, then weeks.

Nothing here prints or imports the terminal; numpy and scipy are imported only inside the
functions that count. The counting is cached (``logbook.theme_cache``) until the store
changes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from functools import cached_property
from typing import TYPE_CHECKING, Any

from sqlalchemy import text
from sqlmodel import Session, col, select

from logbook import theme_cache
from logbook.categories import canonical_code, category_label
from logbook.dates import now, week_of
from logbook.errors import LogbookError, NotFoundError, UsageError
from logbook.phrases import GENERIC_WORDS, OF, count_phrases, theme_key, written_forms
from logbook.store.kinds import ENTRY_KINDS, one_of
from logbook.store.models import (
    Idea,
    IdeaTag,
    Paper,
    PaperTag,
    Post,
    PostTag,
    Tag,
    title_of,
)
from logbook.store.tags import sync_auto_tags

if TYPE_CHECKING:
    from logbook.store import Store

# A phrase covered by a longer one in at least this share of its entries is left out.
COVER = 0.75

# ---------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class EntryRef:
    """An entry a theme occurs in."""

    kind: str  # idea | paper | post
    id: int
    uid: str
    title: str
    created_at: datetime

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON form."""
        return {
            "kind": self.kind,
            "id": self.id,
            "uid": self.uid,
            "title": self.title,
            "created_at": self.created_at.isoformat(),
        }


@dataclass
class Theme:
    """A theme that recurs: its name, where it comes from and how it spread over the weeks.

    ``entries`` counts the entries of the requested span it occurs in (``total``, kept in the
    JSON form, is the same count). ``trend[i]`` is the number of its entries in week ``i`` of
    the span, the first week starting at ``trend_start``.
    """

    name: str  # canonical and tag-safe: scaling-law, cs.lg, kernels
    label: str  # for display: scaling laws, Machine Learning (cs.LG)
    source: str  # tag | category | phrase
    entries: int
    weeks: int
    first_seen: datetime
    last_seen: datetime
    trend: list[int]
    trend_start: datetime
    total: int = 0
    _rows: Any = field(default=None, repr=False, compare=False)
    _corpus: Any = field(default=None, repr=False, compare=False)

    @cached_property
    def refs(self) -> list[EntryRef]:
        """The entries counted in ``entries``, oldest first."""
        if self._corpus is None:
            return []
        return sorted(
            (self._corpus.ref(int(row)) for row in self._rows), key=lambda ref: ref.created_at
        )

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON form (field names are stable)."""
        return {
            "name": self.name,
            "label": self.label,
            "source": self.source,
            "entries": self.entries,
            "total": self.total,
            "weeks": self.weeks,
            "first_seen": self.first_seen.isoformat(),
            "last_seen": self.last_seen.isoformat(),
            "trend_start": self.trend_start.date().isoformat(),
            "trend": self.trend,
        }


@dataclass
class WeekEntries:
    """The entries of one week under a theme."""

    label: str  # 2026-W47
    start: datetime
    entries: list[EntryRef]

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON form."""
        return {
            "week": self.label,
            "start": self.start.date().isoformat(),
            "entries": [e.to_dict() for e in self.entries],
        }


@dataclass
class ThemeDetail:
    """One theme and its entries week by week (``logbook themes show``)."""

    theme: Theme
    weeks: list[WeekEntries]

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON form."""
        return {**self.theme.to_dict(), "by_week": [w.to_dict() for w in self.weeks]}


@dataclass
class ApplyResult:
    """What ``apply_themes`` changed: auto tags added and removed."""

    themes: int  # phrase themes found
    entries: int  # entries that carry at least one auto theme tag now
    added: int
    removed: int
    names: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON form."""
        return {
            "themes": self.themes,
            "entries": self.entries,
            "added": self.added,
            "removed": self.removed,
            "names": self.names,
        }


# ---------------------------------------------------------------------------------------------
# The corpus


@dataclass
class _Corpus:
    """The entries themes are judged on, one row each, in the order of the matrices.

    Their texts are not kept: once counted, only the matrices need them (and the cache
    stays small)."""

    kinds: list[str] = field(default_factory=list)
    ids: list[int] = field(default_factory=list)
    uids: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    created: list[datetime] = field(default_factory=list)
    # (row, tag name) for user tags; (row, canonical code) for categories
    tags: list[tuple[int, str]] = field(default_factory=list)
    categories: list[tuple[int, str]] = field(default_factory=list)
    # the store's change counter (meta.changes) when the entries were read
    changes: int = -1

    def add(
        self,
        kind: str,
        id_: int,
        uid: str,
        title: str,
        created: datetime,
    ) -> None:
        self.kinds.append(kind)
        self.ids.append(id_)
        self.uids.append(uid)
        self.titles.append(title)
        self.created.append(created)

    def ref(self, row: int) -> EntryRef:
        return EntryRef(
            self.kinds[row], self.ids[row], self.uids[row], self.titles[row], self.created[row]
        )


_MODELS: dict[str, tuple[Any, Any, Any]] = {
    "idea": (Idea, IdeaTag, IdeaTag.idea_id),
    "paper": (Paper, PaperTag, PaperTag.paper_id),
    "post": (Post, PostTag, PostTag.post_id),
}


# Posts are made by logbook from ideas and papers: counting them by default would count
# those entries twice (and once more with every post published), dated when published.
DEFAULT_KINDS = ("idea", "paper")


def _check_kinds(kinds: Iterable[str] | None) -> list[str]:
    if not kinds:
        return list(DEFAULT_KINDS)
    return list(dict.fromkeys(one_of(kind, ENTRY_KINDS, "a kind of entry") for kind in kinds))


def _load(
    store: Store, kinds: Sequence[str], since: datetime | None, until: datetime | None
) -> tuple[_Corpus, list[str]]:
    """The entries (not archived) created in [since, until), read through the models, and
    their texts (idea text; paper title and abstract; post title and body)."""
    corpus = _Corpus()
    texts: list[str] = []
    select_columns: Any = select  # a column list of varying length
    with store.read() as session:
        corpus.changes = _changes(session)
        for kind in kinds:
            model, link, link_column = _MODELS[kind]
            if kind == "idea":
                columns: tuple[Any, ...] = (Idea.id, Idea.uid, Idea.text)
            elif kind == "paper":
                columns = (Paper.id, Paper.uid, Paper.title, Paper.abstract, Paper.categories)
            else:
                columns = (Post.id, Post.uid, Post.title, Post.body)
            query = select_columns(*columns, model.created_at).where(
                col(model.archived_at).is_(None)
            )
            if since is not None:
                query = query.where(col(model.created_at) >= since)
            if until is not None:
                query = query.where(col(model.created_at) < until)
            rows: dict[int, int] = {}
            for record in session.exec(query.order_by(col(model.created_at), col(model.id))):
                row = len(corpus.kinds)
                rows[record[0]] = row
                if kind == "idea":
                    _, uid, text, created = record
                    corpus.add(kind, record[0], uid, title_of(text), created)
                    texts.append(text)
                elif kind == "paper":
                    _, uid, title, abstract, categories, created = record
                    corpus.add(kind, record[0], uid, title, created)
                    texts.append(f"{title}.\n{abstract}")
                    corpus.categories.extend((row, canonical_code(c)) for c in categories or [])
                else:
                    _, uid, title, body, created = record
                    corpus.add(kind, record[0], uid, title, created)
                    texts.append(f"{title}.\n{body}")
            if not rows:
                continue
            links = session.exec(
                select(link_column, Tag.name, Tag.kind)
                .join(Tag, col(Tag.id) == link.tag_id)
                .where(col(Tag.kind).in_(("user", "category")))
            )
            for entry_id, name, tag_kind in links:
                row_of = rows.get(entry_id)
                if row_of is None:
                    continue
                if tag_kind == "user":
                    corpus.tags.append((row_of, name))
                else:
                    corpus.categories.append((row_of, canonical_code(name)))
    return corpus, texts


def _changes(session: Session) -> int:
    """The store's change counter, read in ``session``'s transaction (``Store.changes``)."""
    return int(session.execute(text("SELECT value FROM meta WHERE key = 'changes'")).one()[0])


# ---------------------------------------------------------------------------------------------
# Counting


@dataclass
class _Analysis:
    """Every theme of a corpus: a binary entries × themes matrix and each column's facts."""

    corpus: _Corpus
    matrix: Any  # scipy.sparse.csc_matrix, rows = corpus rows, columns = themes
    names: list[str]
    labels: list[str]
    sources: list[str]
    keys: list[str]
    entries: Any  # numpy int array per column
    weeks: Any
    first: Any  # numpy float (POSIX seconds) per column
    last: Any
    week_counts: Any  # scipy.sparse.csr_matrix, themes × span weeks
    span_start: datetime
    order: list[int]  # columns, best first


def _analyze(
    store: Store,
    *,
    since: datetime | None,
    until: datetime | None,
    kinds: Iterable[str] | None,
    min_entries: int,
    week_start: str,
    tz: tzinfo,
) -> _Analysis:
    import numpy as np
    from scipy import sparse

    if min_entries < 1:
        raise UsageError("themes need at least 1 entry (themes.min_entries)")
    stage = _cached_phrases(store, _check_kinds(kinds), since, until, min_entries, week_start, tz)
    corpus, ordinals, phrase_names, phrase_labels, phrase_matrix = stage
    n = len(corpus.kinds)

    # weeks: each entry's week as an index into the span
    first_week = week_of(since, tz, week_start) if since else None
    end_moment = until - timedelta(microseconds=1) if until else now(tz)
    start_ordinal = first_week.start.toordinal() if first_week else None
    if start_ordinal is None:
        start_ordinal = (
            int(ordinals.min()) if n else week_of(end_moment, tz, week_start).start.toordinal()
        )
    end_ordinal = max(
        week_of(end_moment, tz, week_start).start.toordinal(), int(ordinals.max()) if n else 0
    )
    span_weeks = max(1, (end_ordinal - start_ordinal) // 7 + 1)
    week_index = np.clip((ordinals - start_ordinal) // 7, 0, span_weeks - 1)
    span_start = datetime.combine(
        datetime.fromordinal(start_ordinal).date(), datetime.min.time(), tzinfo=tz
    )
    stamps = np.fromiter((m.timestamp() for m in corpus.created), dtype=np.float64, count=n)
    weeks_matrix = _one_hot(week_index, span_weeks)

    # tags and categories, with the phrases that are a user tag's variants folded in
    tag_columns: dict[str, int] = {}
    columns_rows: list[int] = []
    columns_cols: list[int] = []
    names: list[str] = []
    labels: list[str] = []
    sources: list[str] = []
    keys: list[str] = []
    for row, name in corpus.tags:
        column = tag_columns.get(name)
        if column is None:
            column = tag_columns[name] = len(names)
            names.append(name)
            labels.append(name)
            sources.append("tag")
            keys.append(theme_key(name))
        columns_rows.append(row)
        columns_cols.append(column)
    tag_by_key = {keys[c]: c for c in range(len(names))}
    category_columns: dict[str, int] = {}
    for row, code in corpus.categories:
        column = category_columns.get(code)
        if column is None:
            column = category_columns[code] = len(names)
            names.append(code.lower())
            labels.append(category_label(code))
            sources.append("category")
            keys.append("category:" + code.lower())
        columns_rows.append(row)
        columns_cols.append(column)
    phrase_target = []
    for phrase, label in zip(phrase_names, phrase_labels, strict=True):
        column = tag_by_key.get(phrase)
        if column is None:
            column = len(names)
            names.append(phrase.replace(" ", "-"))
            labels.append(label)
            sources.append("phrase")
            keys.append(phrase)
        phrase_target.append(column)
    width = len(names)
    own = sparse.csc_matrix(
        (np.ones(len(columns_rows), dtype=np.int32), (columns_rows, columns_cols)),
        shape=(n, width),
    )
    if phrase_names:
        fold = sparse.csr_matrix(
            (
                np.ones(len(phrase_target), dtype=np.int32),
                (range(len(phrase_target)), phrase_target),
            ),
            shape=(len(phrase_target), width),
        )
        own = own + phrase_matrix @ fold
    matrix = (own > 0).astype(np.int32).tocsc()
    matrix.sort_indices()

    entries = np.diff(matrix.indptr)
    week_counts = (matrix.T @ weeks_matrix).tocsr()
    week_counts.eliminate_zeros()
    spread = np.diff(week_counts.indptr)
    first = np.full(width, np.inf)
    last = np.full(width, -np.inf)
    nonempty = np.flatnonzero(entries)
    if len(nonempty):
        moments = stamps[matrix.indices]
        starts = matrix.indptr[nonempty]
        first[nonempty] = np.minimum.reduceat(moments, starts)
        last[nonempty] = np.maximum.reduceat(moments, starts)
    recurring = np.flatnonzero((entries >= min_entries) & (spread >= 2))
    lengths = np.fromiter((key.count(" ") for key in keys), dtype=np.int64, count=width)
    # most entries, then most weeks, then longer phrases; ties keep the column order
    ranked = np.lexsort((recurring, -lengths[recurring], -spread[recurring], -entries[recurring]))
    order = recurring[ranked].tolist()
    return _Analysis(
        corpus, matrix, names, labels, sources, keys, entries, spread, first, last,
        week_counts, span_start, order,
    )  # fmt: skip


def _one_hot(index: Any, width: int) -> Any:
    """A sparse rows × ``width`` matrix with a 1 in column ``index[row]`` of each row."""
    import numpy as np
    from scipy import sparse

    rows = len(index)
    return sparse.csr_matrix(
        (np.ones(rows, dtype=np.int32), (np.arange(rows), index)), shape=(rows, width)
    )


def _phrase_stage(
    store: Store,
    kinds: list[str],
    since: datetime | None,
    until: datetime | None,
    min_entries: int,
    week_start: str,
    tz: tzinfo,
) -> tuple[_Corpus, Any, list[str], list[str], Any]:
    """The corpus, each entry's week (ordinal of its first day), and its recurring phrases.

    The phrases are counted once over every entry (binary: an entry counts once); a phrase is kept when it is in ``min_entries`` entries
    in two weeks or more, and is not covered by a longer kept phrase.
    """
    import numpy as np
    from scipy import sparse

    corpus, texts = _load(store, kinds, since, until)
    n = len(corpus.kinds)
    ordinals = np.fromiter(
        (week_of(moment, tz, week_start).start.toordinal() for moment in corpus.created),
        dtype=np.int64,
        count=n,
    )
    empty = sparse.csc_matrix((n, 0), dtype=np.int32)
    if n < min_entries:
        return corpus, ordinals, [], [], empty
    vocabulary, counted, written = _count_phrases(texts, min_entries)
    if not len(vocabulary):
        return corpus, ordinals, [], [], empty
    df = np.diff(counted.indptr)
    relative = (ordinals - ordinals.min()) // 7
    in_weeks = (counted.T @ _one_hot(relative, int(relative.max()) + 1)).tocsr()
    in_weeks.eliminate_zeros()
    spread = np.diff(in_weeks.indptr)
    kept = np.flatnonzero((df >= min_entries) & (spread >= 2))
    kept = _longest(kept, vocabulary, df)
    names = [str(vocabulary[i]) for i in kept]
    labels = [" ".join(map(written.get, words, words)) for words in map(str.split, names)]
    return corpus, ordinals, names, labels, counted[:, kept]


def _count_phrases(texts: list[str], min_entries: int) -> tuple[Any, Any, dict[str, str]]:
    """Every phrase of ``texts`` in ``min_entries`` texts or more (in alphabetical order), a
    binary texts × phrases matrix (CSC) built with ``scipy.sparse``, and the way each word
    (lemma) is most often written.

    The same vocabulary and matrix as scikit-learn's ``CountVectorizer(analyzer=phrases,
    binary=True, min_df=min_entries)`` (a test checks), found by ``count_phrases`` over the
    whole corpus at once instead of text by text.
    """
    import numpy as np
    from scipy import sparse

    surfaces: Counter[str] = Counter()
    terms, rows, columns = count_phrases(texts, min_entries, surfaces)
    if not terms:
        return np.empty(0, dtype=object), sparse.csc_matrix((len(texts), 0), dtype=np.int32), {}
    matrix = sparse.csc_matrix(
        (np.ones(len(rows), dtype=np.int32), (rows, columns)), shape=(len(texts), len(terms))
    )
    vocabulary = np.empty(len(terms), dtype=object)
    vocabulary[:] = terms
    return vocabulary, matrix, written_forms(surfaces)


APPLY_TOP = 50  # phrase themes that 'themes apply' turns into auto tags
APPLY_ATTEMPTS = 3  # analyses before apply gives up on a store that keeps changing


def _cached_phrases(
    store: Store,
    kinds: list[str],
    since: datetime | None,
    until: datetime | None,
    min_entries: int,
    week_start: str,
    tz: tzinfo,
) -> tuple[_Corpus, Any, list[str], list[str], Any]:
    """``_phrase_stage``, kept in the themes cache (``logbook.theme_cache``) until the store
    changes: the key holds the store's change counter (every write bumps it), and a result is
    saved under the counter its entries were read at."""
    settings = (
        tuple(kinds),
        since.isoformat() if since else None,
        until.isoformat() if until else None,
        min_entries,
        week_start,
        str(tz),
    )
    cached = theme_cache.load(store.path, (store.changes(), *settings))
    if cached is not None:
        return cached
    result = _phrase_stage(store, kinds, since, until, min_entries, week_start, tz)
    theme_cache.save(store.path, (result[0].changes, *settings), result)
    return result


def _longest(kept: Any, vocabulary: Any, df: Any) -> Any:
    """Leave out phrases made of generic words only, and phrases that a longer kept phrase
    covers in most of their entries."""
    import numpy as np

    terms = vocabulary.tolist()
    chosen = kept.tolist()
    frequency = dict(zip([terms[i] for i in chosen], df[kept].tolist(), strict=True))
    dropped: set[str] = set()
    generic = GENERIC_WORDS | {OF}
    for phrase, count in frequency.items():
        if " " not in phrase:
            continue
        words = phrase.split(" ")
        if generic.issuperset(words):
            dropped.add(phrase)  # "baseline model", "training data": nothing specific
            continue
        if words[1] == OF:
            parts = [words[0], words[2]]
        elif len(words) == 3:
            parts = [*words, f"{words[0]} {words[1]}", f"{words[1]} {words[2]}"]
        else:
            parts = words
        for part in parts:
            covered = frequency.get(part)
            if covered is not None and count >= COVER * covered:
                dropped.add(part)
    if not dropped:
        return kept
    return np.array([i for i in chosen if terms[i] not in dropped], dtype=np.int64)


def _theme(analysis: _Analysis, column: int, tz: tzinfo) -> Theme:
    """The Theme of one column."""
    import numpy as np

    matrix = analysis.matrix
    members = matrix.indices[matrix.indptr[column] : matrix.indptr[column + 1]]
    counts = analysis.week_counts
    trend = np.zeros(counts.shape[1], dtype=np.int64)
    begin, end = counts.indptr[column], counts.indptr[column + 1]
    trend[counts.indices[begin:end]] = counts.data[begin:end]
    label = analysis.labels[column]
    return Theme(
        name=analysis.names[column],
        label=label,
        source=analysis.sources[column],
        entries=len(members),
        weeks=int(analysis.weeks[column]),
        first_seen=datetime.fromtimestamp(float(analysis.first[column]), tz),
        last_seen=datetime.fromtimestamp(float(analysis.last[column]), tz),
        trend=trend.tolist(),
        trend_start=analysis.span_start,
        total=int(analysis.entries[column]),
        _rows=members,
        _corpus=analysis.corpus,
    )


# ---------------------------------------------------------------------------------------------
# Public API


def find_themes(
    store: Store,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    kinds: Iterable[str] | None = None,
    top: int | None = None,
    min_entries: int = 3,
    week_start: str = "monday",
    tz: tzinfo = UTC,
) -> list[Theme]:
    """The themes that recur in the entries created in [since, until), best first.

    ``kinds`` limits the entries to ideas, papers or posts; ``top`` keeps the first N.
    """
    analysis = _analyze(
        store, since=since, until=until, kinds=kinds, min_entries=min_entries,
        week_start=week_start, tz=tz,
    )  # fmt: skip
    columns = analysis.order if top is None else analysis.order[: max(top, 0)]
    return [_theme(analysis, c, tz) for c in columns]


def theme_detail(
    store: Store,
    theme: str,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    kinds: Iterable[str] | None = None,
    min_entries: int = 3,
    week_start: str = "monday",
    tz: tzinfo = UTC,
) -> ThemeDetail:
    """One recurring theme, found by name, label or any variant, with its entries by week."""
    analysis = _analyze(
        store, since=since, until=until, kinds=kinds, min_entries=min_entries,
        week_start=week_start, tz=tz,
    )  # fmt: skip
    column = _find_column(analysis, theme)
    found = _theme(analysis, column, tz)
    by_week: dict[datetime, list[EntryRef]] = {}
    for ref in sorted(found.refs, key=lambda r: r.created_at):
        by_week.setdefault(week_of(ref.created_at, tz, week_start).start, []).append(ref)
    weeks = [
        WeekEntries(week_of(begin, tz, week_start).label, begin, refs)
        for begin, refs in by_week.items()
    ]
    return ThemeDetail(found, weeks)


def _find_column(analysis: _Analysis, wanted: str) -> int:
    text = wanted.strip()
    lowered = text.lower().lstrip("#")
    key = theme_key(text)
    code = "category:" + canonical_code(text).lower()
    for match in (
        lambda c: analysis.names[c] == lowered,
        lambda c: analysis.keys[c] in (key, code),
        lambda c: analysis.labels[c].lower() == lowered,
    ):
        for column in analysis.order:
            if match(column):
                return column
    raise NotFoundError(f"no recurring theme {wanted!r} (see 'logbook themes' for the list)")


def apply_themes(
    store: Store,
    *,
    top: int | None = APPLY_TOP,
    min_entries: int = 3,
    week_start: str = "monday",
    tz: tzinfo = UTC,
) -> ApplyResult:
    """Store the ``top`` best phrase themes as tags of kind ``auto`` on the entries they occur in.

    Idempotent: a second run changes nothing. User and category tags are never touched
    (a phrase that is a user tag is left to the user); auto tags that no longer apply (on
    entries that are not archived) are removed, and auto tags left on no entry are deleted.

    The themes are found outside the write transaction (counting takes a while); if another
    process wrote to the store meanwhile, they are found again (``APPLY_ATTEMPTS`` times in
    all) so that no tag goes to an entry that was removed or changed.
    """
    for _ in range(APPLY_ATTEMPTS):
        analysis = _analyze(
            store, since=None, until=None, kinds=None, min_entries=min_entries,
            week_start=week_start, tz=tz,
        )  # fmt: skip
        corpus = analysis.corpus
        matrix = analysis.matrix
        applied = [c for c in analysis.order if analysis.sources[c] == "phrase"][:top]
        # every entry that is not archived (the corpus), with the auto tags it should carry
        entries = list(zip(corpus.kinds, corpus.ids, strict=True))
        wanted: dict[tuple[str, int], set[str]] = {entry: set() for entry in entries}
        for column in applied:
            name = analysis.names[column]
            for row in matrix.indices[matrix.indptr[column] : matrix.indptr[column + 1]].tolist():
                wanted[entries[row]].add(name)
        with store.write() as session:
            if _changes(session) != corpus.changes:
                continue  # the entries are not those the themes were found in
            added, removed = sync_auto_tags(session, wanted)
        return ApplyResult(
            themes=len(applied),
            entries=sum(1 for names in wanted.values() if names),
            added=added,
            removed=removed,
            names=[analysis.names[c] for c in applied],
        )
    raise LogbookError(
        "the store changed while themes were computed; run 'logbook themes apply' again"
    )
