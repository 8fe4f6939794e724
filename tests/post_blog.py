"""A small blog as researchers really have them, written by the tests for ``post import``.

Posts in several styles (a reading list with arXiv links in every form, a list of ideas, a
paper summary), front matter broken in five ways, one without front matter, a draft, nested
folders, a future date, a BOM, CRLF line ends and a ``.DS_Store``.
"""

from __future__ import annotations

import os
from pathlib import Path

CONFIG = "title: an old research blog\ntimezone: America/New_York\n"

# Every post Jekyll publishes, as (path, title, date) a Liquid page lists.
INDEX = """\
---
---
{% for p in site.posts %}{{ p.path }}\t{{ p.title }}\t{{ p.date | date: "%Y-%m-%dT%H:%M:%S%z" }}
{% endfor %}"""

READING_LIST = """\
---
title: "Reading list: transformers"
date: 2020-10-19 15:20:00 +0000
tags: [ml, reading]
---
This week I read [Attention is all you need](https://arxiv.org/abs/1706.03762) again,
and the PDF <https://arxiv.org/pdf/2103.00001v2.pdf>; also arXiv:1707.08567 and an old one,
[astro-ph](http://arxiv.org/abs/astro-ph/0601001v1). The [same link](https://arxiv.org/abs/1706.03762v5).

* a PDF without its extension: https://arxiv.org/pdf/1801.00862
* old style with a subject class: arXiv:math.GT/0211159
* a paper arXiv does not have: arXiv:2012.99999

```
not a citation: arXiv:1901.00001
```
"""

RAMBLINGS = """\
---
title: Ramblings
tags: ideas thoughts
---
Here are some of my thoughts from this week:

- What if attention is a kernel smoother?
- Distil a model into a lookup table
  - a nested detail, part of the idea above

## Ideas

1. Kernel methods for attention
2. Sparse mixtures of experts on a laptop

## Reading

- not an idea: a book
"""

SUMMARY = """\
---
title: 'Summary: "Deep residual learning"'
categories: [papers, vision]
date: 2020-11-02
...
A summary of [a paper](https://arxiv.org/abs/2405.13786).
"""

TABS = "---\ntitle: Tabs\ntags:\n\t- one\n---\nIndented with a tab.\n"
DUPLICATE = "---\ntitle: First title\ntags: [a]\ntitle: Second title\n---\nTwice titled.\n"
COLON = "---\ntitle: Attention: the sequel\n---\nAn unquoted colon.\n"
BAD_INDENT = "---\ntitle: Indents\ntags:\n  - one\n - two\n---\nBadly indented.\n"
UNCLOSED = "---\ntitle: Never closed\n\nThe body starts here but the front matter never ends.\n"
LATIN1 = "---\ntitle: Caf\xe9 notes\n---\nNa\xefve bytes.\n".encode("latin-1")
PLAIN = "Exported from another blog.\n\nNo front matter at all, see arXiv:1111.2011.\n"
DRAFT = "---\ntitle: Half-baked\n---\nNot ready.\n"
NESTED = "---\ntitle: Nested post\ntags: nested\n---\nIn a folder.\n"
FUTURE = "---\ntitle: From the future\n---\nNot yet.\n"
BOM = "\ufeff---\ntitle: With a BOM\n---\nStarts with a byte order mark.\n"
CRLF = "---\r\ntitle: Windows line ends\r\ndate: 2021-01-18 08:00:00 +0100\r\n---\r\nCRLF body.\r\n"

# path → content; bytes are written as they are
POSTS: dict[str, str | bytes] = {
    "_posts/2020-10-19-reading-list.md": READING_LIST,
    "_posts/2020-10-26-ramblings.md": RAMBLINGS,
    "_posts/2020-11-2-paper-summary.md": SUMMARY,
    "_posts/2020-11-09-tabs.md": TABS,
    "_posts/2020-11-16-duplicate-keys.md": DUPLICATE,
    "_posts/2020-11-23-colon-title.md": COLON,
    "_posts/2020-11-24-bad-indent.md": BAD_INDENT,
    "_posts/2020-11-30-unclosed.md": UNCLOSED,
    "_posts/2020-12-07-latin1.md": LATIN1,
    "_posts/2020-12-14-old-blog-export.md": PLAIN,
    "_drafts/half-baked.md": DRAFT,
    "research/_posts/2021/2021-01-04-nested-post.md": NESTED,
    "_posts/2099-01-01-from-the-future.md": FUTURE,
    "_posts/2021-01-11-with-a-bom.md": BOM,
    "_posts/2021-01-18-crlf.md": CRLF,
    "_posts/.DS_Store": b"\x00\x00\x00\x01Bud1\x00\x10\x00\xff\xfe",
}


def write_blog(site: Path) -> Path:
    """Write the blog into ``site`` (a Jekyll site: ``_config.yml`` and ``posts.txt``)."""
    for relative, content in POSTS.items():
        path = site / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(content.encode("utf-8"))
    (site / "_config.yml").write_text(CONFIG, encoding="utf-8")
    (site / "posts.txt").write_text(INDEX, encoding="utf-8")
    # a fixed mtime for the draft: 2021-02-01 12:00 UTC
    os.utime(site / "_drafts/half-baked.md", (1612180800, 1612180800))
    return site
