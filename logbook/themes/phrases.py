"""Text → key phrases: the words of a text, lemmatized simply, joined into 1–3 word phrases.

``phrases`` gives the candidate phrases of one text (the readable rule);
``logbook.themes.phrase_counts`` finds the same phrases over a whole corpus at once, with numpy.
It strips code, LaTeX, URLs, numbers and inline ``#tags``; splits phrases at punctuation and
stop words (sklearn's English list and generic research words); treats hyphens as spaces;
reduces plurals to the singular, so ``Scaling laws``, ``scaling-law`` and ``scaling law`` are
all ``scaling law``; keeps ``x of y`` together (``mixture of expert``); and never returns a
word too generic to stand alone (``model``), though such words live on inside phrases
(``language model``).
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from itertools import pairwise

from logbook.tags import INLINE_TAG

# ---------------------------------------------------------------------------------------------
# Words


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# scikit-learn's English stop words (sklearn.feature_extraction.text.ENGLISH_STOP_WORDS, from
# the Glasgow Information Retrieval Group), copied so that phrases need not import scikit-learn
# (0.8 s, most of it scipy.stats); a test checks the copy against scikit-learn's list.
SKLEARN_STOP_WORDS = _words(
    """
    a about above across after afterwards again against all almost alone along already also
    although always am among amongst amoungst amount an and another any anyhow anyone
    anything anyway anywhere are around as at back be became because become becomes
    becoming been before beforehand behind being below beside besides between beyond bill
    both bottom but by call can cannot cant co con could couldnt cry de describe detail do
    done down due during each eg eight either eleven else elsewhere empty enough etc even
    ever every everyone everything everywhere except few fifteen fifty fill find fire first
    five for former formerly forty found four from front full further get give go had has
    hasnt have he hence her here hereafter hereby herein hereupon hers herself him himself
    his how however hundred i ie if in inc indeed interest into is it its itself keep last
    latter latterly least less ltd made many may me meanwhile might mill mine more moreover
    most mostly move much must my myself name namely neither never nevertheless next nine
    no nobody none noone nor not nothing now nowhere of off often on once one only onto or
    other others otherwise our ours ourselves out over own part per perhaps please put
    rather re same see seem seemed seeming seems serious several she should show side since
    sincere six sixty so some somehow someone something sometime sometimes somewhere still
    such system take ten than that the their them themselves then thence there thereafter
    thereby therefore therein thereupon these they thick thin third this those though three
    through throughout thru thus to together too top toward towards twelve twenty two un
    under until up upon us very via was we well were what whatever when whence whenever
    where whereafter whereas whereby wherein whereupon wherever whether which while whither
    who whoever whole whom whose why will with within without would yet you your yours
    yourself yourselves
    """
)

# sklearn's English list holds a few words that are content in research text ("system",
# "side channel", "thin film"): those may appear inside phrases, never as a theme alone.
_CONTENT_IN_SKLEARN = _words(
    "system fire bill detail bottom front side thick thin empty full mill interest call part "
    "name move amount back top found"
)

# Words that end a phrase, on top of sklearn's English stop words.
RESEARCH_STOP_WORDS = _words(
    """
    paper work approach propose proposed proposes proposing show showed shown showing method
    methodology study result we our ours us novel new present presented presents introduce
    introduced introduces introducing demonstrate demonstrated demonstrates experiment
    experimental experimentally evaluate evaluated evaluates outperform outperforms
    outperformed achieve achieves achieved existing use uses using used usage based via idea
    maybe try tried trying think thinking thought todo note interesting like just really
    probably possibly actually need needs needed want wants look looking check checking read
    reading revisit revisited revisiting param params today yesterday tomorrow week day month year et al ie eg etc vs arxiv
    abstract title fig figure table section appendix equation eq sota art significant
    significantly recent recently various able can may provide provides provided allow allows
    allowed enable enables enabled lead leads make makes obtain obtained improve improves
    improved improving given respectively furthermore particular particularly specifically
    key main important crucial known widely remain remains typically usually second finally
    one previous previously compared comparison extensive extensively empirical empirically
    theoretical theoretically number set lot kind type variety range way lack term sort bunch
    couple instance order aim goal does did doing got get gets getting let lets thing stuff
    don doesn didn isn aren wasn weren won wouldn couldn shouldn ll ve re yes ok okay good
    great better best bad worse worst nice cool simple simply easy hard high low large small
    big little different same similar specific general overall whole still quite rather
    especially including include includes included consider considered considering
    according related regarding relevant recently current currently due possible potential
    potentially likely unlikely question questions open maybe per within across toward
    towards despite yet since although though whether either neither both each every
    find finds finding findings report reports reported describe described describes
    discuss discussed discusses explore explored explores exploring investigate investigated
    investigates investigating address addressed addresses analyze analyzed analyse analysed
    apply applied applies applying perform performed performs leverage leverages leveraged
    exploit exploits exploited extend extends extended existing prior state first last next
    """
)

# Words too broad to be a theme on their own, welcome inside a phrase ("language model").
GENERIC_WORDS = _CONTENT_IN_SKLEARN | _words(
    """
    model network learning data training task problem framework algorithm analysis theory
    function time deep neural feature input output performance accuracy quality process
    structure information value level scale size space step example case direction setting
    application technique strategy tool baseline benchmark dataset evaluation experiment
    improvement efficient effective efficiency state art approach paradigm mechanism
    property behavior behaviour effect impact role challenge issue solution source target
    loss error test train trained training inference prediction parameter architecture
    layer method methods framework component module objective optimal optimization
    computation computational cost memory speed fast slow robust robustness new simple
    based novel large small high low multiple single various domain field area world
    research researcher human people user community literature evidence insight insights
    understanding knowledge concept principle view perspective point form version variant
    self code bigger
    """
)

_IRREGULAR = {
    "matrices": "matrix",
    "indices": "index",
    "vertices": "vertex",
    "appendices": "appendix",
    "analyses": "analysis",
    "hypotheses": "hypothesis",
    "theses": "thesis",
    "syntheses": "synthesis",
    "diagnoses": "diagnosis",
    "biases": "bias",
    "lenses": "lens",
    "gases": "gas",
    "axes": "axis",
    "criteria": "criterion",
    "phenomena": "phenomenon",
    "corpora": "corpus",
    "children": "child",
    "mice": "mouse",
    "men": "man",
    "women": "woman",
    "feet": "foot",
    "teeth": "tooth",
    "series": "series",
    "species": "species",
    "news": "news",
    "chaos": "chaos",
    "cosmos": "cosmos",
    "ethos": "ethos",
    "bias": "bias",
    "atlas": "atlas",
    "alias": "alias",
    "canvas": "canvas",
    "pandas": "pandas",
    "lens": "lens",
}

# "-ics" words that are singular nouns: physics stays physics, metrics becomes metric.
_ICS_SINGULAR = (
    "physics",
    "dynamics",
    "statistics",
    "matics",
    "robotics",
    "linguistics",
    "ethics",
    "graphics",
    "economics",
    "omics",
    "optics",
    "onics",
    "mechanics",
    "semantics",
    "analytics",
    "acoustics",
    "logistics",
    "politics",
    "informatics",
)


def singular(word: str) -> str:
    """A lower-case word with a plain English plural reduced: ``laws`` → ``law``."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if len(word) <= 3 or not word.endswith("s"):
        return word
    if word.endswith(("ss", "us", "is", "ous")):
        return word
    if word.endswith("ics"):
        return word if word.endswith(_ICS_SINGULAR) else word[:-1]
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes", "zzes")):
        return word[:-2]
    return word[:-1]


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """Words that end a phrase: sklearn's English stop words and generic research words."""
    return (SKLEARN_STOP_WORDS - _CONTENT_IN_SKLEARN - {"of"}) | RESEARCH_STOP_WORDS


# ---------------------------------------------------------------------------------------------
# Text → phrases

_MARKUP = re.compile(
    r"```.*?```"  # fenced code
    r"|`[^`\n]*`"  # inline code
    r"|\$\$.*?\$\$|\$[^$\n]*\$"  # LaTeX math
    r"|\\\(.*?\\\)|\\\[.*?\\\]"
    r"|\\(?:cite[tp]?|eqref|ref|label|url|href|includegraphics)\*?\{[^}]*\}"  # reference args
    r"|\\[a-zA-Z]+\*?"  # other LaTeX commands (their arguments stay as text)
    r"|\b(?:https?|ftp)://\S+|\bwww\.\S+"  # URLs
    r"|\S+@\S+\.\w+",  # e-mail addresses
    re.DOTALL | re.IGNORECASE,
)
_MARKUP_SIGNS = ("`", "$", "\\", "://", "www.", "@")
_TOKEN = re.compile(r"\w+|[^\w\s]+")  # words, and runs of punctuation that end phrases
OF = "of"  # the one stop word kept inside a phrase: mixture of expert
_BREAK = "|"  # what a token that ends a phrase becomes (never a letter)
_LEMMAS: dict[str, str] = {}


def _lemma(token: str) -> str:
    """What a token is inside a phrase: its lemma, ``of``, or ``_BREAK`` when it ends one."""
    if not token.isalpha():
        return _BREAK  # punctuation, numbers, words with digits (gpt4)
    if len(token) < 2:
        return _BREAK
    if token == OF:
        return OF
    stops = stop_words()
    if token in stops:
        return _BREAK
    lemma = singular(token)
    if lemma in stops or len(lemma) < 2:
        return _BREAK
    return lemma


def clean_text(text: str) -> str:
    """The prose of a text: code, LaTeX, URLs and inline ``#tags`` removed, in lower case."""
    if "#" in text:
        text = INLINE_TAG.sub(" . ", text)
    if any(sign in text for sign in _MARKUP_SIGNS):
        text = _MARKUP.sub(" . ", text)
    return text.lower().replace("-", " ").replace("_", " ")


def phrases(text: str, surfaces: Counter[str] | None = None) -> set[str]:
    """The candidate key phrases of a text: 1–3 lemmas, and ``x of y``, never across a stop word.

    Words too generic to stand alone (``model``) appear only inside longer phrases.
    ``surfaces``, when given, counts the words as written (for labels).
    """
    tokens = _TOKEN.findall(clean_text(text))
    if surfaces is not None:
        surfaces.update(tokens)
    cache = _LEMMAS
    try:
        lemmas = [cache[token] for token in tokens]
    except KeyError:
        for token in tokens:
            if token not in cache:
                cache[token] = _lemma(token)
        lemmas = [cache[token] for token in tokens]
    found: set[str] = set()
    generic = GENERIC_WORDS
    for chunk in " ".join(lemmas).split(_BREAK):
        words = chunk.split()
        if not words:
            continue
        if OF not in words:
            _ngrams(words, found)
            continue
        runs: list[list[str]] = [[]]
        for word in words:
            if word == OF:
                runs.append([])
            else:
                runs[-1].append(word)
        for before, after in pairwise(runs):
            if before and after and not (before[-1] in generic and after[0] in generic):
                found.add(f"{before[-1]} of {after[0]}")
        for run in runs:
            _ngrams(run, found)
    found -= generic
    return found


def _ngrams(run: list[str], found: set[str]) -> None:
    found.update(run)
    if len(run) > 1:
        found.update(map(" ".join, pairwise(run)))
        if len(run) > 2:
            found.update(map(" ".join, zip(run, run[1:], run[2:], strict=False)))


def theme_key(name: str) -> str:
    """The form under which variants of a name are one theme: ``Scaling-Laws`` → ``scaling law``."""
    words = [singular(w) for w in re.split(r"[\s\-_/]+", name.strip().lstrip("#").lower()) if w]
    return " ".join(words)


def written_forms(surfaces: Counter[str]) -> dict[str, str]:
    """Each word's most written form (lemma → word), from the words ``phrases`` counted."""
    written: dict[str, str] = {}
    for token, _ in surfaces.most_common():  # most written first
        lemma = _LEMMAS.get(token, _BREAK)
        if lemma not in (_BREAK, OF):
            written.setdefault(lemma, token)
    return written
