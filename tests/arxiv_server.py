"""A local stand-in for arXiv's export API: a real HTTP server on 127.0.0.1 (random port).

It answers ``/api/query?id_list=…&max_results=…`` with Atom feeds written the way arXiv
writes them (both the current format and the legacy one, see ``legacy``), including its
habits: entries come back in another order than asked, ``max_results`` caps the answer
(default 10), a malformed id makes the whole request an HTTP 400 with an error entry, and an
id that does not exist is simply absent from an HTTP 200. Every request is recorded, so tests
can count them and see which ids each one carried.

The papers in ``CATALOG`` copy facts (ids, titles, authors, dates, categories, doi,
journal_ref, comments, LaTeX and non-ASCII text) from responses arXiv really sent.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape, quoteattr

import pytest

ATOM = "http://www.w3.org/2005/Atom"
ARXIV_NS = "http://arxiv.org/schemas/atom"
OPENSEARCH = "http://a9.com/-/spec/opensearch/1.1/"
# What arXiv accepts as an id: new style YYMM.NNNN(N), old style archive(.XX)/YYMMNNN, vN.
VALID_ID = re.compile(r"^(?:\d{4}\.\d{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?$")


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@dataclass
class Entry:
    """One version of a paper, as arXiv describes it."""

    arxiv_id: str  # versionless
    version: int
    title: str
    authors: list[str]
    summary: str
    categories: list[str]
    published: str
    updated: str
    comment: str | None = None
    journal_ref: str | None = None
    doi: str | None = None
    affiliations: dict[str, str] = field(default_factory=dict)

    @property
    def versioned(self) -> str:
        return f"{self.arxiv_id}v{self.version}"


VASWANI = [
    "Ashish Vaswani",
    "Noam Shazeer",
    "Niki Parmar",
    "Jakob Uszkoreit",
    "Llion Jones",
    "Aidan N. Gomez",
    "Lukasz Kaiser",
    "Illia Polosukhin",
]
ATTENTION_SUMMARY = (
    "The dominant sequence transduction models are based on complex recurrent or "
    "convolutional neural networks in an encoder-decoder configuration. On the WMT 2014 "
    "English-to-French translation task, our model establishes a new single-model "
    "state-of-the-art BLEU score of {bleu} after training for 3.5 days on eight GPUs."
)

CATALOG: list[Entry] = [
    Entry(
        "1706.03762",
        2,
        "Attention Is All You Need",
        VASWANI,
        ATTENTION_SUMMARY.format(bleu="41.0"),
        ["cs.CL", "cs.LG"],
        "2017-06-12T17:57:34Z",
        "2017-06-19T16:49:45Z",
        comment="15 pages, 5 figure",
    ),
    Entry(
        "1706.03762",
        7,
        "Attention Is All You Need",
        VASWANI,
        ATTENTION_SUMMARY.format(bleu="41.8"),
        ["cs.CL", "cs.LG"],
        "2017-06-12T17:57:34Z",
        "2023-08-02T00:41:18Z",
        comment="15 pages, 5 figures",
    ),
    Entry(
        "1707.08567",
        1,
        "Proceedings of Workshop AEW10: Concepts in Information Theory and Communications",
        [
            "Kees A. Schouhamer Immink",
            "Stan Baggen",
            "Ferdaous Chaabane",
            "Yanling Chen",
            "Peter H. N. de With",
            "Dirk Wübben",
        ],
        'The 10th Asia-Europe workshop in "Concepts in Information Theory and '
        'Communications" AEW10 was held in Boppard, Germany on June 21-23, 2017.',
        ["cs.IT"],
        "2017-07-27T08:18:33Z",
        "2017-07-27T08:18:33Z",
        comment="44 pages, editors for the proceedings: Yanling Chen and A. J. Han Vinck",
    ),
    Entry(
        "2103.00001",
        3,
        "Three-dimensional Coherent X-ray Diffraction Imaging via Deep Convolutional Neural Networks",
        ["Longlong Wu", "Shinjae Yoo", "Ana F. Suzana", "Tadesse A. Assefa"],
        "As a critical component of coherent X-ray diffraction imaging (CDI), phase retrieval "
        "has been extensively applied in X-ray structural science.",
        ["eess.IV", "cond-mat.dis-nn", "cond-mat.mtrl-sci", "physics.app-ph"],
        "2021-02-26T21:47:14Z",
        "2021-10-19T18:50:02Z",
        journal_ref="npj Comput Mater 7, 175 (2021)",
        doi="10.1038/s41524-021-00644-z",
    ),
    Entry(
        "1801.00862",
        3,
        "Quantum Computing in the NISQ era and beyond",
        ["John Preskill"],
        "Noisy Intermediate-Scale Quantum (NISQ) technology will be available in the near future.",
        ["quant-ph", "cond-mat.str-el"],
        "2018-01-02T23:43:08Z",
        "2018-07-31T21:46:33Z",
        comment="20 pages. Based on a Keynote Address at Quantum Computing for Business, 5 December 2017.",
        journal_ref="Quantum 2, 79 (2018)",
        doi="10.22331/q-2018-08-06-79",
    ),
    Entry(
        "2609.28534",
        1,
        "A weak Hellinger inequality for noisy Boolean channels",
        ["Polona Durcik", "Marco Fraccaroli", "Joris Roos"],
        "A weak form of the Hellinger conjecture of Anantharam, Bogdanov, Chakrabarti, Jayram, "
        "and Nair for the binary symmetric channel is proved: dictator functions maximize "
        "Hellinger $Φ$-entropy among all Boolean functions of the input.",
        ["cs.IT", "math.CO"],
        "2026-09-22T19:50:58Z",
        "2026-09-22T19:50:58Z",
        comment="19 pages; associated formalization available at https://github.com/roos-j/lean-weakhellinger",
    ),
    Entry(
        "2609.28752",
        1,
        "Inclusive $B$ decays, lifetimes, and $|V_{cb}|$: a unified heavy-quark expansion analysis",
        ["Matteo Fael", "Ilija S. Milutin", "Markus Prim", "K. Keri Vos"],
        "We present a global HQE analysis of inclusive semileptonic $\\bar{B} \\to X_c l \\bar ν_\\ell$ "
        "moments, partial branching fractions, and $B^+$, $B^0$ lifetime observables.",
        ["hep-ph", "hep-ex"],
        "2026-09-23T19:51:47Z",
        "2026-09-23T19:51:47Z",
        comment="41 pages, 10 figures",
    ),
    Entry(
        "2609.28619",
        1,
        "UFO Sightings with Matchete: Connecting BSM Lagrangians with Event Generators",
        ["Luis Hourtz", "Tamilarasan Ketheeswaran", "Michael Krämer", "Anders Eller Thomsen"],
        "We present a tool for the automated generation of Universal Feynman Output (UFO) files.",
        ["hep-ph"],
        "2026-09-23T18:00:00Z",
        "2026-09-23T18:00:00Z",
        comment="61 pages, 14 figures",
    ),
    Entry(
        "2405.13786",
        1,
        "Towards Explainable Test Case Prioritisation with Learning-to-Rank Models",
        ["Aurora Ramírez", "Mario Berrios", "José Raúl Romero", "Robert Feldt"],
        "Test case prioritisation (TCP) is a critical task in regression testing to ensure "
        "quality as software evolves.",
        ["cs.SE", "cs.AI"],
        "2024-05-22T16:11:45Z",
        "2024-05-22T16:11:45Z",
        journal_ref="Proc. 2023 IEEE International Conference on Software Testing, Verification "
        "and Validation Workshops (ICSTW), pp. 66-69",
        doi="10.1109/ICSTW58534.2023.00023",
    ),
    Entry(
        "2302.03287",
        3,
        "ChatGPT and Software Testing Education: Promises & Perils",
        ["Sajed Jalil", "Suzzana Rafi", "Thomas D. LaToza", "Kevin Moran", "Wing Lam"],
        "Over the past decade, predictive language modeling for code has proven to be a "
        'valuable tool; "large language models" are trained on massive corpora.',
        ["cs.SE", "cs.HC"],
        "2023-02-07T06:41:02Z",
        "2023-03-11T21:03:09Z",
        doi="10.1109/ICSTW58534.2023.00078",
    ),
    Entry(
        "2403.16981",
        2,
        "The Sample Complexity of Simple Binary Hypothesis Testing",
        ["Ankit Pensia", "Varun Jog", "Po-Ling Loh"],
        "The sample complexity of simple binary hypothesis testing is the smallest number of "
        "i.i.d.\\ samples required to distinguish between two distributions $p$ and $q$, with "
        "type-I error at most $α$ and type-II error at most $β$.",
        ["math.ST", "cs.IT", "stat.ML"],
        "2024-03-25T17:42:32Z",
        "2025-05-24T05:50:33Z",
    ),
    Entry(
        "astro-ph/0601001",
        1,
        "Frequency of Hot Jupiters and Very Hot Jupiters from the OGLE-III Transit Surveys "
        "Toward the Galactic Bulge and Carina",
        ["Andrew Gould", "Susan Dorsher", "B. Scott Gaudi", "Andrzej Udalski"],
        "We derive the frequencies of hot Jupiters (HJs) with 3--5 day periods and very hot "
        "Jupiters (VHJs) with 1-3 day periods, (1^{+1.39}_{-0.59}) per cent, V_max<17.5.",
        ["astro-ph"],
        "2006-01-02T14:57:58Z",
        "2006-01-02T14:57:58Z",
        comment="62 pages including 16 figures and 9 tables. Submitted to Acta Astronomica.",
        journal_ref="ActaAstron.56:1-50,2006",
        affiliations={"Andrew Gould": "Ohio State University"},
    ),
    Entry(
        "quant-ph/0201082",
        1,
        "Quantum Computers and Quantum Computer Languages: Quantum Assembly Language and "
        "Quantum C Language",
        ["Stephen Blaha"],
        "We show a representation of Quantum Computers defines Quantum Turing Machines with "
        "associated Quantum Grammars.",
        ["quant-ph", "cs.PL"],
        "2002-01-18T15:08:05Z",
        "2002-01-18T15:08:05Z",
        comment="32 pages",
    ),
    Entry(
        "math/0211159",
        1,
        "The entropy formula for the Ricci flow and its geometric applications",
        ["Grisha Perelman"],
        "We present a monotonic expression for the Ricci flow, valid in all dimensions and "
        "without curvature assumptions.",
        ["math.DG", "53C"],
        "2002-11-11T16:11:49Z",
        "2002-11-11T16:11:49Z",
        comment="39 pages",
    ),
    Entry(
        "1111.2011",
        2,
        "Quantum Criticality for Extended Nodes on a Bethe Lattice in the Large Connectivity Limit",
        ["James M. Murray", "Adrian Del Maestro", "Zlatko Tesanovic"],
        "Theoretical description of anisotropic systems, such as layered superconductors and "
        "coupled spin chains, is often a challenge.",
        ["cond-mat.str-el", "cond-mat.stat-mech"],
        "2011-11-08T18:48:36Z",
        "2012-04-02T12:38:54Z",
        comment="8 pages, 3 figures. Published version",
        journal_ref="Phys. Rev. B 85, 115117 (2012)",
        doi="10.1103/PhysRevB.85.115117",
    ),
]


def synthetic(n: int, *, month: str = "2401") -> Entry:
    """A made-up but well-formed paper ``{month}.{n:05d}`` (for batches of hundreds)."""
    return Entry(
        f"{month}.{n:05d}",
        1,
        f"Synthetic study number {n} of scaling laws",
        [f"Author{n} Example", "Grace Hopper"],
        f"We study scaling law {n}.",
        ["cs.LG"],
        "2024-01-15T10:00:00Z",
        "2024-01-15T10:00:00Z",
    )


@dataclass
class Request:
    """One request the server received."""

    params: dict[str, str]
    id_list: list[str]
    max_results: int | None
    status: int
    at: float  # time.monotonic() when it arrived


class ArxivServer:
    """The server's state: its papers, what it will do next, and what it was asked."""

    def __init__(self, *, legacy: bool = False) -> None:
        self.legacy = legacy
        self.papers: dict[str, list[Entry]] = {}
        self.requests: list[Request] = []
        self.statuses: list[int] = []  # answered (in order) before any normal answer
        self.retry_after: str | None = None
        self.refused: set[str] = set()  # well-formed ids answered as "incorrect id format"
        self.anonymous_errors = False  # a 400 whose error entry does not name the id
        self.hang_seconds = 0.0
        self.body_override: bytes | None = None
        for entry in CATALOG:
            self.add(entry)
        self._lock = threading.Lock()
        self._http = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._http.daemon_threads = True
        self._thread = threading.Thread(target=self._http.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        host, port = self._http.server_address[:2]
        return f"http://{host!s}:{port}/api/query"

    def add(self, entry: Entry) -> None:
        versions = self.papers.setdefault(entry.arxiv_id, [])
        versions.append(entry)
        versions.sort(key=lambda e: e.version)

    @property
    def ids_sent(self) -> list[str]:
        """Every id carried by any request, in order."""
        return [i for r in self.requests for i in r.id_list]

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._http.shutdown()
        self._http.server_close()

    # -- answering -------------------------------------------------------------------------

    def answer(self, query: str) -> tuple[int, dict[str, str], bytes]:
        params = {k: v[0] for k, v in parse_qs(query, keep_blank_values=True).items()}
        id_list = [i for i in params.get("id_list", "").split(",") if i]
        max_results = int(params["max_results"]) if params.get("max_results") else None
        with self._lock:
            status = self.statuses.pop(0) if self.statuses else 200
            bad = next((i for i in id_list if not VALID_ID.match(i) or i in self.refused), None)
            if status == 200 and bad is not None:
                status = 400
            self.requests.append(Request(params, id_list, max_results, status, time.monotonic()))
        if self.hang_seconds:
            time.sleep(self.hang_seconds)
        if status == 400:
            return 400, {"Content-Type": "application/atom+xml"}, self._error_feed(bad or "")
        if status != 200:
            headers = {"Content-Type": "text/plain"}
            if self.retry_after is not None:
                headers["Retry-After"] = self.retry_after
            return (
                status,
                headers,
                b"Rate exceeded.\n" if status == 429 else b"Service Unavailable\n",
            )
        if self.body_override is not None:
            return 200, {"Content-Type": "text/html"}, self.body_override
        found = []
        for ident in id_list:
            entry = self._lookup(ident)
            if entry is not None:
                found.append(entry)
        found.reverse()  # arXiv does not keep the order of id_list
        total = len(found)
        found = found[: max_results if max_results is not None else 10]
        body = (
            self._legacy_feed(params, found, total)
            if self.legacy
            else self._feed(params, found, total)
        )
        return 200, {"Content-Type": "application/atom+xml; charset=utf-8"}, body

    def _lookup(self, ident: str) -> Entry | None:
        match = re.match(r"^(.*?)(?:v(\d+))?$", ident)
        assert match
        base, version = match.group(1), match.group(2)
        if "." in base.split("/")[0] and "/" in base:  # math.GT/0309136 is filed as math/0309136
            base = base.split(".")[0] + "/" + base.split("/")[1]
        versions = self.papers.get(base, [])
        if version is None:
            return versions[-1] if versions else None
        return next((e for e in versions if e.version == int(version)), None)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                status, headers, body = server.answer(urlsplit(self.path).query)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        return Handler

    # -- the two feed formats ----------------------------------------------------------------

    def _query_text(self, params: dict[str, str]) -> str:
        return (
            f"search_query={params.get('search_query', '')}&id_list={params.get('id_list', '')}"
            f"&start={params.get('start', '0')}&max_results={params.get('max_results', '10')}"
        )

    def _feed(self, params: dict[str, str], entries: list[Entry], total: int) -> bytes:
        now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        query = self._query_text(params)
        lines = [
            "<?xml version='1.0' encoding='UTF-8'?>",
            f'<feed xmlns:opensearch="{OPENSEARCH}" xmlns:arxiv="{ARXIV_NS}" xmlns="{ATOM}">',
            "  <id>https://arxiv.org/api/qFNnN3Zc8bA02fouemuGZq2J4Tg</id>",
            f"  <title>arXiv Query: {escape(query)}</title>",
            f"  <updated>{now}</updated>",
            f'  <link href="https://arxiv.org/api/query?{escape(query)}" type="application/atom+xml"/>',
            f"  <opensearch:itemsPerPage>{params.get('max_results', '10')}</opensearch:itemsPerPage>",
            f"  <opensearch:totalResults>{total}</opensearch:totalResults>",
            f"  <opensearch:startIndex>{params.get('start', '0')}</opensearch:startIndex>",
        ]
        for e in entries:
            lines += [
                "  <entry>",
                f"    <id>http://arxiv.org/abs/{e.versioned}</id>",
                f"    <title>{escape(e.title)}</title>",
                f"    <updated>{e.updated}</updated>",
                f'    <link href="https://arxiv.org/abs/{e.versioned}" rel="alternate" type="text/html"/>',
                f'    <link href="https://arxiv.org/pdf/{e.versioned}" rel="related" type="application/pdf" title="pdf"/>',
                f"    <summary>{escape(e.summary)}</summary>",
                *(
                    f'    <category term="{c}" scheme="http://arxiv.org/schemas/atom"/>'
                    for c in e.categories
                ),
                f"    <published>{e.published}</published>",
            ]
            if e.comment:
                lines.append(f"    <arxiv:comment>{escape(e.comment)}</arxiv:comment>")
            lines.append(f'    <arxiv:primary_category term="{e.categories[0]}"/>')
            if e.journal_ref:
                lines.append(f"    <arxiv:journal_ref>{escape(e.journal_ref)}</arxiv:journal_ref>")
            for name in e.authors:
                lines.append("    <author>")
                lines.append(f"      <name>{escape(name)}</name>")
                if name in e.affiliations:
                    lines.append(
                        f"      <arxiv:affiliation>{escape(e.affiliations[name])}</arxiv:affiliation>"
                    )
                lines.append("    </author>")
            if e.doi:
                lines.append(f"    <arxiv:doi>{escape(e.doi)}</arxiv:doi>")
                lines.append(
                    f'    <link rel="related" href="https://doi.org/{escape(e.doi)}" title="doi"/>'
                )
            lines.append("  </entry>")
        lines.append("</feed>")
        return ("\n".join(lines) + "\n").encode("utf-8")

    def _legacy_feed(self, params: dict[str, str], entries: list[Entry], total: int) -> bytes:
        from urllib.parse import quote

        query = self._query_text(params)
        lines = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            f'<feed xmlns="{ATOM}">',
            f'  <link href="http://arxiv.org/api/query?{quote(query, safe="")}" rel="self" type="application/atom+xml"/>',
            f'  <title type="html">ArXiv Query: {escape(query)}</title>',
            "  <id>http://arxiv.org/api/zUwBFJ+vAUSpXAR7QFveSY/bZos</id>",
            "  <updated>2024-11-10T00:00:00-05:00</updated>",
            f'  <opensearch:totalResults xmlns:opensearch="{OPENSEARCH}">{total}</opensearch:totalResults>',
            f'  <opensearch:startIndex xmlns:opensearch="{OPENSEARCH}">0</opensearch:startIndex>',
            f'  <opensearch:itemsPerPage xmlns:opensearch="{OPENSEARCH}">{params.get("max_results", "10")}</opensearch:itemsPerPage>',
        ]
        for e in entries:
            wrapped = _wrap("  " + e.summary)
            lines += [
                "  <entry>",
                f"    <id>http://arxiv.org/abs/{e.versioned}</id>",
                f"    <updated>{e.updated}</updated>",
                f"    <published>{e.published}</published>",
                f"    <title>{escape(e.title)}</title>",
                f"    <summary>{escape(wrapped)}\n</summary>",
            ]
            for name in e.authors:
                lines.append(f"    <author>\n      <name>{escape(name)}</name>\n    </author>")
            if e.doi:
                lines.append(f'    <arxiv:doi xmlns:arxiv="{ARXIV_NS}">{escape(e.doi)}</arxiv:doi>')
                lines.append(
                    f'    <link title="doi" href="http://dx.doi.org/{escape(e.doi)}" rel="related"/>'
                )
            if e.comment:
                lines.append(
                    f'    <arxiv:comment xmlns:arxiv="{ARXIV_NS}">{escape(e.comment)}</arxiv:comment>'
                )
            if e.journal_ref:
                lines.append(
                    f'    <arxiv:journal_ref xmlns:arxiv="{ARXIV_NS}">{escape(e.journal_ref)}</arxiv:journal_ref>'
                )
            lines += [
                f'    <link href="http://arxiv.org/abs/{e.versioned}" rel="alternate" type="text/html"/>',
                f'    <link title="pdf" href="http://arxiv.org/pdf/{e.versioned}" rel="related" type="application/pdf"/>',
                f'    <arxiv:primary_category xmlns:arxiv="{ARXIV_NS}" term={quoteattr(e.categories[0])} scheme="http://arxiv.org/schemas/atom"/>',
                *(
                    f'    <category term={quoteattr(c)} scheme="http://arxiv.org/schemas/atom"/>'
                    for c in e.categories
                ),
                "  </entry>",
            ]
        lines.append("</feed>")
        return ("\n".join(lines) + "\n").encode("utf-8")

    def _error_feed(self, bad: str) -> bytes:
        if self.anonymous_errors:
            bad = "request"
        now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        if self.legacy:
            return (
                '<?xml version="1.0" encoding="UTF-8"?>\n'
                f'<feed xmlns="{ATOM}">\n'
                f'  <link href="http://arxiv.org/api/query?id_list%3D{escape(bad)}" rel="self" type="application/atom+xml"/>\n'
                f'  <title type="html">ArXiv Query: id_list={escape(bad)}</title>\n'
                "  <id>http://arxiv.org/api/tHf8BTzmNIvdVMUbq4aOMfxXhhg</id>\n"
                f"  <updated>{now}</updated>\n"
                f'  <opensearch:totalResults xmlns:opensearch="{OPENSEARCH}">1</opensearch:totalResults>\n'
                f'  <opensearch:startIndex xmlns:opensearch="{OPENSEARCH}">0</opensearch:startIndex>\n'
                f'  <opensearch:itemsPerPage xmlns:opensearch="{OPENSEARCH}">1</opensearch:itemsPerPage>\n'
                "  <entry>\n"
                f"    <id>http://arxiv.org/api/errors#incorrect_id_format_for_{escape(bad)}</id>\n"
                "    <title>Error</title>\n"
                f"    <summary>incorrect id format for {escape(bad)}</summary>\n"
                f"    <updated>{now}</updated>\n"
                f'    <link href="http://arxiv.org/api/errors#incorrect_id_format_for_{escape(bad)}" rel="alternate" type="text/html"/>\n'
                "    <author>\n      <name>arXiv api core</name>\n    </author>\n"
                "  </entry>\n</feed>\n"
            ).encode()
        return (
            "<?xml version='1.0' encoding='UTF-8'?>\n"
            f'<feed xmlns:opensearch="{OPENSEARCH}" xmlns:arxiv="{ARXIV_NS}" xmlns="{ATOM}">\n'
            "  <id>https://arxiv.org/</id>\n"
            "  <title>arXiv Search Results</title>\n"
            f"  <updated>{now}</updated>\n"
            "  <opensearch:itemsPerPage>1</opensearch:itemsPerPage>\n"
            "  <opensearch:totalResults>1</opensearch:totalResults>\n"
            "  <opensearch:startIndex>0</opensearch:startIndex>\n"
            "  <entry>\n"
            f"    <id>https://arxiv.org/api/errors#incorrect_id_format_for_{escape(bad)}</id>\n"
            "    <title>Error</title>\n"
            f"    <updated>{now}</updated>\n"
            f'    <link href="https://arxiv.org/api/errors#incorrect_id_format_for_{escape(bad)}" rel="alternate" type="text/html"/>\n'
            f"    <summary>incorrect id format for {escape(bad)}</summary>\n"
            "    <author>\n      <name>arXiv api core</name>\n    </author>\n"
            "  </entry>\n</feed>\n"
        ).encode()


def _wrap(text: str, width: int = 79) -> str:
    """Hard-wrap like the legacy feed's summaries."""
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return "\n".join(lines)


@pytest.fixture
def arxiv_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[ArxivServer]:
    """A running local arXiv; ``LOGBOOK_ARXIV_API_URL`` points the CLI at it."""
    server = ArxivServer()
    server.start()
    monkeypatch.setenv("LOGBOOK_ARXIV_API_URL", server.url)
    yield server
    server.stop()


def closed_port_url() -> str:
    """The URL of a port on 127.0.0.1 where nothing listens."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/api/query"


def later(text: str, days: int) -> str:
    """An Atom timestamp ``days`` after ``text``."""
    return (_time(text) + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")
