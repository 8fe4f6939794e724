"""``logbook reading-list``: markdown grouped by tag, BibTeX a parser reads back, JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from pybtex.database import parse_string
from pybtex.richtext import Text
from test_papers import meta

from logbook.store import Store
from logbook.sync.bibtex import bib_authors, bib_name, tex_text, tex_title
from logbook.sync.reading_list import authors_line

# Every test here runs on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.backends

TRICKY = [
    meta(),
    meta(
        "2609.28752",
        1,
        title="Inclusive $B$ decays, lifetimes, and $|V_{cb}|$: a unified heavy-quark expansion analysis",
        authors=["Matteo Fael", "Ilija S. Milutin", "Markus Prim", "K. Keri Vos"],
        categories=["hep-ph", "hep-ex"],
        primary_category="hep-ph",
        published=datetime(2026, 9, 23, tzinfo=UTC),
    ),
    meta(
        "2302.03287",
        3,
        title="ChatGPT and Software Testing Education: Promises & Perils at 100% {braces} #1 of_2 ~ ^",
        authors=[
            "Sajed Jalil",
            "Dirk Wübben",
            "José Raúl Romero",
            "Søren Ørsted",
            "Michael Krämer",
        ],
        categories=["cs.SE"],
        primary_category="cs.SE",
        published=datetime(2023, 2, 7, tzinfo=UTC),
        doi="10.1109/ICSTW58534.2023.00078",
        journal_ref="Proc. ICSTW & friends, 50% off",
    ),
    meta(
        "hep-th/9901001",
        1,
        title="Back\\slash and a lone { brace and $unbalanced { math$",
        authors=["Edward Witten", "The ATLAS Collaboration", "Research and Development Team"],
        categories=["hep-th"],
        primary_category="hep-th",
        published=datetime(1999, 1, 4, tzinfo=UTC),
    ),
]


@pytest.fixture
def listed(store: Store) -> Store:
    store.papers.save(TRICKY)
    return store


def decode(value: str) -> str:
    """Read a BibTeX field back to plain text the way a LaTeX-aware parser does."""
    for tex, char in (
        (r"\textbraceleft{}", "\ue000"),
        (r"\textbraceright{}", "\ue001"),
        (r"\textasciicircum{}", "\ue002"),
        (r"\$", "\ue003"),
    ):
        value = value.replace(tex, char)
    plain = Text.from_latex(value).render_as("text")
    for char, original in (("\ue000", "{"), ("\ue001", "}"), ("\ue002", "^"), ("\ue003", "$")):
        plain = plain.replace(char, original)
    return plain


def test_bibtex_is_read_back_by_a_parser_entry_for_entry(cli, listed):
    text = cli("reading-list", "--format", "bibtex").stdout
    database = parse_string(text, "bibtex")  # strict: raises on any syntax error
    assert list(database.entries) == [
        "vaswani2017attention",
        "fael2026inclusive",
        "jalil2023chatgpt",
        "witten1999backslash",
    ]
    vaswani = database.entries["vaswani2017attention"]
    assert vaswani.type == "misc"
    assert vaswani.fields["eprint"] == "1706.03762"
    assert vaswani.fields["archivePrefix"] == "arXiv"
    assert vaswani.fields["primaryClass"] == "cs.CL"
    assert vaswani.fields["year"] == "2017"
    assert vaswani.fields["url"] == "https://arxiv.org/abs/1706.03762"
    assert [str(p) for p in vaswani.persons["author"]][:2] == ["Vaswani, Ashish", "Shazeer, Noam"]
    jalil = database.entries["jalil2023chatgpt"]
    assert jalil.fields["doi"] == "10.1109/ICSTW58534.2023.00078"
    assert decode(jalil.fields["title"]) == TRICKY[2].title
    assert jalil.type == "article"  # it has a journal reference
    assert decode(jalil.fields["journal"]) == "Proc. ICSTW & friends, 50% off"
    assert jalil.fields["eprint"] == "2302.03287"
    assert [decode(str(p)) for p in jalil.persons["author"]] == [
        "Jalil, Sajed",
        "Wübben, Dirk",
        "Romero, José Raúl",
        "Ørsted, Søren",
        "Krämer, Michael",
    ]
    assert "&" not in jalil.fields["title"].replace(r"\&", "")
    assert "%" not in jalil.fields["title"].replace(r"\%", "")
    witten = database.entries["witten1999backslash"]
    assert decode(witten.fields["title"]) == TRICKY[3].title
    # group names stay one author each
    assert len(witten.persons["author"]) == 3
    assert str(witten.persons["author"][2]) == "{Research and Development Team}"
    # maths whose braces balance stays LaTeX, as arXiv wrote it
    assert "$|V_{cb}|$" in database.entries["fael2026inclusive"].fields["title"]
    assert text.isascii()


@pytest.mark.store_free
@settings(max_examples=100, deadline=None)
# TeX ligatures (--, '' and ,,) are left out: arXiv titles are TeX, where they are dashes and quotes
@given(st.text(alphabet=st.sampled_from(list('ab Z09&%{}#_$~^\\üéçšåøæßłŁØÅ".:')), max_size=40))
def test_any_title_survives_bibtex_and_back(title):
    entry = "@misc{k,\n  title = {" + tex_text(title) + "}\n}\n"
    parsed = parse_string(entry, "bibtex").entries["k"].fields["title"]
    if "$" in title:  # maths may be kept as written; what matters is that it parses
        return
    assert decode(parsed) == " ".join(title.split())


# ASCII text takes a shorter road through the BibTeX escapes; an accent sends it down the
# general one. Both must write the ASCII part the same way.
ascii_text = st.text(alphabet=st.sampled_from(list("aZbY iPhoneXL GPT4o-ray  \t\n&%{}#_$~^\\.:(")), max_size=30)  # fmt: skip


@pytest.mark.store_free
@settings(max_examples=300, deadline=None)
@given(ascii_text)
@example("Spaces  to  tidy")
@example(" iPhone and BERT, a Large N X-ray of GPT4o")
def test_an_accent_elsewhere_does_not_change_how_ascii_text_is_escaped(text):
    assume("$" not in text)  # maths would pair its dollars across the two parts
    space = " " if text.split() else ""
    assert tex_title(text + " é") == tex_title(text) + space + "{\\'e}"
    assert tex_text(text + " é") == tex_text(text) + space + "{\\'e}"


@pytest.mark.store_free
@settings(max_examples=300, deadline=None)
@given(st.lists(ascii_text | st.sampled_from(["The ATLAS Collaboration", "Ørsted", "Alexander"]), max_size=5))  # fmt: skip
def test_the_author_field_is_each_name_written_for_bibtex_joined_by_and(names):
    assert bib_authors(names) == " and ".join(bib_name(name) for name in names)


def test_markdown_is_grouped_by_tag_with_et_al_year_and_link(cli, listed):
    cli("paper", "tag", "1", "transformers")
    cli("paper", "tag", "3", "transformers", "education")
    text = cli("reading-list").stdout
    assert text == (
        "## education\n\n"
        "- [ChatGPT and Software Testing Education: Promises & Perils at 100% {braces} #1 of_2 ~ ^]"
        "(https://arxiv.org/abs/2302.03287) — Sajed Jalil, Dirk Wübben, José Raúl Romero et al. (2023)\n\n"
        "## transformers\n\n"
        "- [Attention Is All You Need](https://arxiv.org/abs/1706.03762) — "
        "Ashish Vaswani, Noam Shazeer, Niki Parmar et al. (2017)\n"
        "- [ChatGPT and Software Testing Education: Promises & Perils at 100% {braces} #1 of_2 ~ ^]"
        "(https://arxiv.org/abs/2302.03287) — Sajed Jalil, Dirk Wübben, José Raúl Romero et al. (2023)\n\n"
        "## Other papers\n\n"
        "- [Inclusive $B$ decays, lifetimes, and $|V_{cb}|$: a unified heavy-quark expansion analysis]"
        "(https://arxiv.org/abs/2609.28752) — Matteo Fael, Ilija S. Milutin, Markus Prim et al. (2026)\n"
        "- [Back\\slash and a lone { brace and $unbalanced { math$](https://arxiv.org/abs/hep-th/9901001)"
        " — Edward Witten, The ATLAS Collaboration and Research and Development Team (1999)\n"
    )


def test_markdown_without_tags_is_a_flat_list_and_tag_filter_keeps_one_group(cli, listed):
    flat = cli("reading-list", "--status", "to-read").stdout.splitlines()
    assert len(flat) == 4 and all(line.startswith("- [") for line in flat)
    cli("paper", "tag", "1", "transformers")
    cli("paper", "tag", "2", "physics")
    only = cli("reading-list", "--tag", "transformers").stdout
    assert only.startswith("## transformers\n\n- [Attention Is All You Need]")
    assert "physics" not in only and "Inclusive" not in only


def test_status_filter_and_withdrawn_mark(cli, listed, store):
    cli("paper", "status", "1", "read")
    assert "Attention" not in cli("reading-list", "--status", "to-read").stdout
    withdrawn = meta("hep-th/9901001", 2, comment="This paper has been withdrawn")
    withdrawn.title, withdrawn.authors = TRICKY[3].title, TRICKY[3].authors
    withdrawn.published = TRICKY[3].published
    store.papers.save([withdrawn])
    assert "Development Team (1999) *(withdrawn)*" in cli("reading-list").stdout


def test_json_format_is_the_paper_json(cli, listed):
    data = json.loads(cli("reading-list", "--format", "json").stdout)
    assert [p["cite_key"] for p in data][:1] == ["vaswani2017attention"]
    assert data == cli("reading-list", "--json").json()
    assert data[0]["abs_url"] == "https://arxiv.org/abs/1706.03762"


def test_output_file_and_unknown_format(cli, listed, tmp_path):
    target = tmp_path / "refs.bib"
    cli("reading-list", "-F", "bibtex", "-o", str(target))
    assert len(parse_string(target.read_text(encoding="utf-8"), "bibtex").entries) == 4
    bad = cli("reading-list", "--format", "docx", ok=False)
    assert bad.exit_code == 2 and "unknown format" in bad.stderr


def test_empty_reading_list_says_so(cli, store):
    run = cli("reading-list")
    assert run.stdout == "" and "no papers match" in run.stderr


def test_papers_without_a_cite_key_get_one_that_then_stays(cli, listed, store):
    from sqlalchemy import text

    with store._write() as session:
        session.execute(text("UPDATE paper SET cite_key = NULL WHERE arxiv_id = '2302.03287'"))
    keys = list(parse_string(cli("reading-list", "-F", "bibtex").stdout, "bibtex").entries)
    assert "jalil2023chatgpt" in keys
    assert store.papers.get("2302.03287").cite_key == "jalil2023chatgpt"


@pytest.mark.store_free
@pytest.mark.parametrize(
    "authors, line",
    [
        ([], ""),
        (["A"], "A"),
        (["A", "B"], "A and B"),
        (["A", "B", "C"], "A, B and C"),
        (["A", "B", "C", "D"], "A, B, C et al."),
    ],
)
def test_authors_line_uses_et_al_after_three(authors, line):
    assert authors_line(authors) == line


# -- BibTeX that reference managers take as is ---------------------------------------------

CASED = [
    meta(
        "1810.04805",
        2,
        title="BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding",
        authors=["Jacob Devlin", "Ming-Wei Chang"],
        abstract="We introduce a new language representation model called BERT & more.",
        categories=["cs.CL"],
        primary_category="cs.CL",
        published=datetime(2018, 10, 11, tzinfo=UTC),
    ),
    meta(
        "1901.02860",
        3,
        title="Transformer-XL: Attentive Language Models Beyond a Fixed-Length Context",
        authors=["Zihang Dai"],
        categories=["cs.LG"],
        primary_category="cs.LG",
        published=datetime(2019, 1, 9, tzinfo=UTC),
        journal_ref="ACL 2019",
        doi="10.18653/v1/P19-1285",
    ),
    meta(
        "2001.00001",
        1,
        title="Large N limits of $SU(N)$ gauge theories and the X-ray sky",
        authors=["Ann Example"],
        categories=["hep-th"],
        primary_category="hep-th",
        published=datetime(2020, 1, 1, tzinfo=UTC),
    ),
]


@pytest.fixture
def cased(store: Store) -> Store:
    store.papers.save(CASED)
    return store


def _plain_style(text: str) -> dict[str, str]:
    """Each entry as pybtex's ``plain`` style renders it, as text, by cite key."""
    from pybtex.plugin import find_plugin

    database = parse_string(text, "bibtex")
    style = find_plugin("pybtex.style.formatting", "plain")()
    return {
        e.key: e.text.render_as("text") for e in style.format_entries(database.entries.values())
    }


def test_bibtex_titles_keep_their_capitals_under_the_plain_style(cli, cased):
    text = cli("reading-list", "--format", "bibtex").stdout
    assert "title = {{BERT}: Pre-training" in text
    assert "title = {Transformer-{XL}: Attentive" in text
    rendered = _plain_style(text)
    assert "BERT: pre-training of deep bidirectional transformers" in rendered["devlin2018bert"]
    assert "Transformer-XL: attentive language models" in rendered["dai2019transformer"]
    assert (
        "Large N limits of $SU(N)$ gauge theories and the X-ray sky" in rendered["example2020large"]
    )


def test_bibtex_has_abstract_keywords_month_and_article_or_misc(cli, cased):
    cli("paper", "tag", "1810.04805", "language-models", "pretraining")
    database = parse_string(cli("reading-list", "--format", "bibtex").stdout, "bibtex")
    bert = database.entries["devlin2018bert"]
    assert bert.type == "misc"
    assert (bert.fields["eprint"], bert.fields["archivePrefix"], bert.fields["primaryClass"]) == (
        "1810.04805",
        "arXiv",
        "cs.CL",
    )
    assert bert.fields["month"] == "October"  # the jan…dec macro
    assert decode(bert.fields["abstract"]) == CASED[0].abstract
    assert bert.fields["keywords"] == "language-models, pretraining"
    xl = database.entries["dai2019transformer"]
    assert xl.type == "article"
    assert xl.fields["journal"] == "ACL 2019" and xl.fields["doi"] == "10.18653/v1/P19-1285"
    assert xl.fields["eprint"] == "1901.02860"  # the preprint stays findable


def test_every_bibtex_entry_round_trips_through_pybtex_and_bibtexparser(cli, listed):
    bibtexparser = pytest.importorskip("bibtexparser")
    listed.papers.save(CASED)
    text = cli("reading-list", "--format", "bibtex").stdout
    first = parse_string(text, "bibtex")
    parser = bibtexparser.bparser.BibTexParser(common_strings=True)
    second = bibtexparser.loads(text, parser=parser)
    assert [e["ID"] for e in second.entries] == list(first.entries)
    assert len(first.entries) == 7
    for parsed in second.entries:
        entry = first.entries[parsed["ID"]]
        assert parsed["ENTRYTYPE"] == entry.type
        # both parsers read every field the same way (bibtexparser's keys are lower case)
        fields = {k.lower(): v for k, v in entry.fields.items()}
        assert {k: v for k, v in parsed.items() if k not in ("ID", "ENTRYTYPE", "author")} == {
            k: v for k, v in fields.items() if k != "author"
        }


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--status", "to-read"],
        ["--tag", "transformers"],
        ["--tag", "transformers", "--tag", "physics"],
        ["--tag", "cs.lg"],  # a category tag: it filters, but only user tags make headings
        ["--tag", "nothing-has-it"],
    ],
)
def test_the_streamed_list_is_the_text_of_all_papers_rendered_at_once(cli, listed, store, args):
    from logbook.sync.reading_list import render

    cli("paper", "tag", "1", "transformers", "zeta")
    cli("paper", "tag", "3", "transformers", "education", "élan")
    cli("paper", "tag", "2", "physics")
    cli("paper", "status", "2", "read")
    statuses = [args[1]] if args[:1] == ["--status"] else None
    tags = [a for n, a in enumerate(args) if n % 2 and args[n - 1] == "--tag"] or None
    papers = store.papers.find(statuses=statuses, tags=tags)
    for fmt in ("markdown", "bibtex"):
        streamed = cli("reading-list", "--format", fmt, *args).stdout
        assert streamed == render(papers, fmt, tags=tags or [])
    as_json = cli("reading-list", "--format", "json", *args).stdout
    assert as_json == json.dumps([p.to_dict() for p in papers], ensure_ascii=False, indent=2) + "\n"
