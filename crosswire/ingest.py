"""Reading article files under raw/<source_id>/: bytes to text, plus the optional sidecar.

Nothing here interprets the article; it only decides whether a file is usable and says
why not. Identity is content: every file is keyed by the SHA-256 of its bytes.
"""
from __future__ import annotations

import codecs
import errno
import hashlib
import json
import os
import re
import stat
import sys
import time
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from . import cache, sources, unchanged, urls  # unchanged.RACY_NS read at each use (tests set it)
from .blobs import Blobs
from .sources import LANGUAGE, Source

ARTICLE_SUFFIXES = (".txt", ".html", ".htm")
MAX_BYTES = 5 * 1024 * 1024
MAX_SIDECAR_BYTES = 256 * 1024
MAX_HTML_DEPTH = 400     # libxml2 gives up at 256 levels; real pages stay far below
# errors worth another try (Prefect retries the ingest task); any other OSError rejects the file
TRANSIENT_ERRNOS = {errno.EIO, errno.EAGAIN, errno.EINTR, errno.ETIMEDOUT, errno.EBUSY,
                    getattr(errno, "ESTALE", -1), getattr(errno, "ENOLCK", -1)}
SIDECAR_KEYS = {"url": str, "published": str, "authors": list, "language": str, "event": str,
                "note": str, "encoding": str, "title": str, "retrieved_at": str, "source_url": str}
MAGIC = {b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image", b"GIF8": "a GIF image",
         b"%PDF": "a PDF document", b"PK\x03\x04": "a ZIP archive", b"\x1f\x8b": "a gzip archive"}


class Rejected(Exception):
    """A file that cannot be used; str() is the one-line reason."""


@dataclass(frozen=True)
class RawArticle:
    source_id: str
    raw_path: str          # relative to the raw root, / separators
    raw_sha256: str
    format: str            # "txt" | "html"
    content: str | None    # decoded, NFC; None when taken from an earlier run's record (with_content)
    sidecar: dict


# the years a sidecar's `published` may name: what every reader of a release can hold
# (pandas' default nanosecond timestamps span 1677-09-21 to 2262-04-11; a date outside
# them makes `pd.read_parquet` fail for the whole table), which includes every newspaper
# ever printed (the first, 1605)
PUBLISHED_YEARS = (1678, 2261)


def discover(raw_root: Path, sources: list[Source], rejected: list[dict] | None = None) -> list[Path]:
    """Article files of the known sources, in a stable order. A folder that cannot be
    listed is added to `rejected` (when given) instead of failing the run."""
    files = []
    for src in sources:
        folder = Path(raw_root) / src.source_id
        try:
            listing = sorted(folder.iterdir(), key=lambda p: p.name)  # one folder: as Paths sort, by name
        except OSError as e:
            if rejected is None:
                raise
            rejected.append({"path": f"{src.source_id}/", "reason": f"folder cannot be listed: {e.strerror or e}"})
            continue
        for p in listing:
            if p.name.startswith(".") or p.name.endswith(".meta.json") or p.name == "source.toml":
                continue
            files.append(p)
    return files


def display_path(rel: str) -> str:
    """A path as it can be written to a log, JSON and Parquet: bytes of a name that is not
    valid UTF-8 (kept by Python as surrogates) shown as \\xNN escapes."""
    return os.fsencode(rel).decode("utf-8", "backslashreplace")


def special_file(path: Path) -> str | None:
    """What a FIFO, device or socket is ('a FIFO' ...), from stat() alone: such a file is
    never opened (opening a FIFO blocks until a writer comes). None for anything else."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None  # a dangling link or a loop: the reader reports it
    for test, what in ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return what
    return None


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """The bytes of a regular file, at most max_bytes + 1 of them; Rejected for anything
    else. Opened without blocking, so a file swapped for a FIFO after the check cannot hang."""
    what = special_file(path)
    if what:
        raise Rejected(f"{what}, not a regular file; skipped without opening it")
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
            raise Rejected("not a regular file")
        return f.read(max_bytes + 1)


def decode(data: bytes, declared: str | None = None) -> str:
    """Bytes to text: BOMs first, then strict UTF-8, then a declared or detected encoding."""
    if not data.strip():
        raise Rejected("empty file")
    for magic, what in MAGIC.items():
        if data.startswith(magic):
            raise Rejected(f"binary file ({what}), not text")
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"),
                     (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(enc)
            except UnicodeDecodeError as e:
                raise Rejected(f"starts with a {enc} byte-order mark but does not decode: {e.reason}") from None
    if declared:
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError) as e:
            raise Rejected(f"does not decode as the sidecar's encoding {declared!r}: {e}") from None
    if b"\x00" in data:
        raise Rejected("binary file (contains NUL bytes), not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    return _detect(data)


def _detect(data: bytes) -> str:
    # charset_normalizer is what requests/httpx already bring in; it scores candidate
    # decodings by how much of the result is coherent text.
    from charset_normalizer import from_bytes

    results = list(from_bytes(data))
    if not results or results[0].chaos > 0.2:
        raise Rejected("not UTF-8 and its encoding could not be determined; "
                       "save it as UTF-8 or name it in the sidecar's \"encoding\"")
    # Single-byte Western code pages often decode a text equally cleanly as a Central
    # European one; among near-ties, prefer the commoner Western encodings.
    best = min(results, key=lambda r: (round(r.chaos - results[0].chaos, 2) > 0.01,
                                       _WESTERN.get(r.encoding, len(_WESTERN))))
    return str(best)


_WESTERN = {"utf_8": 0, "cp1252": 1, "latin_1": 2, "iso8859_15": 3}


# Unicode's control characters (category Cc: U+0000-U+001F, U+007F-U+009F) other than the
# line and tab controls text uses: one regular expression, not a Python loop per character
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def _control_ratio(text: str) -> float:
    return len(_CONTROL.findall(text)) / max(1, len(text))


def read_sidecar(path: Path, raw_root: Path | None = None) -> dict:
    """The optional <slug>.meta.json; wrong types are rejected with the field named."""
    if not path.exists() and not path.is_symlink():
        return {}
    if raw_root is not None and not inside(raw_root, path):
        raise Rejected(f"sidecar {path.name} is a symbolic link pointing outside raw/")
    if special_file(path) or not path.is_file():
        raise Rejected(f"sidecar {path.name} is not a regular file")
    raw = read_bytes(path, MAX_SIDECAR_BYTES)
    if len(raw) > MAX_SIDECAR_BYTES:
        raise Rejected(f"sidecar {path.name} is over the {MAX_SIDECAR_BYTES:,}-byte limit")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise Rejected(f"sidecar {path.name} is not valid JSON: {e}") from None
    except RecursionError:
        raise Rejected(f"sidecar {path.name} is nested too deeply to be a sidecar") from None
    if not isinstance(data, dict):
        raise Rejected(f"sidecar {path.name} must hold a JSON object")
    out = {}
    for key, value in data.items():
        want = SIDECAR_KEYS.get(key)
        if want is None or value is None:
            continue  # unknown keys are kept out of the data, nulls mean "unknown"
        if key == "authors" and isinstance(value, str):
            value = [value]
        if not isinstance(value, want) or (want is list and not all(isinstance(a, str) for a in value)):
            raise Rejected(f"sidecar {path.name}: field '{key}' must be "
                           f"{'a list of strings' if want is list else 'a string'}")
        if any("\x00" in v for v in (value if want is list else [value])):
            raise Rejected(f"sidecar {path.name}: field '{key}' contains a NUL character")
        out[key] = value
    if "published" in out:
        out["published"] = parse_timestamp(out["published"], f"sidecar {path.name}: field 'published'")
        low, high = PUBLISHED_YEARS
        if not low <= out["published"].year <= high:
            raise Rejected(f"sidecar {path.name}: field 'published' is outside the years {low}-{high}: "
                           f"{data['published']!r}")
    if "language" in out:
        out["language"] = language_tag(out["language"], f"sidecar {path.name}: field 'language'")
    for key in ("url", "source_url"):
        if key in out and not out[key].startswith(("http://", "https://")):
            raise Rejected(f"sidecar {path.name}: field '{key}' must be an http(s) URL")
        if key in out:
            out[key] = urls.redact(out[key])
    return out


def language_tag(value: str, what: str) -> str:
    """A BCP 47 tag with its usual casing fixed ('en_GB' -> 'en-GB', 'EN' -> 'en'); Rejected
    when it is not one ('english')."""
    parts = value.strip().replace("_", "-").split("-")
    tag = "-".join([parts[0].lower(), *parts[1:]])
    if not LANGUAGE.match(tag):
        raise Rejected(f"{what} is not a BCP 47 language tag such as 'en' or 'en-GB': {value!r}")
    return tag


def parse_timestamp(value: str, what: str) -> datetime:
    """ISO 8601 to an aware UTC datetime; a time without an offset is taken as UTC."""
    try:
        ts = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise Rejected(f"{what} is not an ISO 8601 date or time: {value!r}") from None
    if ts.tzinfo is None:
        ts = ts.replace(tzinfo=timezone.utc)
    try:
        return ts.astimezone(timezone.utc)
    except OverflowError:  # year 1 or 9999 pushed past the calendar by its UTC offset
        raise Rejected(f"{what} is out of range once converted to UTC: {value!r}") from None


def inside(root: Path, path: Path) -> bool:
    """Whether path, with every symbolic link followed, lies under root."""
    try:
        return Path(path).resolve().is_relative_to(Path(root).resolve())
    except (OSError, RuntimeError):  # a symlink loop
        return False


def safe_join(root: Path, *parts: str) -> Path:
    """root/parts..., refusing anything (.., absolute parts, symlinks) that would leave root.

    For every path built from user input (source IDs, file names, URLs' slugs).
    """
    for part in parts:
        if not part or "\x00" in part or Path(part).is_absolute() or ".." in Path(part).parts:
            raise ValueError(f"unsafe path component {part!r}")
    path = Path(root).joinpath(*parts)
    if not inside(root, path):
        raise ValueError(f"{'/'.join(parts)!r} would leave {root}")
    return path


_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)[^<>]*?(/?)>")
# elements that never nest (void) or whose end tag HTML lets a page leave out
_NO_DEPTH = frozenset("""area base br col embed hr img input link meta param source track wbr
    p li dt dd tr td th thead tbody tfoot option optgroup rt rp colgroup caption html head body""".split())


def check_html(text: str, max_depth: int = MAX_HTML_DEPTH) -> None:
    """Refuse what an HTML parser should never be given: entity declarations, runaway nesting.

    lxml's HTML parser neither expands internal entities nor fetches external ones, and gives
    up at 256 levels of nesting; refusing such pages up front makes the reason explicit
    instead of a silently truncated or garbled article.
    """
    if "<!ENTITY" in text.upper():
        raise Rejected("HTML declares entities in its DOCTYPE (<!ENTITY>); entity expansion is refused")
    depth = deepest = 0
    for m in _TAG.finditer(text):
        closing, name, selfclosing = m.group(1), m.group(2).lower(), m.group(3)
        if name in _NO_DEPTH or selfclosing:
            continue
        depth = max(0, depth - 1) if closing else depth + 1
        if depth > deepest:
            deepest = depth
            if deepest > max_depth:
                raise Rejected(f"HTML nested more than {max_depth} elements deep")


def read_article(raw_root: Path, path: Path, source_id: str, max_bytes: int = MAX_BYTES) -> RawArticle:
    """One file to a RawArticle, or Rejected with the reason."""
    if not inside(raw_root, path):
        raise Rejected("symbolic link pointing outside raw/")
    suffix = path.suffix.lower()
    if suffix not in ARTICLE_SUFFIXES:
        raise Rejected(f"unsupported file type {suffix or '(none)'}; expected .txt or .html")
    what = special_file(path)
    if what:
        raise Rejected(f"{what}, not a regular file; skipped without opening it")
    if not path.is_file():
        raise Rejected("not a regular file")
    if display_path(path.name) != path.name:
        raise Rejected("file name is not valid UTF-8; rename the file")
    size = path.stat().st_size
    if size > max_bytes:
        raise Rejected(f"file is {size:,} bytes, over the {max_bytes:,}-byte limit")
    data = read_bytes(path, max_bytes)  # the file may have grown since stat()
    if len(data) > max_bytes:
        raise Rejected(f"file is over the {max_bytes:,}-byte limit")
    sidecar = read_sidecar(sidecar_path(path), raw_root)
    text = decode(data, sidecar.get("encoding"))
    if "\x00" in text:  # a declared encoding (UTF-16, say) can decode to NUL characters
        raise Rejected("text contains NUL characters (binary data, or the wrong encoding declared)")
    if _control_ratio(text) > 0.01:
        raise Rejected("binary file (control characters), not text")
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    fmt = "html" if suffix in (".html", ".htm") else "txt"
    if fmt == "html":
        check_html(text)
    return RawArticle(
        source_id=source_id,
        raw_path=path.relative_to(raw_root).as_posix(),
        raw_sha256=hashlib.sha256(data).hexdigest(),
        format=fmt,
        content=text,
        sidecar=sidecar,
    )


def ingest(raw_root: Path, sources: list[Source], max_bytes: int = MAX_BYTES, known: dict | None = None,
           record: dict | None = None) -> tuple[list[RawArticle], list[dict]]:
    """All usable article files; the rest as {"path", "reason"} rejections.

    The same bytes in two files of one outlet are one article: the first path (in sorted
    order) is kept; so is the same text in two encodings within one outlet. The same bytes
    at two outlets are two articles (wire copy republished, which the `copies` table and
    the agreements' `independent` flag are about). An OSError that may pass
    (TRANSIENT_ERRNOS) is raised for the orchestrator to retry; any other rejects the file.

    `known`: an earlier run's `record` (see known_article). A file whose stats (and its
    sidecar's) are the ones recorded is not read: its RawArticle is the recorded one, with
    `content` None (a caller that needs the text reads the file again: read_article).
    `record`, when given, is filled with every usable file's entry for the next run.
    """
    raw_root = Path(raw_root)
    articles, rejected, seen, seen_text = [], [], {}, {}
    taken = time.time_ns()  # before any file is looked at: see _settled
    for path in discover(raw_root, sources, rejected):
        rel = display_path(path.relative_to(raw_root).as_posix())
        try:
            art, entry = known_article(raw_root, path, rel, known) if known else (None, None)
            if art is None:
                art = read_article(raw_root, path, path.parent.name, max_bytes)
                entry = file_entry(path, art, text_digest(art.content))
        except Rejected as e:
            rejected.append({"path": rel, "reason": str(e)})
            continue
        except OSError as e:
            if e.errno in TRANSIENT_ERRNOS:
                raise
            rejected.append({"path": rel, "reason": f"cannot be read: {e.strerror or e}"})
            continue
        except (ValueError, RecursionError, MemoryError) as e:  # never let one file sink the run
            rejected.append({"path": rel, "reason": f"cannot be read: {type(e).__name__}: {e}"[:300]})
            continue
        byte_key = (art.source_id, art.raw_sha256)
        if byte_key in seen:
            rejected.append({"path": rel, "reason": f"same content as {seen[byte_key]}"})
            continue
        text_key = (art.source_id, entry["text"])
        if text_key in seen_text:
            rejected.append({"path": rel, "reason": f"same text as {seen_text[text_key]} (in another encoding)"})
            continue
        seen[byte_key] = rel
        seen_text[text_key] = rel
        articles.append(art)
        if record is not None and _settled(entry, taken):
            record[rel] = entry
    return articles, rejected


# ---- files known from an earlier run ---------------------------------------------------------
# An entry per usable file: its stats and its sidecar's (unchanged.stat_entry: kind, size, mtime,
# ctime, inode, mode; the sidecar's None when it has none), and what reading it gave apart
# from the text: the RawArticle's fields, the digest of its text (for the duplicate check).
# Stats that are the same mean the same bytes, as for `git status` and unchanged.py; a file
# modified within RACY_NS of when it was read is never trusted (a second write in the same
# timestamp tick would not move its mtime), nor is a symbolic link (its target may move).

def text_digest(content: str) -> str:
    """What two files of one outlet with the same text in two encodings share."""
    return hashlib.sha256(content.strip().encode()).hexdigest()


def _stats(path: Path) -> list | None:
    try:
        return unchanged.stat_entry(os.stat(path))
    except OSError:
        return None


def sidecar_path(path: Path) -> Path:
    """<slug>.meta.json beside an article file <slug>.<ext>."""
    return Path(sidecar_file(os.fspath(path)))


def sidecar_file(file: str) -> str:
    """sidecar_path of a path as a string (a run looks for every article's: no Path objects).
    The extension is Path.suffix's: from the name's last dot, unless the name starts or
    ends with it."""
    name_at = file.rfind("/") + 1
    dot = file.rfind(".")
    ext = dot > name_at and dot < len(file) - 1
    return (file[:dot] if ext else file[:name_at]) + ".meta.json"


def file_entry(path: Path, art: RawArticle, text: str) -> dict:
    """The record entry of a file just read into `art` (JSON-able through crosswire.cache)."""
    return {"stat": _stats(path), "side": _stats(sidecar_path(path)), "source_id": art.source_id,
            "raw_sha256": art.raw_sha256, "format": art.format, "sidecar": art.sidecar, "text": text}


def _settled(entry: dict, taken: int) -> bool:
    """Whether the file (and its sidecar) were last modified long enough before `taken` that a
    later change must move their stats."""
    stats = [entry["stat"], *([entry["side"]] if entry["side"] else [])]
    return entry["stat"] is not None and all(taken - max(st[2], st[3]) >= unchanged.RACY_NS for st in stats)


def known_article(raw_root: Path, path: Path, rel: str, known: dict) -> tuple[RawArticle | None, dict | None]:
    """(the RawArticle of a file whose stats and its sidecar's are those of its entry in
    `known`, without its text; the entry) or (None, None): the file must be read."""
    entry = known.get(rel)
    if entry is None:
        return None, None
    file = os.fspath(path)
    if os.path.islink(file) or _stats(file) != entry["stat"] or _stats(sidecar_file(file)) != entry["side"] \
            or entry["source_id"] != os.path.basename(os.path.dirname(file)):
        return None, None
    art = RawArticle(source_id=entry["source_id"], raw_path=path.relative_to(raw_root).as_posix(),
                     raw_sha256=entry["raw_sha256"], format=entry["format"], content=None, sidecar=entry["sidecar"])
    return art, entry


def with_content(raw_root: Path, art: RawArticle, max_bytes: int = MAX_BYTES) -> RawArticle:
    """`art` with its text: read again when ingest took it from an earlier run's record. A
    file whose bytes moved since gives its new RawArticle (a change after ingest stat'ed it)."""
    if art.content is not None:
        return art
    return read_article(Path(raw_root), Path(raw_root) / art.raw_path, art.source_id, max_bytes)


def input_files(raw_root: Path, sources: list[Source], used: dict[str, str | None]) -> list[dict]:
    """What a release was made from: each used article file (path -> the sha256 it was read
    with, or None to hash it now), its sidecar and its source's source.toml."""
    raw_root = Path(raw_root)
    known = dict(used)
    root = os.fspath(raw_root)
    for rel in used:
        side = sidecar_file(rel)  # beside the file, so relative to the root as it is
        if os.path.exists(f"{root}/{side}"):
            known.setdefault(side, None)
    folders = {rel.split("/", 1)[0] for rel in used}
    for src in sources:
        if src.source_id in folders:
            known.setdefault(f"{src.source_id}/source.toml", None)
    return [{"path": rel, "sha256": sha or hashlib.sha256((raw_root / rel).read_bytes()).hexdigest()}
            for rel, sha in sorted(known.items())]


def record_blob(cache_root: Path | None, raw: Path):
    """(Blobs, name): where a run keeps ingest's record of the raw root's files (`ingest`'s
    `record`), named by the raw root and kept under the code that reads the files."""
    code = cache.code_version("ingest-files", [sys.modules[__name__], sources, urls]) + f":{MAX_BYTES}"
    return Blobs(cache_root, "ingest-files", code), "files-" + cache.digest(os.path.realpath(raw))[:16]
