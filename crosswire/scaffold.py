"""Adding outlets and articles to raw/: `crosswire add-source` and `crosswire add`, as plain functions.

Everything written here lands under raw/<source_id>/ through `ingest.safe_join`: source
IDs must be lowercase slugs and file names derived from URLs or titles are slugs too, so
nothing a user, a page or a feed supplies can name a path outside raw/. Files are written
to a hidden temporary name and renamed into place (the sidecar before its article), so a
run reading raw/ at the same time never sees half a file. The same content is never stored
twice within a source (by SHA-256 of the bytes, and by URL for downloads).
"""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import unquote, urlsplit

from . import ingest, sources, urls
from .atomic import write_atomic

MAX_SLUG = 80


class ScaffoldError(ValueError):
    """A request that cannot be carried out; str() is the one-line reason."""


# ---- names -------------------------------------------------------------------------------

def slugify(text: str, fallback: str = "article", max_len: int = MAX_SLUG) -> str:
    """A lowercase ASCII slug (a-z, 0-9, single hyphens): safe as a file name anywhere."""
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    slug = slug[:max_len].rstrip("-")
    return slug or fallback


def slug_from_url(url: str) -> str:
    """The last meaningful path segment of a URL (without extension), else its host."""
    parts = urlsplit(url)
    segments = [unquote(s) for s in parts.path.split("/") if s]
    while segments and re.fullmatch(r"(index|default)(\.\w+)?|amp|\d{1,4}", segments[-1], re.I):
        segments.pop()
    if segments:
        return slugify(re.sub(r"\.(s?html?|php|aspx?|jsp|txt)$", "", segments[-1], flags=re.I))
    return slugify(parts.hostname or "", fallback="page")


def check_source_id(source_id: str) -> str:
    if not isinstance(source_id, str) or not sources.SOURCE_ID.match(source_id):
        raise ScaffoldError(
            f"source ID {source_id!r} is not a lowercase slug: use lowercase letters, digits, '-' and '_', "
            f"starting with a letter or digit, at most 64 characters (for example 'coastal-herald')")
    return source_id


# ---- add-source ---------------------------------------------------------------------------

def _toml_str(value: str) -> str:
    # A JSON string is a valid TOML basic string for everything json.dumps emits.
    return json.dumps(value, ensure_ascii=False)


def source_toml(name: str, homepage: str, country: str, language: str, kind: str = "other",
                feeds: list[str] | tuple[str, ...] = ()) -> str:
    lines = [f"name = {_toml_str(name)}", f"homepage = {_toml_str(homepage)}",
             f"country = {_toml_str(country)}          # ISO 3166-1 alpha-2",
             f"language = {_toml_str(language)}        # BCP 47",
             f"kind = {_toml_str(kind)}                # wire | national | regional | state | other",
             "feeds = [" + ", ".join(_toml_str(f) for f in feeds) + "]   # RSS, Atom or sitemap URLs for `crosswire fetch`",
             "# license = \"CC-BY-4.0\"     # the licence of the outlet's articles: an SPDX id or a name;",
             "# without one: all rights reserved, and `crosswire run --public` publishes their text as null",
             "",
             "[cleaning]              # optional, added to the generic rules",
             "# drop = ['^Most read$']               # whole lines to drop",
             "# captions = ['^Pictured: ']           # lines that are photo captions",
             "# summary_start = ['^Quick Read$']     # a line that opens a summary box",
             "# summary_end = ['^Did our AI summary help\\?$']", ""]
    return "\n".join(lines)


def add_source(raw_root: Path, source_id: str, *, name: str, homepage: str, country: str, language: str,
               kind: str = "other", feeds: list[str] | tuple[str, ...] = ()) -> Path:
    """Create raw/<source_id>/source.toml; returns its path. Refuses bad IDs, bad fields, existing sources."""
    check_source_id(source_id)
    raw_root = Path(raw_root)
    if not raw_root.is_dir():
        raise ScaffoldError(f"raw directory {raw_root} does not exist")
    country = (country or "").strip().upper()
    checks = [("name", name and name.strip(), None), ("homepage", homepage, sources.URL),
              ("country", country, sources.COUNTRY), ("language", language, sources.LANGUAGE)]
    for field, value, pattern in checks:
        if not value or (pattern and not pattern.match(value)):
            hint = {"homepage": "an http(s) URL", "country": "an ISO 3166-1 alpha-2 code such as GB",
                    "language": "a BCP 47 tag such as en or en-GB"}.get(field, "a non-empty string")
            raise ScaffoldError(f"--{field} {value!r} is not valid: expected {hint}")
    if kind not in sources.KINDS:
        raise ScaffoldError(f"--kind must be one of {', '.join(sources.KINDS)}, not {kind!r}")
    for f in feeds:
        if not sources.URL.match(f):
            raise ScaffoldError(f"--feed {f!r} is not an http(s) URL")
    folder = ingest.safe_join(raw_root, source_id)
    target = folder / "source.toml"
    if target.exists():
        raise ScaffoldError(f"source {source_id!r} already exists ({target})")
    folder.mkdir(exist_ok=True)
    write_atomic(target, source_toml(name.strip(), homepage, country, language, kind, list(feeds)).encode("utf-8"))
    try:
        sources.parse_source(target, source_id)  # what we wrote must be what the pipeline reads
    except sources.SourceError as e:
        target.unlink()
        raise ScaffoldError(str(e)) from None
    return target


# ---- add ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Stored:
    path: Path               # the article file (the existing one when `stored` is false)
    stored: bool             # false: the same content (or URL) was already there
    sidecar: Path | None = None

    def describe(self, raw_root: Path) -> str:
        rel = self.path.relative_to(raw_root).as_posix()
        return f"added: {rel}" if self.stored else f"already stored: {rel}"


def source_folder(raw_root: Path, source_id: str) -> Path:
    check_source_id(source_id)
    folder = ingest.safe_join(Path(raw_root), source_id)
    if not (folder / "source.toml").is_file():
        raise ScaffoldError(f"unknown source {source_id!r}: no {folder / 'source.toml'}; "
                            f"create it first with `crosswire add-source {source_id} ...`")
    return folder


def _article_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in ingest.ARTICLE_SUFFIXES
                  and not p.name.startswith(".") and p.is_file() and not p.is_symlink())


def find_duplicate(folder: Path, data: bytes) -> Path | None:
    """An article file in folder with exactly these bytes."""
    digest = hashlib.sha256(data).hexdigest()
    for p in _article_files(folder):
        if p.stat().st_size == len(data) and hashlib.sha256(p.read_bytes()).hexdigest() == digest:
            return p
    return None


def known_urls(folder: Path) -> dict[str, Path]:
    """URL -> article file, from the sidecars in folder (what `fetch` must not download again)."""
    out = {}
    for p in _article_files(folder):
        side = ingest.sidecar_path(p)
        try:
            meta = json.loads(side.read_text(encoding="utf-8")) if side.is_file() else {}
        except (OSError, ValueError):
            continue
        for key in ("url",):
            if isinstance(meta, dict) and isinstance(meta.get(key), str):
                out.setdefault(meta[key], p)
    return out


def check_sidecar(meta: dict) -> dict:
    """Sidecar fields as `ingest.read_sidecar` will want them; ScaffoldError naming a bad one."""
    out = {}
    for key, value in meta.items():
        if value is None or value == [] or value == "":
            continue
        want = ingest.SIDECAR_KEYS.get(key)
        if want is None:
            raise ScaffoldError(f"unknown sidecar field {key!r}")
        if key == "authors" and isinstance(value, str):
            value = [value]
        if not isinstance(value, want):
            raise ScaffoldError(f"sidecar field {key!r} must be {'a list of strings' if want is list else 'a string'}")
        out[key] = value
    for key in ("published", "retrieved_at"):
        if key in out:
            try:
                out[key] = ingest.parse_timestamp(out[key], key).isoformat()
            except ingest.Rejected as e:
                raise ScaffoldError(str(e)) from None
    if "url" in out and not out["url"].startswith(("http://", "https://")):
        raise ScaffoldError(f"--url {out['url']!r} is not an http(s) URL")
    for key in ("url", "source_url"):  # never store credentials (crosswire/data/url_secrets.toml)
        if key in out:
            out[key] = urls.redact(out[key])
    if "language" in out:
        try:
            out["language"] = ingest.language_tag(out["language"], "language")
        except ingest.Rejected as e:
            raise ScaffoldError(str(e)) from None
    return out


def store_article(raw_root: Path, source_id: str, data: bytes, suffix: str, *, slug_hint: str,
                  sidecar: dict, dedupe_url: bool = False) -> Stored:
    """Store one article (bytes) and its sidecar under raw/<source_id>/, unless already there:
    the same bytes, or (dedupe_url, for downloads) a file downloaded from the same URL.
    A saved file with the URL of one already stored is kept: it may be a corrected version."""
    raw_root = Path(raw_root)
    folder = source_folder(raw_root, source_id)
    suffix = suffix.lower()
    if suffix not in ingest.ARTICLE_SUFFIXES:
        raise ScaffoldError(f"unsupported file type {suffix or '(none)'}; expected .txt or .html")
    if not data.strip():
        raise ScaffoldError("empty file")
    if len(data) > ingest.MAX_BYTES:
        raise ScaffoldError(f"{len(data):,} bytes, over the {ingest.MAX_BYTES:,}-byte limit")
    sidecar = check_sidecar(sidecar)
    existing = find_duplicate(folder, data)
    if existing is None and dedupe_url and sidecar.get("url"):
        existing = known_urls(folder).get(sidecar["url"])
    if existing is not None:
        return Stored(existing, False)
    slug = slugify(slug_hint)
    taken = {p.name[: -len(p.suffix)] for p in folder.iterdir()}
    if slug in taken or f"{slug}.meta" in taken:
        slug = f"{slug[:MAX_SLUG - 9]}-{hashlib.sha256(data).hexdigest()[:8]}"
    path = ingest.safe_join(folder, slug + suffix)
    side = ingest.safe_join(folder, slug + ".meta.json")
    if sidecar:
        write_atomic(side, (json.dumps(sidecar, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8"))
    write_atomic(path, data)
    return Stored(path, True, side if sidecar else None)


def add_file(raw_root: Path, source_id: str, file: Path, sidecar: dict | None = None) -> Stored:
    """Copy a saved page or text file into raw/<source_id>/ with its sidecar."""
    file = Path(file)
    if not file.is_file():
        raise ScaffoldError(f"{file} is not a file")
    if file.stat().st_size > ingest.MAX_BYTES:
        raise ScaffoldError(f"{file} is {file.stat().st_size:,} bytes, over the {ingest.MAX_BYTES:,}-byte limit")
    data = file.read_bytes()
    meta = dict(sidecar or {})
    suffix = file.suffix.lower()
    if suffix in (".html", ".htm") and not meta.get("url"):
        meta["url"] = page_url(data)
    # when the copy was saved: the best "retrieved" time a local file can tell
    meta.setdefault("retrieved_at", datetime.fromtimestamp(file.stat().st_mtime, timezone.utc)
                    .replace(microsecond=0).isoformat())
    return store_article(raw_root, source_id, data, suffix, slug_hint=meta.get("title") or file.stem, sidecar=meta)


def page_url(data: bytes) -> str | None:
    """The page's own canonical URL (link rel=canonical or og:url), when it names one."""
    text = data[:200_000].decode("utf-8", "replace")
    for rx in (r"<link[^>]+rel=[\"']canonical[\"'][^>]*href=[\"']([^\"']+)",
               r"<link[^>]+href=[\"']([^\"']+)[\"'][^>]*rel=[\"']canonical",
               r"<meta[^>]+property=[\"']og:url[\"'][^>]*content=[\"']([^\"']+)"):
        m = re.search(rx, text, re.I)
        if m and m.group(1).startswith(("http://", "https://")):
            return m.group(1).strip()
    return None


def now_utc() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()
