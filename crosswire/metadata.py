"""From a raw file to an `articles` row: HTML extraction, cleaning, and metadata.

Precedence for every field: the sidecar (what a person said) over the page's own
metadata (trafilatura) over what the cleaner found in the text.
"""
from __future__ import annotations

import hashlib
import re
import threading
import tomllib
import unicodedata
from datetime import datetime
from pathlib import Path

from schemas.articles import text_sha256

from . import clean, datelines, liveblog, pagedata, urls, visibledates
from .datafiles import read_toml
from .ingest import PUBLISHED_YEARS, RawArticle, Rejected, parse_timestamp
from .sources import Source

_EXTRACTION = (Path(__file__).parent / "data" / "extraction.toml").read_text(encoding="utf-8")
# the data file is part of the stage: editing it reprocesses the articles
STAGE_VERSION = "metadata-7+" + hashlib.sha256(_EXTRACTION.encode()).hexdigest()[:12]
MIN_WORDS = 20  # below this a page has no article in it
PRECISE_MIN_SHARE: float = tomllib.loads(_EXTRACTION)["precise_min_share"]


_DEK_MAX_WORDS = read_toml("metadata.toml")["dateline"]["dek_max_words"]
_PUBLISHED_META = read_toml("metadata.toml")["published"]["meta"]
_LEDE_OVERLAP = read_toml("metadata.toml")["standfirst"]["lede_overlap"]
# a page's line under the headline says what it is in its class ("sub-headline", "dek", "standfirst")
_DEK_CLASS = re.compile(r"sub-?head|sub-?title|sub-?line|\bdek\b|standfirst|strap|summary|excerpt|intro|description",
                        re.I)
# ... or that it is the byline, the date or the site's furniture (AEB pages: "article__meta", "byline", "brand")
_NOT_DEK_CLASS = re.compile(r"byline|author|meta|date|time|brand|masthead|breadcrumb|credit", re.I)


def dateline(text: str) -> tuple[str | None, str | None]:
    """(place, agency) of the dateline that opens a story (crosswire.datelines: the styles
    read), or (None, None). The dateline stays in the text: statement offsets index the text
    as published."""
    d = datelines.match(text, story=True)
    if d is None:  # after a dek the cleaner left in the body ("A summit with no deal.\n\nANCHORAGE — ...")
        second = text.find("\n\n")
        if 0 < second and clean.words(text[:second]) <= _DEK_MAX_WORDS:
            d = datelines.match(text, second + 2)
    if d is None or d.place is None:  # none, or a label ("BREAKING —")
        return None, None
    return unicodedata.normalize("NFC", d.place), d.agency and unicodedata.normalize("NFC", d.agency)


def article_id(source_id: str, raw_sha256: str) -> str:
    """From the outlet and the content: the same text at two outlets (wire copy republished)
    is two articles; the same file twice at one outlet is one (ingest rejects the second)."""
    return "art_" + hashlib.sha256(f"{source_id}\x00{raw_sha256}".encode()).hexdigest()[:16]


# trafilatura parses every page with one lxml parser of its module (trafilatura.utils.HTML_PARSER),
# and an lxml parser must not be used by two threads at once: the articles tasks run in
# threads, and two pages parsed together crashed the process now and then (glibc's
# "free(): invalid pointer", an abort that took the whole run down). One call at a time.
_TRAFILATURA = threading.Lock()


def _one_at_a_time(fn, *args, **kwargs):
    with _TRAFILATURA:
        return fn(*args, **kwargs)


def extract_html(html: str) -> tuple[str, dict, list[str], list[str]]:
    """Main text (paragraphs separated by blank lines), page metadata (trafilatura's, with
    the instant the page states in its structured data as `date`), figure captions, and
    the lines of trafilatura's default extraction that the precise one left out (for
    `removed`: everything taken out is listed)."""
    import trafilatura

    # tables are kept, as text (one row a line, cells between |)
    doc = _one_at_a_time(
        trafilatura.bare_extraction,
        html, with_metadata=True, include_comments=False, include_tables=True, favor_precision=True,
        date_extraction_params={"outputformat": "%Y-%m-%dT%H:%M:%S%z", "original_date": True},
    )
    if doc is None:
        raise Rejected("HTML page with no article text in it")
    meta = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    text = meta.get("text") or ""
    default = _one_at_a_time(trafilatura.bare_extraction, html, include_comments=False, include_tables=True)
    default_text = (default.text if default is not None else None) or ""
    tree = _parse(html)
    if tree is not None and liveblog.is_live_blog(tree):
        # the precise pass keeps a live blog's first entry only: each entry on its own, or,
        # where the entries are not <article> elements, the default pass
        entries = liveblog.entries(tree)
        live = "\n".join(_entry_text(e) for e in entries) if entries else default_text
        if clean.words(live) > clean.words(text):
            text = live
    elif clean.words(text) < PRECISE_MIN_SHARE * clean.words(default_text):
        text = default_text  # the precise extraction lost the article
    kept = {ln.strip() for ln in text.split("\n")}
    dropped = [clean.normalize(ln).strip() for ln in default_text.split("\n") if ln.strip() and ln.strip() not in kept]
    text = "\n\n".join(ln for ln in text.split("\n") if ln.strip())
    captions = [" ".join(fc.text_content().split()) for fc in tree.iter("figcaption")] if tree is not None else []
    h1 = next(tree.iter("h1"), None) if tree is not None else None
    meta["h1"] = " ".join(h1.text_content().split()) if h1 is not None else None
    meta["dek"] = _under_headline(h1) if h1 is not None else None
    if tree is not None:  # the page's own instant, before trafilatura's often date-only guess
        stated = [v for v in pagedata.published(tree, _PUBLISHED_META) if _page_time(v)]
        meta["date"] = stated[0] if stated else meta.get("date")
    return text, meta, [c for c in captions if c], dropped


def _under_headline(h1) -> str | None:
    """The line a page prints right under its <h1>, when it is a subheading or a paragraph or
    its class says it is a dek: a standfirst trafilatura's main text leaves out."""
    nxt = h1.getnext()
    while nxt is not None and not isinstance(nxt.tag, str):  # a comment
        nxt = nxt.getnext()
    kind = nxt.get("class") or "" if nxt is not None else ""
    if nxt is None or not (nxt.tag == "h2" or _DEK_CLASS.search(kind)) or _NOT_DEK_CLASS.search(kind):
        return None
    first = nxt.find(".//p")  # a dek's paragraph, not the list of links some put under it
    text = " ".join((first if first is not None else nxt).text_content().split())
    # a byline, a date or a story's dateline in a dek's place is none ("By Jo Lee Monday, Nov 18, 2019")
    if re.match(r"(?i:by)\b", text) or visibledates.read(text) or datelines.match(text) \
            or clean.credited_names(text) is not None:
        return None
    return text if 6 <= clean.words(text) <= 60 else None


def _parse(html: str):
    """The page as an lxml tree, or None: captions and structured data are a bonus, and a
    page lxml cannot parse still has the text trafilatura found."""
    from lxml import html as lxml_html

    try:  # the bytes are UTF-8 whatever charset the page declares: read them so
        return lxml_html.fromstring(html.encode("utf-8"), parser=lxml_html.HTMLParser(encoding="utf-8"))
    except Exception:
        return None


def _entry_text(entry) -> str:
    """One live-blog entry extracted on its own, as the precise pass reads an article page:
    its headline and paragraphs, without its time stamp, share and "copy link" buttons."""
    import trafilatura
    from lxml import html as lxml_html

    page = "<html><body>" + lxml_html.tostring(entry, encoding="unicode") + "</body></html>"
    return _one_at_a_time(trafilatura.extract, page, include_comments=False, include_tables=True,
                          favor_precision=True) or ""


def detect_language(text: str, fallback: str) -> str:
    """py3langid over the body; short texts keep the outlet's language."""
    if clean.words(text) < 10:
        return fallback
    import py3langid

    lang, _ = py3langid.classify(text)
    return lang


def _page_time(value: str | None) -> datetime | None:
    if not value:
        return None
    value = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", value.strip())
    try:
        when = parse_timestamp(value, "page date")
    except Rejected:
        return None  # a date on the page we cannot read is not a reason to lose the article
    low, high = PUBLISHED_YEARS  # outside: a CMS's "no date" ("0001-01-01T00:00:00Z"), which readers cannot hold
    return when if low <= when.year <= high else None


def _printed_time(value: str | None) -> datetime | None:
    """The date line the cleaner found under the headline: an ISO instant with its zone, or a
    date as printed ("Sat 16 Aug 2025 11.02 BST"; crosswire.visibledates: with no zone, the
    day alone, as an ISO time without one is no instant either)."""
    if value and pagedata.INSTANT.match(value.strip()):
        return _page_time(value)
    when = visibledates.read(value)
    low, high = PUBLISHED_YEARS
    return when if when and low <= when.year <= high else None


def build_article(raw: RawArticle, source: Source) -> dict:
    """One `articles` row (event_id still empty), or Rejected."""
    side = raw.sidecar
    page: dict = {}
    captions: list[str] = []
    extraction_dropped: list[str] = []
    if raw.format == "html":
        body, page, captions, extraction_dropped = extract_html(raw.content)
        page_title = without_site_name((page.get("title") or "").strip(),
                                       [source.name, page.get("sitename") or ""], page.get("h1"))
        if page_title and clean.not_a_title(page_title, source.rules):
            page_title = ""  # "403 Forbidden", "Play Live Radio": not this page's headline
        cleaned = clean.clean_text(body, source.rules, title=side.get("title") or page_title)
        if not cleaned.title and cleaned.text:
            # no <title> or og:title: the first paragraph is the headline, as in a text file
            cleaned = clean.clean_text(body, source.rules)
    else:
        cleaned = clean.clean_text(raw.content, source.rules, title=side.get("title"))
    if clean.words(cleaned.text) < MIN_WORDS:
        raise Rejected(f"no article text found ({clean.words(cleaned.text)} words after cleaning)")

    standfirst = cleaned.standfirst
    text = cleaned.text
    dek = clean.normalize(page.get("dek") or "").strip()
    first, _, rest = text.partition("\n\n")
    if standfirst is None and dek and first == dek and clean.words(rest) >= MIN_WORDS:
        standfirst, text = dek, rest  # the line under the <h1>, which the extraction took for the story's first
    sites = [source.name, page.get("sitename") or ""]
    for line in (dek, page.get("description")):  # what the page shows first
        if standfirst is None and line and is_standfirst(clean.normalize(line).strip(), text, sites):
            standfirst = clean.normalize(line).strip()
    authors = side.get("authors") or _split_authors(page.get("author")) or cleaned.authors
    published = side.get("published") or _page_time(page.get("date")) or _printed_time(cleaned.published)
    place, agency = dateline(text)
    return {
        "article_id": article_id(raw.source_id, raw.raw_sha256),
        "source_id": raw.source_id,
        "raw_path": raw.raw_path,
        "raw_sha256": raw.raw_sha256,
        "url": side.get("url") or _http(page.get("url")),
        "title": cleaned.title,
        "standfirst": standfirst,
        "summary": cleaned.summary,
        "authors": [unicodedata.normalize("NFC", a) for a in authors],
        "published": published,
        "language": side.get("language") or detect_language(text, source.language),
        "text": text,
        "text_sha256": text_sha256(text),
        "word_count": clean.words(text),
        "removed": extraction_dropped + cleaned.removed,
        "captions": [unicodedata.normalize("NFC", c) for c in captions] + cleaned.captions,
        "event_id": None,
        "cleaning_skipped": cleaned.skipped,
        "dateline_place": place,
        "dateline_agency": agency,
        "event_key": side.get("event"),  # not published: the events stage turns it into event_id
    }


# what joins a headline and the site's name in <title> and og:title
_TITLE_SEP = re.compile(r"\s+[-|–—·•:]\s+")


def without_site_name(title: str, sites: list[str], h1: str | None = None) -> str:
    """A page title without the site's name after or before it ("Talks end - Gulf Coast
    Courier", "Courier | Talks end"): a part that is the outlet's name (source.toml, the
    page's og:site_name), or whatever follows the headline when the page's <h1> is the rest."""
    names = {clean.normalize(n).strip().casefold() for n in sites if n and n.strip()}
    for m in reversed(list(_TITLE_SEP.finditer(title))):
        head, tail = title[:m.start()].strip(), title[m.end():].strip()
        if tail.casefold() in names or (h1 and clean.normalize(h1).strip().casefold() == head.casefold()):
            return head
    m = _TITLE_SEP.search(title)
    if m and title[:m.start()].strip().casefold() in names:
        return title[m.end():].strip()
    return title


def is_standfirst(line: str, text: str, sites: list[str]) -> bool:
    """Whether a page's description or line under its headline is a standfirst: not the
    site's own description (one naming the site: "South Asia Tribune brings you ..."), no
    byline or date, and not the lede again: the story's first paragraph and the line, their
    datelines taken off, opening alike, or the lede's first sentence holding most of the
    line's words (a description cut short or reworded; metadata.toml [standfirst])."""
    if any(_names_site(line, n) for n in sites):
        return False
    if clean.byline_authors(line) is not None or clean.date_line(line):
        return False
    lede = _opening(next((p for p in text.split("\n\n") if not p.startswith("|")), ""))  # rows: a table
    said = _opening(line)
    if lede.startswith(said[:60]) or lede[:50] in said:  # a credit or a stamp before it ("Staff Reports Police ...")
        return False
    words = {w for w in clean.WORD.findall(said) if len(w) > 3 or w.isdigit()}  # the words that carry content
    first = set(clean.WORD.findall(re.split(r"(?<=[.!?])\s+", lede)[0]))
    return len(words & first) < _LEDE_OVERLAP * len(words)


def _names_site(line: str, site: str) -> bool:
    """Whether a description opens or ends with the site's name, as a site's own does ("South
    Asia Tribune brings you ...", "Welcome to the Herald", "... on Mensagens de Reflexão"); a
    story's may name it within ("... told Polygraph.info")."""
    site = site.strip().casefold()
    low = re.sub(r"^(?:welcome to\s+)?(?:the\s+)?", "", line.strip().casefold()).rstrip(" .!")
    return bool(site) and (low.startswith(re.sub(r"^the\s+", "", site)) or low.endswith(site))


def _opening(paragraph: str) -> str:
    """A paragraph without the dateline that opens it, in lower case, for comparing."""
    d = datelines.match(paragraph, story=True)
    return (paragraph[d.end:] if d else paragraph).strip().casefold()


def _split_authors(value: str | None) -> list[str]:
    """The page's author metadata ("Jo Lee; Sam Park", "By Jo Lee and Sam Park", "Author:
    Jo Lee") read as a byline is (crosswire.clean.credited_names: no agency, desk or job
    title, names in capitals recased); a part that is no list of names is kept as given."""
    value = re.sub(r"^(?i:by|authors?)\s*:?\s+", "", (value or "").strip())
    out = []
    for part in value.split(";"):
        names = clean.credited_names(part.strip())
        out.extend(names if names is not None else [part.strip()] if part.strip().casefold() not in clean.AGENCIES else [])
    return [n for n in out if n]


def _http(url: str | None) -> str | None:
    """The page's own URL when it is http(s), without credentials (crosswire.urls)."""
    return urls.redact(url) if url and url.startswith(("http://", "https://")) else None
