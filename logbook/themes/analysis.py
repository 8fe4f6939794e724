"""Recurring themes found in a corpus: tags, arXiv categories and key phrases in one matrix.

A theme comes from one of three sources, merged into one list:

- ``tag``: the user's own tags;
- ``category``: arXiv categories of papers, shown with their names (``cs.LG`` → Machine
  Learning);
- ``phrase``: key phrases of one to three words (``logbook.themes.phrases``, counted by
  ``logbook.themes.counting``), so ``Scaling laws``, ``scaling-law`` and ``scaling law``
  are one phrase.

Whatever its source, a theme must *recur*: it needs at least ``min_entries`` entries in at
least two different weeks. A phrase that is also a user tag is counted with the tag. Themes
are ranked by entries, then weeks, then longer phrases.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from logbook.arxiv.categories import canonical_code, category_label
from logbook.dates import now, week_of
from logbook.errors import NotFoundError
from logbook.store.corpus import Corpus
from logbook.themes.counting import one_hot, phrase_stage
from logbook.themes.phrases import theme_key
from logbook.themes.results import Theme
from logbook.themes.settings import ThemeSettings

if TYPE_CHECKING:
    from logbook.store import Store


@dataclass
class Analysis:
    """Every theme of a corpus: a binary entries × themes matrix and each column's facts."""

    corpus: Corpus
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


def analyze(store: Store, settings: ThemeSettings) -> Analysis:
    """Every theme of the entries ``settings`` select: tags, categories and phrases."""
    import numpy as np
    from scipy import sparse

    stage = phrase_stage(store, settings)
    corpus, ordinals = stage.corpus, stage.ordinals
    phrase_names, phrase_labels, phrase_matrix = stage.names, stage.labels, stage.matrix
    since, until, tz, week_start = settings.since, settings.until, settings.tz, settings.week_start
    min_entries = settings.min_entries
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
    weeks_matrix = one_hot(week_index, span_weeks)

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
    for row, raw in corpus.categories:
        code = canonical_code(raw)
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
    return Analysis(
        corpus, matrix, names, labels, sources, keys, entries, spread, first, last,
        week_counts, span_start, order,
    )  # fmt: skip


def theme_of(analysis: Analysis, column: int, tz: tzinfo) -> Theme:
    """The Theme of one column of an analysis."""
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


def find_column(analysis: Analysis, wanted: str) -> int:
    """The column of the recurring theme called ``wanted`` (name, label or any variant)."""
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
