"""``paper import`` against a real local HTTP server that answers like arXiv's export API."""

from __future__ import annotations

import itertools
import subprocess
import sys
import time
from pathlib import Path

import pytest
from arxiv_server import ArxivServer, Entry, arxiv_server, closed_port_url, synthetic

from logbook.arxiv.api import fetch_papers
from logbook.arxiv.fetch import ids_in_document
from logbook.arxiv_ids import ArxivId, parse_arxiv_id
from logbook.errors import ArxivError

# Every test here runs on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.backends

__all__ = ["arxiv_server"]  # the local arXiv fixture, imported for pytest


def stored(store) -> dict[str, object]:
    return {p.arxiv_id: p for p in store.papers.find()}


def test_one_id_is_fetched_with_max_results_one_and_stored(cli, arxiv_server, store):
    report = cli("paper", "import", "1706.03762", "--json").json()
    assert report["imported"] == ["1706.03762"]
    assert report["requests"] == 1
    [request] = arxiv_server.requests
    assert request.id_list == ["1706.03762"]
    assert request.max_results == 1
    paper = store.papers.get("1706.03762")
    assert paper.title == "Attention Is All You Need"
    assert paper.version == 7
    assert paper.authors[0] == "Ashish Vaswani" and len(paper.authors) == 8
    assert paper.primary_category == "cs.CL"
    assert paper.categories == ["cs.CL", "cs.LG"]
    assert paper.published.isoformat() == "2017-06-12T17:57:34+00:00"
    assert paper.comment == "15 pages, 5 figures"
    assert paper.pdf_url == "https://arxiv.org/pdf/1706.03762v7"
    assert paper.cite_key == "vaswani2017attention"
    assert not paper.withdrawn


def test_batch_answered_out_of_order_is_matched_by_id(cli, arxiv_server, store):
    ids = ["1706.03762", "1801.00862", "2103.00001", "2609.28534", "1707.08567"]
    report = cli("paper", "import", *ids, "--json").json()
    assert report["imported"] == ids
    assert [r.id_list for r in arxiv_server.requests] == [ids]
    assert arxiv_server.requests[0].max_results == 5
    papers = stored(store)
    assert papers["1801.00862"].title == "Quantum Computing in the NISQ era and beyond"
    assert papers["2103.00001"].doi == "10.1038/s41524-021-00644-z"
    assert papers["2103.00001"].journal_ref == "npj Comput Mater 7, 175 (2021)"
    # numbers follow the order the user gave, not arXiv's
    assert [i["id"] for i in report["items"]] == [1, 2, 3, 4, 5]


def test_versioned_id_asks_for_that_version(cli, arxiv_server, store):
    report = cli("paper", "import", "1706.03762v2", "--json").json()
    assert report["imported"] == ["1706.03762"]
    assert arxiv_server.ids_sent == ["1706.03762v2"]
    paper = store.papers.get("1706.03762")
    assert paper.version == 2
    assert paper.comment == "15 pages, 5 figure"
    assert "41.0" in paper.abstract


def test_old_style_ids_are_imported_in_arxivs_form(cli, arxiv_server, store):
    report = cli(
        "paper", "import", "astro-ph/0601001", "quant-ph/0201082v1", "math.DG/0211159", "--json"
    ).json()
    assert report["imported"] == ["astro-ph/0601001", "quant-ph/0201082", "math/0211159"]
    assert arxiv_server.ids_sent == ["astro-ph/0601001", "quant-ph/0201082v1", "math/0211159"]
    papers = stored(store)
    assert papers["astro-ph/0601001"].journal_ref == "ActaAstron.56:1-50,2006"
    assert papers["quant-ph/0201082"].categories == ["quant-ph", "cs.PL"]
    assert papers["math/0211159"].cite_key == "perelman2002entropy"
    # any form finds the paper again
    assert store.papers.get("arXiv:math.DG/0211159").arxiv_id == "math/0211159"


@pytest.mark.parametrize(
    "form",
    [
        "1706.03762",
        "1706.03762v5",
        "arXiv:1706.03762",
        "https://arxiv.org/abs/1706.03762v7",
        "http://arxiv.org/pdf/1706.03762.pdf",
        "https://arxiv.org/pdf/1706.03762v2",
        "https://doi.org/10.48550/arXiv.1706.03762",
    ],
)
def test_every_pasted_form_of_an_id_imports_the_paper(cli, arxiv_server, form):
    arxiv_server.add(Entry(**{**vars(synthetic(1)), "arxiv_id": "1706.03762", "version": 5}))
    report = cli("paper", "import", form, "--json").json()
    assert report["imported"] == ["1706.03762"]
    [sent] = arxiv_server.ids_sent
    assert parse_arxiv_id(sent) == parse_arxiv_id(form)
    assert sent.startswith("1706.03762")


@pytest.mark.parametrize(
    "old", ["hep-th/9901001", "math.GT/0309136", "solv-int/9901001v2", "arXiv:hep-th/9901001"]
)
def test_old_style_forms_from_the_spec_are_sent_without_subject_class(cli, arxiv_server, old):
    parsed = parse_arxiv_id(old)
    assert parsed is not None
    arxiv_server.add(Entry(**{**vars(synthetic(1)), "arxiv_id": parsed.id, "version": 2}))
    report = cli("paper", "import", old, "--json").json()
    assert report["imported"] == [parsed.id]
    assert arxiv_server.ids_sent == [str(parsed)]
    assert "." not in arxiv_server.ids_sent[0].split("/")[0]


def test_unknown_id_is_reported_not_found_and_the_rest_imported(cli, arxiv_server, store):
    run = cli("paper", "import", "2312.99999", "1707.08567", "--json", ok=False)
    assert run.exit_code == 1
    report = run.json()
    assert report["not_found"] == ["2312.99999"]
    assert report["imported"] == ["1707.08567"]
    assert list(stored(store)) == ["1707.08567"]


def test_malformed_ids_are_reported_and_never_sent(cli, arxiv_server, store):
    bad = ["abc", "1706.3762", "hep-th/99010", "1713.00001", "https://example.org/abs/1"]
    run = cli("paper", "import", "1706.03762", *bad, "2103.00001", "--json", ok=False)
    assert run.exit_code == 1
    report = run.json()
    assert report["invalid"] == bad
    assert report["imported"] == ["1706.03762", "2103.00001"]
    assert arxiv_server.ids_sent == ["1706.03762", "2103.00001"]


def test_only_malformed_ids_is_a_usage_error_without_requests(cli, arxiv_server):
    run = cli("paper", "import", "abc", ok=False)
    assert run.exit_code == 2
    assert run.stderr.startswith("Error: not an arXiv id: 'abc'")
    assert arxiv_server.requests == []


def test_id_arxiv_refuses_is_found_without_resending_the_batch_blindly(cli, arxiv_server, store):
    arxiv_server.refused = {"2103.00001"}
    ids = ["1706.03762", "1801.00862", "2103.00001", "2609.28534"]
    report = cli("paper", "import", *ids, "--json", ok=False).json()
    assert report["invalid"] == ["2103.00001"]
    assert report["imported"] == ["1706.03762", "1801.00862", "2609.28534"]
    statuses = [r.status for r in arxiv_server.requests]
    assert statuses == [400, 200]  # arXiv named the id: drop it and ask once more
    assert "2103.00001" not in arxiv_server.requests[-1].id_list


def test_unnamed_400_is_split_in_halves_to_find_the_culprit(arxiv_server):
    arxiv_server.refused = {"1801.00862"}
    arxiv_server.anonymous_errors = True
    ids = [parse_arxiv_id(i) for i in ("1706.03762", "1801.00862", "2103.00001", "2609.28534")]
    result = fetch_papers(ids, api_url=arxiv_server.url, delay_seconds=0)  # type: ignore[arg-type]
    assert list(result.rejected) == ["1801.00862"]
    assert sorted(result.papers) == ["1706.03762", "2103.00001", "2609.28534"]
    sent = [tuple(r.id_list) for r in arxiv_server.requests]
    assert len(sent) == len(set(sent)), "a refused request is never repeated as it was"
    assert sent[0] == ("1706.03762", "1801.00862", "2103.00001", "2609.28534")
    assert ("1801.00862",) in sent


def test_503_then_success_retries_and_imports(cli, arxiv_server, store):
    arxiv_server.statuses = [503]
    report = cli("paper", "import", "1706.03762", "1707.08567", "--json").json()
    assert report["imported"] == ["1706.03762", "1707.08567"]
    assert [r.status for r in arxiv_server.requests] == [503, 200]
    assert arxiv_server.requests[0].id_list == arxiv_server.requests[1].id_list


def test_429_with_retry_after_is_retried(cli, arxiv_server):
    arxiv_server.statuses = [429]
    arxiv_server.retry_after = "0"
    report = cli("paper", "import", "1706.03762", "--json").json()
    assert report["imported"] == ["1706.03762"]
    assert [r.status for r in arxiv_server.requests] == [429, 200]


def test_arxiv_down_gives_one_line_and_writes_nothing(cli, arxiv_server, store):
    arxiv_server.statuses = [503] * 10
    run = cli("paper", "import", "1706.03762", ok=False)
    assert run.exit_code == 1
    [line] = run.stderr.strip().splitlines()
    assert line.startswith("Error: arXiv could not be reached")
    assert "HTTP 503" in line and "tried 4 times" in line
    assert len(arxiv_server.requests) == 4
    assert store.papers.find() == []


def test_no_server_listening_is_one_clear_line_and_nothing_written(cli, monkeypatch, store):
    monkeypatch.setenv("LOGBOOK_ARXIV_API_URL", closed_port_url())
    run = cli("paper", "import", "1706.03762", "1707.08567", ok=False)
    assert run.exit_code == 1
    [line] = run.stderr.strip().splitlines()
    assert line.startswith("Error: arXiv could not be reached at http://127.0.0.1:")
    assert "connection refused" in line
    assert store.papers.find() == []
    # the rest of logbook works offline
    cli("idea", "add", "offline idea")
    assert cli("paper", "list", "--json").json() == []


def test_every_request_has_a_timeout(arxiv_server):
    arxiv_server.hang_seconds = 1.0
    started = time.monotonic()
    with pytest.raises(ArxivError, match=r"no answer within 0.2 s; tried 1 times"):
        fetch_papers(
            [ArxivId("1706.03762")],
            api_url=arxiv_server.url,
            delay_seconds=0,
            timeout=0.2,
            retries=0,
        )
    assert time.monotonic() - started < 0.9


def test_a_page_that_is_not_a_feed_is_an_error_not_not_found(cli, arxiv_server, store):
    arxiv_server.body_override = b"<html><body>Captive portal</body></html>"
    run = cli("paper", "import", "1706.03762", ok=False)
    assert run.exit_code == 1
    assert "did not answer with an arXiv feed" in run.stderr
    assert store.papers.find() == []


def test_non_ascii_authors_are_kept(cli, arxiv_server, store):
    cli("paper", "import", "1707.08567", "2405.13786", "2609.28619")
    papers = stored(store)
    assert "Dirk Wübben" in papers["1707.08567"].authors
    assert papers["2405.13786"].authors[:3] == ["Aurora Ramírez", "Mario Berrios", "José Raúl Romero"]  # fmt: skip
    assert "Michael Krämer" in papers["2609.28619"].authors


def test_latex_in_titles_and_abstracts_is_kept_verbatim(cli, arxiv_server, store):
    cli("paper", "import", "2609.28752", "2609.28534", "2403.16981")
    papers = stored(store)
    assert papers["2609.28752"].title == (
        "Inclusive $B$ decays, lifetimes, and $|V_{cb}|$: a unified heavy-quark expansion analysis"
    )
    assert r"$\bar{B} \to X_c l \bar ν_\ell$" in papers["2609.28752"].abstract
    assert "Hellinger $Φ$-entropy" in papers["2609.28534"].abstract
    assert r"i.i.d.\ samples" in papers["2403.16981"].abstract
    assert "$α$" in papers["2403.16981"].abstract


@pytest.mark.parametrize("legacy", [False, True], ids=["current-format", "legacy-format"])
def test_both_feed_formats_give_the_same_papers(cli, arxiv_server, store, legacy):
    arxiv_server.legacy = legacy
    cli("paper", "import", "1111.2011", "astro-ph/0601001", "1706.03762")
    papers = stored(store)
    assert papers["1111.2011"].doi == "10.1103/PhysRevB.85.115117"
    assert papers["1111.2011"].journal_ref == "Phys. Rev. B 85, 115117 (2012)"
    assert papers["1111.2011"].primary_category == "cond-mat.str-el"
    assert papers["astro-ph/0601001"].abstract.startswith("We derive the frequencies")
    assert "\n" not in papers["astro-ph/0601001"].abstract
    assert papers["1706.03762"].version == 7


def test_250_new_ids_take_exactly_3_requests(cli, arxiv_server, store):
    for n in range(250):
        arxiv_server.add(synthetic(n))
    ids = [f"2401.{n:05d}" for n in range(250)]
    report = cli("paper", "import", *ids, "--json").json()
    assert len(report["imported"]) == 250
    assert [len(r.id_list) for r in arxiv_server.requests] == [100, 100, 50]
    assert [r.max_results for r in arxiv_server.requests] == [100, 100, 50]
    assert arxiv_server.ids_sent == ids
    assert len(store.papers.find()) == 250


def test_requests_keep_the_configured_delay_apart(arxiv_server):
    for n in range(150):
        arxiv_server.add(synthetic(n))
    ids = [ArxivId(f"2401.{n:05d}") for n in range(150)]
    seen = []
    fetch_papers(
        ids,
        api_url=arxiv_server.url,
        delay_seconds=0.3,
        progress=lambda done, total: seen.append((done, total, time.monotonic())),
    )
    assert [(d, t) for d, t, _ in seen] == [(0, 150), (100, 150), (150, 150)]
    assert len(arxiv_server.requests) == 2
    gaps = [b.at - a.at for a, b in itertools.pairwise(arxiv_server.requests)]
    assert min(gaps) >= 0.3


def test_reimporting_known_ids_sends_no_request(cli, arxiv_server, store):
    cli("paper", "import", "1706.03762", "1707.08567")
    arxiv_server.requests.clear()
    report = cli("paper", "import", "arXiv:1706.03762", "1707.08567v1", "--json").json()
    assert report["known"] == ["1706.03762", "1707.08567"]
    assert report["requests"] == 0
    assert arxiv_server.requests == []
    assert len(store.papers.find()) == 2


def test_refresh_updates_metadata_and_keeps_the_version_read(cli, arxiv_server, store):
    cli("paper", "import", "1706.03762v2")
    cli("paper", "status", "1706.03762", "read")
    report = cli("paper", "import", "1706.03762", "--refresh", "--json").json()
    assert report["updated"] == ["1706.03762"]
    assert arxiv_server.ids_sent == ["1706.03762v2", "1706.03762"]
    paper = store.papers.get("1706.03762")
    assert (paper.version, paper.read_version, paper.status) == (7, 2, "read")
    assert paper.comment == "15 pages, 5 figures"
    assert paper.cite_key == "vaswani2017attention"
    # nothing new: known, not updated
    again = cli("paper", "import", "1706.03762", "--refresh", "--json").json()
    assert again["known"] == ["1706.03762"] and again["requests"] == 1


def test_withdrawn_paper_is_flagged_on_refresh(cli, arxiv_server, store):
    cli("paper", "import", "1801.00862")
    assert not store.papers.get("1801.00862").withdrawn
    arxiv_server.add(
        Entry(
            "1801.00862",
            4,
            "Quantum Computing in the NISQ era and beyond",
            ["John Preskill"],
            "Withdrawn.",
            ["quant-ph"],
            "2018-01-02T23:43:08Z",
            "2019-01-01T00:00:00Z",
            comment="This paper has been withdrawn by the author due to a crucial error",
        )
    )
    cli("paper", "import", "1801.00862", "--refresh")
    paper = cli("paper", "show", "1801.00862", "--json").json()
    assert paper["withdrawn"] is True
    assert paper["version"] == 4


def test_categories_become_category_tags(cli, arxiv_server):
    cli("paper", "import", "2103.00001", "math/0211159")
    paper = cli("paper", "show", "2103.00001", "--json").json()
    assert paper["category_tags"] == ["cond-mat.dis-nn", "cond-mat.mtrl-sci", "eess.iv", "physics.app-ph"]  # fmt: skip
    assert paper["tags"] == []
    assert cli("paper", "show", "math/0211159", "--json").json()["category_tags"] == ["53c", "math.dg"]  # fmt: skip


def test_import_with_tag_tags_every_paper(cli, arxiv_server):
    cli("paper", "import", "1706.03762", "1707.08567", "--tag", "week47")
    papers = cli("paper", "list", "--tag", "week47", "--json").json()
    assert [p["arxiv_id"] for p in papers] == ["1706.03762", "1707.08567"]


MARKDOWN = """# Reading for week 47

- [Attention Is All You Need](https://arxiv.org/abs/1706.03762v7) — the transformer
- The NISQ paper, arXiv:1801.00862, and [a PDF][nisq-pdf]
- [not arXiv](https://example.org/paper/1234.56789)
- <https://arxiv.org/abs/hep-th/9901001>

```
arXiv:2103.00001 in a code block is not a reading
```

[nisq-pdf]: http://arxiv.org/pdf/1707.08567.pdf
"""


def test_ids_are_read_from_the_links_of_a_markdown_file():
    found = ids_in_document(MARKDOWN, markdown=True)
    assert [str(parse_arxiv_id(f)) for f in found] == [
        "1706.03762v7",
        "1801.00862",
        "1707.08567",
        "hep-th/9901001",
    ]


def test_import_from_file_and_from_stdin(cli, arxiv_server, store, tmp_path: Path):
    notes = tmp_path / "week47.md"
    notes.write_text(MARKDOWN, encoding="utf-8")
    arxiv_server.add(Entry(**{**vars(synthetic(1)), "arxiv_id": "hep-th/9901001"}))
    report = cli("paper", "import", "--from-file", str(notes), "--json").json()
    assert report["imported"] == ["1706.03762", "1801.00862", "1707.08567", "hep-th/9901001"]
    plain = "Read 2609.28534 and https://arxiv.org/abs/2405.13786 today; also 1706.03762.\n"
    report = cli("paper", "import", "--from-file", "-", "--json", input=plain).json()
    assert report["imported"] == ["2609.28534", "2405.13786"]
    assert report["known"] == ["1706.03762"]


def test_from_file_without_ids_is_a_usage_error(cli, arxiv_server, tmp_path: Path):
    empty = tmp_path / "empty.txt"
    empty.write_text("nothing here\n", encoding="utf-8")
    run = cli("paper", "import", "--from-file", str(empty), ok=False)
    assert run.exit_code == 2
    assert "no arXiv ids" in run.stderr
    assert cli("paper", "import", "--from-file", "missing.md", ok=False).exit_code == 2


def test_summary_table_lists_every_outcome(cli, arxiv_server):
    cli("paper", "import", "1706.03762")
    run = cli("paper", "import", "1706.03762", "1707.08567", "2312.99999", "abc", ok=False)
    rows = [line.split("\t") for line in run.stdout.strip().splitlines()]
    assert rows[0][:2] == ["result", "arXiv id"]
    assert [r[:2] for r in rows[1:]] == [
        ["already known", "1706.03762"],
        ["imported", "1707.08567"],
        ["not found", "2312.99999"],
        ["invalid", "abc"],
    ]
    assert run.stderr.strip() == (
        "Imported 1, already known 1, not found 1, invalid 1 (1 request to arXiv)"
    )


def test_importing_the_cli_does_not_import_network_packages():
    code = (
        "import sys, logbook.cli, logbook.cli.papers, logbook.arxiv.api, logbook.arxiv.fetch;"
        "bad = [m for m in ('arxiv', 'requests', 'lxml', 'markdown_it', 'rich') if m in sys.modules];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_server_fixture_answers_like_arxiv(arxiv_server: ArxivServer):
    # the fixture itself: max_results caps the answer, as arXiv's default of 10 does
    import urllib.request

    ids = ",".join(f"2401.{n:05d}" for n in range(12))
    for n in range(12):
        arxiv_server.add(synthetic(n))
    with urllib.request.urlopen(f"{arxiv_server.url}?id_list={ids}") as answer:
        body = answer.read().decode()
    assert body.count("<entry>") == 10
    assert "<opensearch:totalResults>12</opensearch:totalResults>" in body


def test_import_applies_themes_when_auto_apply_is_on(cli, arxiv_server, monkeypatch):
    monkeypatch.setenv("LOGBOOK_THEMES_AUTO_APPLY", "true")
    monkeypatch.setenv("LOGBOOK_THEMES_MIN_ENTRIES", "2")
    for n in range(4):
        arxiv_server.add(synthetic(n))
    # a theme must recur in two different weeks
    monkeypatch.setenv("LOGBOOK_NOW", "2026-11-02T10:00:00+00:00")
    cli("paper", "import", "2401.00000", "2401.00001")
    monkeypatch.setenv("LOGBOOK_NOW", "2026-11-10T10:00:00+00:00")
    cli("paper", "import", "2401.00002", "2401.00003")
    papers = cli("paper", "list", "--json").json()
    assert all("scaling-law" in p["auto_tags"] for p in papers), papers[0]["auto_tags"]


def test_from_file_imports_every_id_form_and_reports_skipped_lines(
    cli, arxiv_server, tmp_path: Path
):
    arxiv_server.add(Entry(**{**vars(synthetic(1)), "arxiv_id": "hep-th/9711200"}))
    arxiv_server.add(Entry(**{**vars(synthetic(2)), "arxiv_id": "math/0309136"}))
    listing = tmp_path / "list.txt"
    listing.write_text(
        "hep-th/9711200\n- math.GT/0309136, on knots\n\nMaldacena, see above\n1706.03762\n",
        encoding="utf-8",
    )
    run = cli("paper", "import", "--from-file", str(listing), "--json")
    assert run.json()["imported"] == ["hep-th/9711200", "math/0309136", "1706.03762"]
    assert run.stderr.strip().splitlines() == [
        f"Skipped line 4 of {listing} (no arXiv id in it): 'Maldacena, see above'"
    ]
