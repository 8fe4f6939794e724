"""The search index as migration m009 made it: frozen like every shipped migration.

It lives here because migrations.py is at its size limit; never edit it, add a migration.
"""

from __future__ import annotations

import sqlite3

_IDEA_TITLE = "substr(NEW.text, 1, instr(NEW.text || char(10), char(10)) - 1)"
_AUTHORS = "(SELECT coalesce(group_concat(value, ', '), '') FROM json_each(NEW.authors))"
# table, kind code, title, body, authors, arXiv id, the columns whose change re-indexes
_ENTRIES = (
    ("idea", 1, _IDEA_TITLE, "NEW.text", "''", "''", "text"),
    ("paper", 2, "NEW.title", "NEW.abstract || char(10) || NEW.notes", _AUTHORS, "NEW.arxiv_id",
     "title, abstract, authors, notes, arxiv_id"),
    ("post", 3, "NEW.title", "NEW.body", "''", "''", "title, body"),
)  # fmt: skip


def stemmed_search_index(db: sqlite3.Connection) -> None:
    """Make the index again with the porter stemmer, paper authors and arXiv ids as columns.

    FTS5 cannot change a table's tokenizer, so the table and its triggers are dropped,
    made again (rowid = entry id * 4 + kind, as before) and filled from the entries.
    """
    for table, *_ in _ENTRIES:
        for event in ("ai", "au", "ad"):
            db.execute(f"DROP TRIGGER {table}_{event}")
    db.execute("DROP TABLE search_index")
    db.execute(
        "CREATE VIRTUAL TABLE search_index USING fts5 (\n"
        "    kind UNINDEXED, title, body, authors, ref,\n"
        "    tokenize = 'porter unicode61 remove_diacritics 2'\n)"
    )
    columns = "rowid, kind, title, body, authors, ref"
    for table, code, title, body, authors, ref, watched in _ENTRIES:
        values = f"NEW.id * 4 + {code}, '{table}', {title}, {body}, {authors}, {ref}"
        insert = f"\n    INSERT INTO search_index ({columns})\n    VALUES ({values});"
        delete = f"\n    DELETE FROM search_index WHERE rowid = OLD.id * 4 + {code};"
        db.execute(f"CREATE TRIGGER {table}_ai AFTER INSERT ON {table} BEGIN{insert}\nEND")
        db.execute(
            f"CREATE TRIGGER {table}_au AFTER UPDATE OF {watched} ON {table} "
            f"BEGIN{delete}{insert}\nEND"
        )
        db.execute(f"CREATE TRIGGER {table}_ad AFTER DELETE ON {table} BEGIN{delete}\nEND")
        db.execute(
            f"INSERT INTO search_index ({columns}) SELECT {values.replace('NEW.', '')} FROM {table}"
        )
