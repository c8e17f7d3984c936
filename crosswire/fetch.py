"""Downloading coverage: pages by URL, and each source's feeds (RSS, Atom, JSON Feed, sitemaps).

Downloads go through urllib3 with a time-out, a size limit, http and https only, and a
network policy checked on every hop of a redirect, before and after connecting: private
and loopback addresses are refused unless asked for (an intranet, the tests' local
server), link-local and cloud-metadata addresses always (crosswire/data/network.toml).
Stored URLs lose their credentials (crosswire.urls).
A failing download is retried with exponential back-off; one that keeps failing is
reported with its reason and never stops the rest. Feed and sitemap parsing is
trafilatura's (`trafilatura.feeds`, `trafilatura.sitemaps`); an HTML page given as a feed
is searched for the feeds it advertises. New articles are stored by `crosswire.scaffold`
(slug names under raw/<source_id>/, sidecar with url, retrieved_at and the feed).

Pure library code: no Prefect here.
"""
from __future__ import annotations

import ipaddress
import re
import socket
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from . import ingest, scaffold, sources, urls
from .datafiles import read_toml

DEFAULT_TIMEOUT = 20          # seconds per request
DEFAULT_RETRIES = 2           # further attempts after the first
DEFAULT_BACKOFF = 1.0         # seconds before the first retry; doubled each time
MAX_SITEMAPS = 10             # nested sitemaps followed per feed URL
MAX_LINKS_PER_FEED = 500
HTML_TYPES = ("text/html", "application/xhtml+xml")
TEXT_TYPES = ("text/plain",)
PERMANENT = {400, 401, 403, 404, 405, 410, 414, 451}


class FetchError(RuntimeError):
    """A download that failed; str() is the one-line reason."""


@dataclass(frozen=True)
class Downloaded:
    url: str            # the URL asked for
    final_url: str      # after redirects
    data: bytes
    content_type: str

    def text(self) -> str:
        m = re.search(r"charset=([\w.-]+)", self.content_type or "", re.I)
        try:
            return self.data.decode(m.group(1) if m else "utf-8", "replace")
        except LookupError:
            return self.data.decode("utf-8", "replace")


@dataclass
class Options:
    timeout: float = DEFAULT_TIMEOUT
    max_bytes: int = ingest.MAX_BYTES
    retries: int = DEFAULT_RETRIES
    backoff: float = DEFAULT_BACKOFF
    allow_private: bool = False      # allow loopback / private addresses (intranets, tests)
    delay: float = 0.5               # pause between article downloads (politeness)
    limit: int | None = None         # at most this many new articles per source


def check_url(url: str) -> str:
    parts = urlsplit(url or "")
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise FetchError(f"only http and https URLs can be fetched, not {url!r}")
    return url


_NETWORK = read_toml("network.toml")
NEVER_NETWORKS = tuple(ipaddress.ip_network(n) for n in _NETWORK["never"]["networks"])
NEVER_HOSTS = frozenset(h.lower() for h in _NETWORK["never"]["hosts"])
MAX_REDIRECTS: int = _NETWORK["redirects"]["max"]
REDIRECTS = (301, 302, 303, 307, 308)
HEADERS = {"User-Agent": "crosswire (a news coverage dataset builder)",
           "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5",
           "Accept-Encoding": "gzip, deflate"}


class Refused(OSError):
    """An address the network policy forbids; str() is the reason."""


def vet_address(address: str, allow_private: bool) -> None:
    """Refused for a link-local or metadata address (always), or a private, loopback or
    otherwise non-public one (unless allow_private)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 zone id is not part of it
    ip = getattr(ip, "ipv4_mapped", None) or ip
    if ip.is_link_local or ip.is_multicast or ip.is_unspecified or any(ip in n for n in NEVER_NETWORKS):
        raise Refused(f"refused: {ip} is a link-local or cloud-metadata address, never fetched")
    if not ip.is_global and not allow_private:
        raise Refused("refused: a private or loopback address (use --allow-private-network for an intranet)")


def vet_host(host: str, port: int | None, allow_private: bool) -> None:
    """Every address `host` resolves to, by vet_address; a metadata service's name is
    refused before any lookup. A name that does not resolve passes (the connection fails)."""
    host = host.lower().rstrip(".")
    if host in NEVER_HOSTS:
        raise Refused(f"refused: {host} is a cloud-metadata service, never fetched")
    try:
        infos = socket.getaddrinfo(host, port or 80, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        return
    for info in infos:
        vet_address(info[4][0], allow_private)


def _pool(allow_private: bool):
    """A urllib3 PoolManager whose connections vet the address they reached (after the
    DNS lookup: rebinding cannot slip past the check made before connecting)."""
    if allow_private in _POOLS:
        return _POOLS[allow_private]
    import urllib3

    class Vetted(urllib3.connection.HTTPConnection):
        def _new_conn(self):
            sock = super()._new_conn()
            try:
                vet_address(sock.getpeername()[0], allow_private)
            except Refused as e:
                sock.close()
                raise urllib3.exceptions.NewConnectionError(self, str(e)) from e
            return sock

    class VettedTLS(Vetted, urllib3.connection.HTTPSConnection):
        pass

    class Pool(urllib3.HTTPConnectionPool):
        ConnectionCls = Vetted

    class TLSPool(urllib3.HTTPSConnectionPool):
        ConnectionCls = VettedTLS

    manager = urllib3.PoolManager(num_pools=20)
    manager.pool_classes_by_scheme = {"http": Pool, "https": TLSPool}
    _POOLS[allow_private] = manager
    return manager


_POOLS: dict = {}


def _reason(message: str) -> str:
    msg = " ".join(message.split())
    if "refused:" in msg:
        return msg[msg.index("refused:"):]
    m = re.search(r"(Connection refused|timed out|Name or service not known|nodename nor servname|"
                  r"Temporary failure in name resolution|No route to host)", msg, re.I)
    return m.group(1) if m else msg[:200]


def _once(url: str, opts: Options) -> tuple[Downloaded | None, str, bool]:
    """One attempt, following redirects hop by hop (each hop's scheme and address checked):
    (download or None, reason, whether another attempt may help)."""
    import urllib3

    pool, here = _pool(opts.allow_private), url
    timeout = urllib3.Timeout(connect=opts.timeout, read=opts.timeout)
    deadline = time.monotonic() + 3 * opts.timeout  # a server dripping bytes cannot hold us longer
    for _ in range(MAX_REDIRECTS + 1):
        try:
            check_url(here)
            parts = urlsplit(here)
            vet_host(parts.hostname, parts.port, opts.allow_private)
        except (FetchError, Refused) as e:
            return None, f"redirected to {urls.redact(here)}: {e}" if here != url else str(e), False
        try:
            response = pool.request("GET", here, headers=HEADERS, redirect=False, retries=False,
                                    timeout=timeout, preload_content=False)
        except urllib3.exceptions.HTTPError as e:
            reason = _reason(str(e))
            return None, reason, not reason.startswith("refused")
        try:
            if response.status in REDIRECTS and response.headers.get("location"):
                here = urljoin(here, response.headers["location"].strip())
                continue
            chunks, size = [], 0
            for chunk in response.stream(2 ** 16):
                size += len(chunk)
                if size > opts.max_bytes:
                    return None, f"over the {opts.max_bytes:,}-byte limit", False
                if time.monotonic() > deadline:
                    return None, "timed out", True
                chunks.append(chunk)
        except urllib3.exceptions.HTTPError as e:
            return None, _reason(str(e)), True
        finally:
            response.release_conn()
        if response.status != 200:
            return None, f"HTTP {response.status}", response.status not in PERMANENT
        return Downloaded(url, here, b"".join(chunks), response.headers.get("content-type", "")), "", False
    return None, f"more than {MAX_REDIRECTS} redirects", False


def download(url: str, opts: Options | None = None, sleep=time.sleep) -> Downloaded:
    """GET url with retries and exponential back-off; FetchError with the reason when it keeps failing."""
    opts = opts or Options()
    check_url(url)
    attempts = 1 + max(0, opts.retries)
    reason = ""
    for attempt in range(attempts):
        got, reason, again = _once(url, opts)
        if got is not None:
            check_url(got.final_url)  # a redirect to another scheme is refused too
            if len(got.data) > opts.max_bytes:
                raise FetchError(f"{url}: over the {opts.max_bytes:,}-byte limit")
            return got
        if not again or attempt == attempts - 1:
            break
        sleep(opts.backoff * (2 ** attempt))
    tries = f" after {attempt + 1} attempts" if attempt else ""
    raise FetchError(f"{reason}{tries}")


# ---- feeds --------------------------------------------------------------------------------

def _site(host: str | None) -> str:
    host = (host or "").lower().rstrip(".")
    if re.fullmatch(r"[\d.]+|\[?[0-9a-f:]+\]?", host):
        return host  # an IP address is its own site
    labels = host.split(".")
    if labels and labels[0] == "www":
        labels = labels[1:]
    # the registrable part, roughly: last two labels, three under a two-letter second level (co.uk)
    keep = 3 if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in ("co", "com", "org", "net", "gov", "ac") else 2
    return ".".join(labels[-keep:])


def _same_site(url: str, allowed: set[str]) -> bool:
    return _site(urlsplit(url).hostname) in allowed


def _is_sitemap(text: str) -> bool:
    head = text.lstrip()[:500].lower()
    return "<urlset" in head or "<sitemapindex" in head


def _sitemap_links(text: str, url: str) -> tuple[list[str], list[str]]:
    """(pages, nested sitemaps) of one sitemap, parsed by trafilatura."""
    from trafilatura.sitemaps import SitemapObject

    class Collect(SitemapObject):
        # trafilatura's own link filter (courlan) drops hosts such as localhost and
        # private addresses; our filter (same site, http/https) runs afterwards.
        def handle_link(self, link):
            if link != self.current_url:
                (self.sitemap_urls if re.search(r"\.xml(\.gz)?\b|sitemap", link.split("?")[0].rsplit("/", 1)[-1])
                 else self.urls).append(link)

    obj = Collect(url, urlsplit(url).hostname or "", [])
    obj.current_url, obj.content = url, text
    obj.process()
    return obj.urls, obj.sitemap_urls


def feed_links(feed_url: str, opts: Options | None = None, allowed_sites: set[str] | None = None,
               sleep=time.sleep) -> list[str]:
    """Article URLs a feed lists: RSS, Atom, JSON Feed, a sitemap (nested ones followed), or an
    HTML page that advertises feeds. Links leaving the source's sites are dropped."""
    from trafilatura.feeds import FeedParameters, determine_feed, find_links, is_potential_feed

    opts = opts or Options()
    allowed = set(allowed_sites or ()) | {_site(urlsplit(feed_url).hostname)}
    found: list[str] = []
    queue, seen = [feed_url], set()
    while queue and len(seen) < MAX_SITEMAPS:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        got = download(url, opts, sleep=sleep)
        text = got.text()
        params = FeedParameters(got.final_url, urlsplit(got.final_url).hostname or "", got.final_url)
        if _is_sitemap(text):
            pages, nested = _sitemap_links(text, got.final_url)
            found += pages
            queue += [n for n in nested if _same_site(n, allowed)]
        elif is_potential_feed(text.strip()) or text.lstrip().startswith("{"):
            found += [urljoin(got.final_url, link) for link in find_links(text.strip(), params)]
        elif url == feed_url:  # a page: follow the feeds it advertises (one level)
            queue += [f for f in determine_feed(text, params) if _same_site(f, allowed)][:3]
        if len(found) >= MAX_LINKS_PER_FEED:
            break
    out = []
    for link in dict.fromkeys(found):
        link = link.strip()
        if link.startswith(("http://", "https://")) and link != feed_url and _same_site(link, allowed):
            out.append(link)
    return out[:MAX_LINKS_PER_FEED]


# ---- storing what a source's feeds list ---------------------------------------------------

@dataclass
class Report:
    added: list[str] = field(default_factory=list)        # raw-relative paths stored
    skipped: int = 0                                      # already in raw/ (URL or content)
    failed: list[dict] = field(default_factory=list)      # {"url", "reason"}
    feeds: int = 0

    def as_dict(self) -> dict:
        return {"added": self.added, "skipped": self.skipped, "failed": self.failed, "feeds": self.feeds}


def page_suffix(got: Downloaded) -> str:
    ctype = (got.content_type or "").split(";")[0].strip().lower()
    if ctype in HTML_TYPES:
        return ".html"
    if ctype in TEXT_TYPES:
        return ".txt"
    if not ctype and re.search(rb"<html|<!doctype html", got.data[:2048], re.I):
        return ".html"
    raise FetchError(f"not an HTML or text page (content type {ctype or 'unknown'})")


def add_url(raw_root: Path, source_id: str, url: str, opts: Options | None = None, sidecar: dict | None = None,
            sleep=time.sleep) -> scaffold.Stored:
    """Download one page into raw/<source_id>/ with its sidecar (url, retrieved_at, ...)."""
    folder = scaffold.source_folder(raw_root, source_id)
    known = scaffold.known_urls(folder)  # as stored: without credentials
    if urls.redact(url) in known:
        return scaffold.Stored(known[urls.redact(url)], False)
    got = download(url, opts, sleep=sleep)
    suffix = page_suffix(got)
    meta = {"url": got.final_url, "retrieved_at": scaffold.now_utc(), **(sidecar or {})}
    if got.final_url != url and "source_url" not in meta:
        meta["source_url"] = url
    return scaffold.store_article(raw_root, source_id, got.data, suffix, slug_hint=scaffold.slug_from_url(got.final_url),
                                  sidecar=meta, dedupe_url=True)


def fetch_source(raw_root: Path, source: sources.Source, opts: Options | None = None, sleep=time.sleep) -> Report:
    """Every feed of one source: store the articles not yet in raw/. Failures are reported, not raised."""
    opts = opts or Options()
    report = Report()
    allowed = {_site(urlsplit(source.homepage).hostname)} | {_site(urlsplit(f).hostname) for f in source.feeds}
    folder = scaffold.source_folder(raw_root, source.source_id)
    listed: dict[str, str] = {}  # article URL -> the first feed that lists it
    for feed in source.feeds:
        report.feeds += 1
        try:
            for link in feed_links(feed, opts, allowed, sleep=sleep):
                listed.setdefault(link, feed)
        except FetchError as e:
            report.failed.append({"url": feed, "reason": str(e)})
    known = scaffold.known_urls(folder)
    for link, feed in listed.items():
        if opts.limit is not None and len(report.added) >= opts.limit:
            break
        if urls.redact(link) in known:
            report.skipped += 1
            continue
        try:
            stored = add_url(raw_root, source.source_id, link, opts, sidecar={"source_url": feed}, sleep=sleep)
        except (FetchError, scaffold.ScaffoldError) as e:
            report.failed.append({"url": link, "reason": str(e)})
            continue
        if stored.stored:
            report.added.append(stored.path.relative_to(raw_root).as_posix())
            known[urls.redact(link)] = stored.path
            if opts.delay:
                sleep(opts.delay)
        else:
            report.skipped += 1
    return report


def fetch(raw_root: Path, source_ids: list[str] | None = None, opts: Options | None = None,
          sleep=time.sleep) -> dict[str, Report]:
    """fetch_source for each wanted source with feeds (all when source_ids is empty)."""
    raw_root = Path(raw_root)
    srcs, _ = sources.load_sources(raw_root)
    by_id = {s.source_id: s for s in srcs}
    if source_ids:
        missing = [s for s in source_ids if s not in by_id]
        if missing:
            raise scaffold.ScaffoldError(f"unknown source(s): {', '.join(missing)} (no valid raw/<id>/source.toml)")
        srcs = [by_id[s] for s in source_ids]
    return {s.source_id: fetch_source(raw_root, s, opts, sleep=sleep) for s in srcs if s.feeds}
