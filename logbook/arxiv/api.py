"""The only door to arXiv: ids in, ``PaperMeta`` out.

Everything that touches the network or the ``arxiv`` and ``requests`` packages lives here,
and both are imported only when a fetch starts. What the export API does, and what we do:

* ids go in batches of at most 100 per request, ``max_results`` = the batch size, and the
  answer is matched to the request by versionless id (arXiv does not keep the order);
* one ``arxiv.Client`` per fetch, so its own pacing keeps ``delay_seconds`` between requests;
  its retry loop is switched off (``num_retries=0``) because it neither backs off nor knows
  that a 400 will fail again: we retry 429/5xx/timeouts/connection errors with backoff, and
  split a batch that got a 400 to find the id arXiv refused;
* the client's ``requests`` session is ours, so every request has a timeout (the package
  sends none) and we can read the body of an error answer;
* an id that does not exist comes back as an empty 200: "not found";
* a date the package cannot read fails its whole page, so such a batch is split like a 400
  until the entry is found; that paper, and one dated outside logbook's range, is rejected.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from logbook.arxiv_ids import ArxivId, parse_arxiv_id
from logbook.dates import range_problem
from logbook.errors import ArxivError
from logbook.store.paper_views import PaperMeta

BATCH_SIZE = 100
RETRIES = 3  # after the first try
TIMEOUT_SECONDS = 30.0
MAX_WAIT_SECONDS = 60.0
RETRY_STATUSES = (429, 500, 502, 503, 504)

_ERROR_SUMMARY = re.compile(r"incorrect id format for ([^<\s]+)", re.IGNORECASE)


@dataclass
class FetchResult:
    """What one fetch found: metadata by versionless id, and the ids it could not get."""

    papers: dict[str, PaperMeta] = field(default_factory=dict)
    not_found: list[str] = field(default_factory=list)  # as requested, e.g. 1706.03762v9
    rejected: dict[str, str] = field(default_factory=dict)  # as requested → arXiv's reason
    requests: int = 0


Progress = Callable[[int, int], None]


def fetch_papers(
    ids: Sequence[ArxivId],
    *,
    api_url: str,
    delay_seconds: float,
    timeout: float = TIMEOUT_SECONDS,
    retries: int = RETRIES,
    progress: Progress | None = None,
) -> FetchResult:
    """Fetch the metadata of ``ids`` (versioned ids ask for that version).

    ``progress(done, total)`` is called before the first request and after each batch.
    Raises ``ArxivError`` (one line) when arXiv cannot be reached or keeps failing.
    """
    wanted: dict[str, ArxivId] = {}
    for ident in ids:
        wanted.setdefault(ident.id, ident)
    todo = list(wanted.values())
    result = FetchResult()
    if not todo:
        return result
    fetcher = _Fetcher(api_url, delay_seconds, timeout, retries, result)
    if progress:
        progress(0, len(todo))
    for start in range(0, len(todo), BATCH_SIZE):
        batch = todo[start : start + BATCH_SIZE]
        fetcher.fetch(batch)
        if progress:
            progress(min(start + BATCH_SIZE, len(todo)), len(todo))
    return result


def to_meta(entry: Any) -> PaperMeta | None:
    """A ``PaperMeta`` from an ``arxiv.Result``; ``None`` if its id is not an arXiv id."""
    parsed = parse_arxiv_id(entry.entry_id)
    if parsed is None:
        return None
    categories = [c for c in entry.categories if c]
    return PaperMeta(
        arxiv_id=parsed.id,
        version=parsed.version or 1,
        title=" ".join((entry.title or "").split()),
        authors=[" ".join(a.name.split()) for a in entry.authors if a.name.strip()],
        abstract=" ".join((entry.summary or "").split()),
        categories=categories,
        primary_category=entry.primary_category or (categories[0] if categories else None),
        published=entry.published,
        updated=entry.updated,
        doi=(entry.doi or "").strip() or None,
        journal_ref=" ".join((entry.journal_ref or "").split()) or None,
        comment=" ".join((entry.comment or "").split()) or None,
        pdf_url=entry.pdf_url or None,
    )


def date_problem(meta: PaperMeta) -> str | None:
    """Why the dates arXiv gave a paper cannot be stored, or ``None`` when they can."""
    for name, moment in (("published", meta.published), ("updated", meta.updated)):
        problem = range_problem(moment) if moment else None
        if moment and problem:
            return f"arXiv gives it the {name} date {moment.date().isoformat()}, which {problem}"
    return None


class _BadDate(Exception):
    """The package could not read a date in arXiv's answer (it fails the whole page)."""


class _BadRequest(Exception):
    """arXiv answered 400; ``culprit`` is the id its error entry names, if any."""

    def __init__(self, culprit: str | None, message: str) -> None:
        super().__init__(message)
        self.culprit = culprit
        self.message = message


def _session(timeout: float) -> Any:
    """A requests session that gives every request a timeout and keeps the last response."""
    import requests

    class Session(requests.Session):
        last: Any = None
        count = 0

        def request(self, method: Any, url: Any, *args: Any, **kwargs: Any) -> Any:
            kwargs.setdefault("timeout", timeout)
            self.last = None
            self.count += 1
            response = super().request(method, url, *args, **kwargs)
            self.last = response
            return response

    return Session()


class _Fetcher:
    """One arXiv client for one run, with our retry and 400 handling around it."""

    def __init__(
        self, api_url: str, delay: float, timeout: float, retries: int, result: FetchResult
    ) -> None:
        import logging

        import arxiv

        # The package logs warnings (skipped error entries, malformed feeds) that would reach
        # stderr through logging's last-resort handler; what matters is reported by us.
        logging.getLogger("arxiv").addHandler(logging.NullHandler())
        self.api_url = api_url
        self.delay = delay
        self.timeout = timeout
        self.retries = retries
        self.result = result
        self.client = arxiv.Client(page_size=BATCH_SIZE, delay_seconds=delay, num_retries=0)
        # query_url_format is the package's documented way to point it at another endpoint.
        base = api_url.replace("{", "{{").replace("}", "}}")
        self.client.query_url_format = base + ("&{}" if "?" in base else "?{}")
        self.session = _session(timeout)
        self.client._session = self.session

    def fetch(self, batch: list[ArxivId]) -> None:
        """Fetch one batch, splitting it when arXiv refuses it with a 400."""
        try:
            entries = self._request([str(i) for i in batch])
        except _BadDate as bad:
            if len(batch) == 1:
                self.result.rejected[str(batch[0])] = f"arXiv sent a date it cannot read ({bad})"
            else:
                middle = len(batch) // 2
                self.fetch(batch[:middle])
                self.fetch(batch[middle:])
            return
        except _BadRequest as bad:
            culprit = next(
                (i for i in batch if bad.culprit and bad.culprit in (str(i), i.id)), None
            )
            if culprit is not None:
                self.result.rejected[str(culprit)] = bad.message
                rest = [i for i in batch if i is not culprit]
                if rest:
                    self.fetch(rest)
            elif len(batch) == 1:
                self.result.rejected[str(batch[0])] = bad.message
            else:
                middle = len(batch) // 2
                self.fetch(batch[:middle])
                self.fetch(batch[middle:])
            return
        wanted = {i.id: i for i in batch}
        for entry in entries:
            meta = to_meta(entry)
            if meta is None or meta.arxiv_id not in wanted:
                continue
            problem = date_problem(meta)
            if problem:
                self.result.rejected[str(wanted[meta.arxiv_id])] = problem
            else:
                self.result.papers[meta.arxiv_id] = meta
        self.result.not_found.extend(
            str(i)
            for i in batch
            if i.id not in self.result.papers and str(i) not in self.result.rejected
        )

    def _request(self, id_list: list[str]) -> list[Any]:
        import arxiv
        import requests

        search = arxiv.Search(id_list=id_list, max_results=len(id_list))
        self.client.page_size = len(id_list)
        attempt = 0
        while True:
            try:
                entries = list(self.client.results(search))
                self._check_feed()
                return entries
            except arxiv.HTTPError as error:
                if error.status == 400:
                    raise self._bad_request() from None
                if error.status not in RETRY_STATUSES:
                    raise ArxivError(
                        f"arXiv answered HTTP {error.status} at {self.api_url}"
                    ) from None
                reason = f"HTTP {error.status}"
            except arxiv.UnexpectedEmptyPageError:
                reason = "an empty page"
            except (ValueError, OverflowError) as error:
                # Raised by the package's feed parser (datetime.fromisoformat on a
                # <published> or <updated>): retrying would read the same text again.
                raise _BadDate(str(error)) from None
            except requests.exceptions.Timeout:
                reason = f"no answer within {self.timeout:g} s"
            except requests.exceptions.ConnectionError as error:
                reason = _connection_reason(error)
                if _offline(error):
                    # No network at all: waiting and retrying would only delay the same answer.
                    raise ArxivError(
                        f"arXiv could not be reached at {self.api_url} ({reason})"
                    ) from None
            except requests.exceptions.RequestException as error:
                raise ArxivError(f"arXiv could not be reached at {self.api_url}: {error}") from None
            finally:
                self.result.requests = self.session.count  # every HTTP request, pages too
            if attempt >= self.retries:
                raise ArxivError(
                    f"arXiv could not be reached at {self.api_url} "
                    f"({reason}; tried {attempt + 1} times); try again later"
                )
            time.sleep(self._wait(attempt))
            attempt += 1

    def _wait(self, attempt: int) -> float:
        """Seconds before retry ``attempt``: the server's Retry-After, or doubling delays."""
        wait = self.delay * 2**attempt
        response = self.session.last
        if response is not None:
            header = response.headers.get("Retry-After", "")
            if header.strip().isdigit():
                wait = max(wait, float(header))
        return min(wait, MAX_WAIT_SECONDS)

    def _check_feed(self) -> None:
        response = self.session.last
        if response is not None and b"http://www.w3.org/2005/Atom" not in response.content:
            raise ArxivError(
                f"{self.api_url} did not answer with an arXiv feed; check arxiv.api_url"
            )

    def _bad_request(self) -> _BadRequest:
        body = ""
        if self.session.last is not None:
            body = self.session.last.content.decode("utf-8", "replace")
        found = _ERROR_SUMMARY.search(body)
        if found:
            return _BadRequest(found.group(1), f"arXiv: incorrect id format for {found.group(1)}")
        return _BadRequest(None, "arXiv refused this id (HTTP 400)")


def _offline(error: Exception) -> bool:
    text = str(error)
    return any(
        sign in text
        for sign in (
            "Name or service not known",
            "nodename nor servname",
            "Temporary failure in name resolution",
            "Network is unreachable",
        )
    )


def _connection_reason(error: Exception) -> str:
    text = str(error)
    if (
        "Name or service not known" in text
        or "nodename nor servname" in text
        or ("Temporary failure in name resolution" in text)
    ):
        return "the host name could not be resolved; are you offline?"
    if "Network is unreachable" in text:
        return "the network is unreachable; are you offline?"
    if "refused" in text.lower():
        return "connection refused"
    return "connection failed"
