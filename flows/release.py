"""The release flow: raw/ in, a validated, versioned release out.

Orchestration only: every step is a function of `crosswire`; this module decides batching,
retries and concurrency. Tasks take batches of articles, never one article each, so
Prefect's per-task overhead stays small.

The same steps run two ways (`build_release` over a `Steps`):
- `release_flow`: a Prefect flow run, visible in the UI of the server PREFECT_API_URL names;
- `local_release`: without any Prefect API (no server to start, no temporary server): each
  task's function called directly, with the task's own retries, on a thread pool or a
  Dask cluster. `crosswire run` takes it when no Prefect server is configured or running.

Both cores: the statements of many articles are extracted in a pool of NLP worker processes
(`nlp_workers`), each with spaCy loaded once. Each worker stores every article's result in
the cache as soon as it is finished, so an interrupted run keeps what it did. A stop request
(`request_stop`, from the command line's SIGINT/SIGTERM handler) ends the work between two
articles; `stop_children` ends the worker processes.
"""
from __future__ import annotations

import gc
import logging
import math
import os
import threading
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Callable

from crosswire import (__version__, align, articleindex, attribution, cache, carry, clean, configschema, copies,
                       corroborate, datelines, ingest, licenses, metadata, nlp, publish, quotes, rowcheck, sources,
                       speakers, statements, urls, userregex, utterances, visibledates)
from crosswire.ingest import Rejected
from crosswire.progress import Progress, summary_markdown

BATCH_SIZE = 50
ARTIFACT_KEY = "crosswire-release"
# below this many articles to parse, starting worker processes (each loads spaCy: a few
# seconds) costs more than the second core gives back
MIN_POOL_ARTICLES = 24


@dataclass(frozen=True)
class Step:
    """One task of the release flow: its function and the options of the Prefect task made
    of it. The Prefect task is made only inside a Prefect flow run (PrefectSteps.prefect_task),
    so a run without a Prefect API never imports Prefect (about 1.5 s of every run's start)."""
    fn: Callable
    name: str
    retries: int = 0
    retry_delay_seconds: Any = 0


def step(name: str, retries: int = 0, retry_delay_seconds: Any = 0):
    """@step(name, ...) makes a function a Step (the options Prefect's @task takes)."""
    return lambda fn: Step(fn, name, retries, retry_delay_seconds)


class Stopped(KeyboardInterrupt):
    """The run was asked to stop (SIGINT, SIGTERM): work ends between two articles."""


_STOP = threading.Event()
_POOL = None          # the NLP worker processes of the running release, when there are any


def request_stop() -> None:
    _STOP.set()


def _check_stop() -> None:
    if _STOP.is_set():
        raise Stopped("stopped")


def stage_versions() -> dict:
    return {"clean": clean.STAGE_VERSION, "metadata": metadata.STAGE_VERSION,
            "statements": statements.STAGE_VERSION, "cross_source": corroborate.STAGE_VERSION}


def stage_codes() -> dict:
    """Code versions of the cached stages (declared version + source digest): the per-article
    ones, and the per-event part of the cross-source stage (with align's fitted thresholds)."""
    align_data = Path(align.__file__).parent / "data" / "align.toml"
    return {"articles": cache.code_version([clean.STAGE_VERSION, metadata.STAGE_VERSION],
                                           [ingest, sources, clean, metadata, datelines, visibledates, urls, userregex,
                                            configschema, SimpleNamespace(__file__=str(urls.SECRETS_FILE)),
                                            *(SimpleNamespace(__file__=str(Path(datelines.__file__).parent / "data" / f))
                                              for f in ("timezones.toml", "places.toml"))]),
            "statements": cache.code_version(statements.STAGE_VERSION, [statements, quotes, attribution, speakers, nlp,
                                                                        *statements.code_parts()]),
            "events": cache.code_version(corroborate.STAGE_VERSION, [corroborate, align, utterances])
            + ":" + cache.files_digest([align_data])[:16]}


def task_runner(kind: str = "threads", address: str | None = None, workers: int | None = None):
    """The Prefect task runner for `crosswire run --task-runner`: threads here, or a Dask cluster."""
    if kind == "threads":
        from prefect.task_runners import ThreadPoolTaskRunner
        return ThreadPoolTaskRunner()
    if kind == "dask":
        from prefect_dask import DaskTaskRunner
        if address:
            return DaskTaskRunner(address=address)
        return DaskTaskRunner(cluster_kwargs={"n_workers": workers or 2, "threads_per_worker": 1, "processes": True})
    raise ValueError(f"unknown task runner {kind!r} (threads or dask)")


def registry_path(raw: Path, rejected: list | None = None) -> Path | None:
    """raw/people.toml, when present, extends the built-in registry of known people. One
    that fails its schema (crosswire.configschema) is listed in `rejected` with the reason
    and the run goes on with the built-in registry."""
    path = raw / "people.toml"
    if not path.exists() and not path.is_symlink():
        return None
    try:
        configschema.check_people(path)
        speakers.load_registry(path)  # its offices and terms are checked as they are read
    except (ValueError, OSError) as e:
        if rejected is not None:
            rejected.append({"path": "people.toml", "reason": str(e).split(": ", 1)[-1]
                             + "; the built-in registry of people is used"})
        return None
    return path


@step(name="load-sources")
def load_sources_task(raw: Path):
    return sources.load_sources(raw)


@step(name="ingest", retries=2, retry_delay_seconds=[1, 4])
def ingest_task(raw: Path, srcs: list, cache_root: Path | None = None):
    """ingest.ingest; with a cache (cache_root), the files whose stats are those the last run
    recorded are not read again (their RawArticles come without text: ingest.with_content)."""
    blobs, name = ingest.record_blob(cache_root, raw)
    payload = blobs.get(name)
    try:
        known = cache.loads(payload.decode("utf-8")) if payload is not None else None
    except ValueError:
        known = None
    record: dict = {}
    out = ingest.ingest(raw, srcs, known=known if isinstance(known, dict) else None, record=record)
    if record != known:
        blobs.put(name, cache.dumps(record).encode("utf-8"))
    return out


def _article_outcome(raw, source) -> dict:
    """{"row": articles row} or {"rejected": reason} for one raw article."""
    try:
        return {"row": metadata.build_article(raw, source)}
    except Rejected as e:
        return {"rejected": str(e)}
    except Exception as e:  # a page that breaks a parser is set aside, not fatal to the run
        return {"rejected": f"could not be processed ({type(e).__name__}: {' '.join(str(e).split())[:200]})"}


def _each(stage: str, work, items: list, keys: list | None, cache_root, token: str | None = None) -> list:
    """work(item) for each item in order; each result stored in the cache (when there is
    one) as soon as it is computed, so that a stopped run keeps every finished article.

    token None: the caller's own process or machine (threads, NLP workers): every result is
    stored and returned. A token (a Dask worker): when the store at cache_root holds that
    token (`store_token`: the worker sees the driver's cache directory), each result is
    stored here and only the marker STORED comes back, so the driver holds keys, not rows;
    when it does not (another machine, or the token "-"), nothing is stored and the results
    come back for the driver to store."""
    store = cache.Cache(cache_root if keys and (token is None or _holds_token(cache_root, token)) else None)
    out = []
    for i, item in enumerate(items):
        _check_stop()
        result = cache.canonical(work(item))
        if store and not articleindex.is_retry(result):
            store.put(stage, keys[i], result)
            if token is not None and store.path(stage, keys[i]).is_file():
                result = STORED
        out.append(result)
    return out


# what a Dask worker returns for a result it wrote to the shared cache itself
STORED = {"stored_in_cache": True}
_TOKEN_FILE = ".store-token"
NO_STORE = "-"  # a token no store holds: the worker returns its results


def store_token(root: Path | None) -> str | None:
    """The token of the cache directory root (written on first use): a worker that reads the
    same token there sees the same directory. None without a cache."""
    if root is None:
        return None
    path = Path(root) / _TOKEN_FILE
    try:
        return path.read_text(encoding="ascii").strip()
    except OSError:
        pass
    import secrets

    token = secrets.token_hex(16)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{_TOKEN_FILE}.{token}")
        tmp.write_text(token, encoding="ascii")
        try:
            os.link(tmp, path)  # never replaces a token another run wrote first
        except FileExistsError:
            pass
        finally:
            tmp.unlink(missing_ok=True)
        return path.read_text(encoding="ascii").strip()
    except OSError:
        return NO_STORE  # a cache that cannot be written: the workers return their results


def _holds_token(root, token: str) -> bool:
    if root is None or token == NO_STORE:
        return False
    try:
        return (Path(root) / _TOKEN_FILE).read_text(encoding="ascii").strip() == token
    except OSError:
        return False


@step(name="clean-and-metadata")
def articles_task(batch: list, srcs: list, keys: list | None = None, cache_root: Path | None = None,
                  token: str | None = None) -> list[dict]:
    """One outcome per raw article, in order: {"row": articles row} or {"rejected": reason}
    (or STORED: see _each)."""
    by_id = {s.source_id: s for s in srcs}
    return _each("articles", lambda raw: _article_outcome(raw, by_id[raw.source_id]), batch, keys, cache_root, token)


def _statement_outcome(article: dict, people) -> list[dict] | dict:
    """The statements of one article (a list), or {"rejected": reason} when its extraction
    failed, ran over its time budget (then also "retry") or its rows break the schema."""
    failed: dict[str, str] = {}
    try:
        rows = statements.extract_statements([article], registry=people, rejected=failed)
    except Exception as e:  # e.g. in the parser: this article is set aside, not the run
        return {"rejected": f"statements could not be extracted ({type(e).__name__}: "
                            f"{' '.join(str(e).split())[:200]})"}
    failed.update({k: v for k, v in rowcheck.failing_articles("statements", rows).items() if k not in failed})
    reason = failed.get(article["article_id"])
    if reason is None:
        return rows
    return {"rejected": reason, **({"retry": True} if reason.startswith("time budget") else {})}


def _statements_of(batch: list[dict], registry: Path | None, keys: list | None, cache_root,
                   token: str | None = None) -> list:
    people = _registry_for(registry)
    return _each("statements", lambda a: _statement_outcome(a, people), batch, keys, cache_root, token)


_REGISTRIES: dict = {}


def _registry_for(path: Path | None):
    """The people registry, read once per process (a worker extracts many batches)."""
    key = (str(path), path.stat().st_mtime_ns if path else None)
    if key not in _REGISTRIES:
        _REGISTRIES.clear()
        _REGISTRIES[key] = speakers.load_registry(path)
    return _REGISTRIES[key]


@step(name="statements")
def statements_task(batch: list[dict], registry: Path | None, keys: list | None = None,
                    cache_root: Path | None = None, token: str | None = None) -> list[list[dict]]:
    """The statements of each article of the batch, in batch order (in an NLP worker
    process when the run has them; or STORED: see _each)."""
    pool = _POOL
    if pool is not None:
        future = pool.submit(_statements_of, batch, registry, keys, cache_root, token)
        while True:  # wait in short steps, so that a stop request is seen at once
            _check_stop()
            try:
                return future.result(timeout=0.2)
            except TimeoutError:
                continue
    return _statements_of(batch, registry, keys, cache_root, token)


def _warm() -> int:
    nlp.load()
    return os.getpid()


def _worker_start() -> None:
    # Ctrl-C reaches the whole process group: the run that owns the worker decides what stops
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def nlp_processes() -> int:
    """How many NLP worker processes a run may use (CROSSWIRE_NLP_PROCESSES, default: the cores, at most 2)."""
    value = os.environ.get("CROSSWIRE_NLP_PROCESSES", "").strip()
    if value.isdigit():
        return int(value)
    return min(2, os.cpu_count() or 1)


@contextmanager
def nlp_workers(n: int):
    """A pool of n worker processes, spaCy loaded in each, for the statements tasks of this
    process; none when n < 2. The workers are ended on the way out, however it is left."""
    global _POOL
    if n < 2:
        yield None
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # spawn, not fork: this process has threads (Prefect's, the task runner's) that a fork would copy mid-flight
    pool = ProcessPoolExecutor(max_workers=n, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_worker_start)
    for _ in range(n):
        pool.submit(_warm)  # load spaCy in every worker while this process does other work
    _POOL = pool
    try:
        yield pool
    finally:
        _POOL = None
        _end_pool(pool)


def _end_pool(pool) -> None:
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for p in processes:
        if p.is_alive():
            p.terminate()
    for p in processes:
        p.join(timeout=3)
        if p.is_alive():
            p.kill()
            p.join(timeout=1)


def stop_children() -> None:
    """End every child process a run may have started: NLP workers, Prefect's temporary
    server (when one was used). For the signal path; the normal path ends them itself."""
    global _POOL
    if _POOL is not None:
        _end_pool(_POOL)
        _POOL = None
    import sys

    server_module = sys.modules.get("prefect.server.api.server")  # only if a run imported it
    if server_module is not None:
        for server in list(server_module.SubprocessASGIServer._instances.values()):
            try:
                server.stop()
            except Exception:
                pass
    import multiprocessing

    for child in multiprocessing.active_children():
        child.terminate()
        child.join(timeout=2)
    try:  # spawn started multiprocessing's resource tracker: end and reap it too
        from multiprocessing import resource_tracker
        resource_tracker._resource_tracker._stop()
    except Exception:
        pass
    _end_own_children()


def _own_children() -> list[int]:
    """Process ids whose parent is this process (Linux /proc; none elsewhere)."""
    me, found = os.getpid(), []
    try:
        entries = os.listdir("/proc")
    except OSError:
        return []
    for entry in entries:
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == me:
                        found.append(int(entry))
            except (OSError, IndexError, ValueError):
                continue
    return found


def _end_own_children(grace: float = 2.0) -> None:
    """Whatever child is left (running or a zombie): asked to end, then killed, and reaped
    here, so that none outlives the run or waits for init to reap it."""
    import signal

    pending = set(_own_children())
    for pid in pending:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + grace
    while pending:
        for pid in list(pending):
            try:
                if os.waitpid(pid, os.WNOHANG)[0] == pid:
                    pending.discard(pid)
            except ChildProcessError:
                pending.discard(pid)
        if not pending:
            break
        if time.monotonic() > deadline:
            for pid in pending:
                try:
                    os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
                except (ProcessLookupError, ChildProcessError):
                    pass
            break
        time.sleep(0.05)


@step(name="cross-source")
def cross_source_task(articles: list[dict], statements_of, text_of, previous_events: dict,
                      cache_root: Path | None, code: str):
    """-> (the cross-source stage's result (corroborate.cross_source_stream over the slim
    article rows, each article's statements and text read through statements_of and
    text_of), (events computed, events from the cache)). Events whose inputs are in the
    cache under cache_root (None: no cache) are not aligned again. The statements' cache
    keys (statements_of.keys, a cache.StageRows's) name each article's statements, so the
    stage keeps their digests by them."""
    memo = cache.Memo(cache.Cache(cache_root), "events", code)
    out = corroborate.cross_source_stream(articles, statements_of, text_of, previous_events, memo=memo,
                                          store_root=cache_root, statement_keys=getattr(statements_of, "keys", None))
    # an event an earlier run aligned is not read from the memo until its rows are asked for
    return out, (memo.misses, len(out.event_keys) - memo.misses)


class TextOf:
    """article_id -> its text, read through a StageRows of article rows (picklable)."""

    def __init__(self, rows_of: cache.StageRows):
        self.rows_of = rows_of

    def __call__(self, article_id: str) -> str | None:
        return self.rows_of(article_id).get("text")


def _article_rows(store: cache.Cache, articles: list[dict], keys: dict[str, str], sound: set[str] = frozenset()
                  ) -> cache.StageRows:
    """The articles' rows by article_id, read back from the store's articles entries (each
    an outcome {"row": ...}); the rows the store does not hold are kept in memory. `sound`:
    keys whose entries this run found intact (not looked for again: 10k file stats)."""
    held = {a["article_id"]: a for a in articles if keys[a["article_id"]] not in sound
            and not store.holds("articles", keys[a["article_id"]])}
    return cache.StageRows(store.root, "articles", {a["article_id"]: keys[a["article_id"]] for a in articles},
                           held, field="row")


KEPT = articleindex.KEPT  # a result the store holds: _map_cached keeps this marker for it


def _kept_in(store: cache.Cache, stage: str):
    """The `keep` of _map_cached for results read back later: a list of rows the store holds
    becomes KEPT; anything else (a rejection, rows that could not be stored) is kept as it is."""
    return lambda key, result: KEPT if isinstance(result, list) and store.holds(stage, key) else result


def speaker_evidence(table) -> list[dict]:
    """What build_speakers reads of the statements table, in as few rows as give the same
    speakers: each speaker's first statement in statement_id order (the first name a speaker
    is given wins), then one row per distinct (speaker, name, resolution, mention) among those that
    can add an alias or a role (resolution "name" or "title"; the others add nothing). At 10k
    articles that is thousands of rows, not the 200k statements as Python dicts."""
    import pyarrow as pa
    import pyarrow.compute as pc

    t = table.select(["speaker_id", "speaker_name", "speaker_mention", "resolution", "statement_id"])
    # build_speakers skips a row without a speaker id or name (null or empty: null drops here too)
    t = t.filter(pc.and_(pc.not_equal(t["speaker_id"], ""), pc.not_equal(t["speaker_name"], "")))
    first = t.sort_by("statement_id").group_by("speaker_id", use_threads=False).aggregate(
        [("speaker_name", "first")])
    name_of = dict(zip(first["speaker_id"].to_pylist(), first["speaker_name_first"].to_pylist()))
    adding = t.filter(pc.is_in(t["resolution"], pa.array(["name", "title"])))
    # (a row's own name too: its mention is an alias when it differs from that name)
    adding = adding.group_by(["speaker_id", "speaker_name", "resolution", "speaker_mention"]).aggregate([])
    return ([{"speaker_id": sid, "speaker_name": name, "speaker_mention": None, "resolution": None}
             for sid, name in name_of.items()] + adding.to_pylist())


def _withheld(articles, sources: list[dict]):
    """The article rows of a public release (licenses.withhold_text), a batch at a time."""
    for chunk in publish.chunks(articles, publish.ARROW_BATCH_ROWS):
        yield from licenses.withhold_text(chunk, sources)


@step(name="publish")
def publish_task(rows: dict, datasets: Path, inputs: list, rejected: list, code: dict, warnings: list = (),
                 cache_root: Path | None = None, settled: tuple | None = None):
    """Publish the next release; with a cache (cache_root), each table's row hashes are kept in
    it, so that the next run plans its release without hashing the rows that did not change.
    `settled`: the rows carried from the newest release (see publish.publish)."""
    return publish.publish(rows, datasets, inputs=inputs, rejected=rejected, code=code, warnings=warnings,
                           hash_store=cache.Cache(cache_root) if cache_root else None, settled=settled)


def give_back_memory() -> None:
    """Hand the heap a stage freed back to the operating system (Arrow's memory pool, then
    glibc's malloc_trim; nothing more elsewhere). Without it the driver's resident size is
    the sum of its stages' peaks, not their maximum: the parsers of the clean stage run on
    several threads, each with its own malloc arena, what a stage frees stays mapped for the
    next to reuse only in part, and Arrow's pool (mimalloc) keeps what Arrow freed."""
    publish.give_back_arrow()
    global _LIBC
    if _LIBC is None:
        import ctypes
        import ctypes.util

        try:
            _LIBC = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
            _LIBC.malloc_trim.argtypes = [ctypes.c_size_t]
        except (OSError, AttributeError):
            _LIBC = False
    if _LIBC:
        _LIBC.malloc_trim(0)


_LIBC = None


def keep_long_lived_out_of_gc() -> None:
    """Collect in full, then set everything still alive aside from the garbage collector
    (gc.freeze), for a process that runs the flow many times (`crosswire watch`): its loaded
    modules, spaCy pipeline and caches are some 170k objects, which each full collection in
    a run otherwise walks again (a one-added run at 10k articles: 0.6-0.9 s of full
    collections, 0.3 s once they are set aside). Unfrozen first, so that what a run left as
    garbage is collected however long ago it was set aside; objects set aside still go as
    soon as nothing refers to them. gc.unfreeze() gives them back to the collector."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def _warm_language() -> None:
    """Load the language identifier's model (py3langid: seconds of decompression, done once
    per process on its first use), as metadata.detect_language would."""
    metadata.detect_language("The council said on Monday that the new bridge would open in the spring.", "en")


def preload(datasets: Path | None = None) -> None:
    """Load now what a run that meets a new article loads on its way (the spaCy pipeline, the
    language identifier, the word frequencies of event profiles, pandera for the row checks:
    about 2.5 s in all): for a process that runs the flow many times (`crosswire watch`), so
    that the first new article after a quiet spell does not pay for them. They stay loaded
    for the process's life (cached functions, module state). `datasets`: what publishing
    reads of its releases too (publish.warm)."""
    from crosswire import events, validate
    from schemas import TABLES

    nlp.load()
    _warm_language()
    events.load_frequencies()
    # pandera loads most of itself on its first check (hypothesis among it): check empty tables
    validate.validate_tables({name: spec.arrow_schema.empty_table() for name, spec in TABLES.items()})
    if datasets is not None:
        publish.warm(datasets)


def _warm_up(loads: dict[str, Callable | None]) -> dict[str, threading.Thread]:
    """Each given load started on a thread of its own: {name: thread}. A load that fails is
    left to the stage that needs it, which loads again and reports the error there."""
    def quietly(fn):
        try:
            fn()
        except Exception:
            pass

    threads = {name: threading.Thread(target=quietly, args=(fn,), name=f"crosswire-warm-{name}", daemon=True)
               for name, fn in loads.items() if fn is not None}
    for t in threads.values():
        t.start()
    return threads


def _wait(threads: dict[str, threading.Thread], name: str) -> None:
    """Wait for the load `name` (if it was started), in short steps so a stop request is seen."""
    t = threads.get(name)
    while t is not None and t.is_alive():
        _check_stop()
        t.join(timeout=0.1)


def _index_context() -> str:
    """What an article index entry's row check depends on besides the row (articleindex)."""
    return cache.digest(publish.TABLES["articles"].fingerprint, cache.code_version("rowcheck", [rowcheck]))


def _with_text(raw_root: Path, raws: list, keys: list[str], sound: set[str], by_id: dict, code: str,
               rejected: list) -> tuple[list, list[str]]:
    """(raws, keys) where every article without a sound cache entry has its text (ingest took
    the files it knew by their stats without reading them). A file that cannot be read now
    joins `rejected`; one whose bytes moved since ingest has its new key."""
    if all(r.content is not None for r in raws):
        return raws, keys
    out_raws, out_keys = [], []
    for r, k in zip(raws, keys):
        if r.content is None and k not in sound:
            try:
                r = ingest.with_content(raw_root, r)
            except (ingest.Rejected, OSError, ValueError) as e:
                rejected.append({"path": r.raw_path, "reason": f"cannot be read: {e}"[:300]
                                 if not isinstance(e, ingest.Rejected) else str(e)})
                continue
            k = cache.article_key(r, by_id[r.source_id], code)
        out_raws.append(r)
        out_keys.append(k)
    return out_raws, out_keys


class _Lazy:
    """items seen through fn, one at a time (what _map_cached submits of them)."""

    def __init__(self, items: list, fn: Callable):
        self.items, self.fn = items, fn

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, i: int):
        return self.fn(self.items[i])


def _drop_rejected(articles: list[dict], bad: dict[str, str], rejected: list) -> list[dict]:
    """articles without those in `bad` (article_id -> reason), which join `rejected`."""
    rejected += [{"path": a["raw_path"], "reason": bad[a["article_id"]]} for a in articles if a["article_id"] in bad]
    return [a for a in articles if a["article_id"] not in bad]


def _batches(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def _statement_order(r: dict) -> tuple:
    return (r["article_id"], r["section"], r["char_start"], r["char_end"], r["kind"])


class PrefectSteps:
    """Inside a Prefect flow run: tasks are Prefect task runs (retries, UI, task runner)."""

    def __init__(self):
        from prefect import get_run_logger

        self.logger = get_run_logger()

    def call(self, t: Step, *args):
        return prefect_task(t)(*args)

    def submit(self, t: Step, *args):
        return prefect_task(t).submit(*args)

    def parallel(self) -> int:
        return 1  # what runs the tasks is Prefect's task runner's business

    def store_token(self, store) -> str | None:
        """Tasks on Dask workers (DaskTaskRunner) write their results to the cache themselves."""
        from prefect.context import FlowRunContext

        runner = getattr(FlowRunContext.get(), "task_runner", None)
        return store_token(store.root) if "dask" in type(runner).__module__.lower() else None

    def artifact(self, result: dict, new_inputs: list[str]) -> None:
        _artifact(result, new_inputs, self.logger)


class LocalSteps:
    """Without a Prefect API: each task's function, with the task's retries, on threads or
    on a Dask cluster (`executor` has submit(fn, *args) -> a future with .result())."""

    def __init__(self, executor):
        self.executor = executor
        self.logger = logging.getLogger("crosswire.release")
        # the knob the Prefect path's run logger obeys (`crosswire run` sets it: -v shows warnings)
        self.logger.setLevel(os.environ.get("PREFECT_LOGGING_LEVEL", "WARNING").upper())

    def call(self, t, *args):
        return _with_retries(t, *args)

    def submit(self, t, *args):
        if _on_dask(self.executor):
            # pure=False: no hashing of the batch's arguments here; each batch its own key
            return self.executor.submit(_with_retries, t, *args, pure=False)
        return self.executor.submit(_with_retries, t, *args)

    def parallel(self) -> int:
        """How many tasks run at once where the NLP runs: a Dask cluster's threads; one here (the GIL)."""
        if _on_dask(self.executor):
            return sum(w.get("nthreads", 1) for w in self.executor.scheduler_info()["workers"].values())
        return 1

    def store_token(self, store) -> str | None:
        """Tasks on Dask workers write their results to the cache themselves (see _each)."""
        return store_token(store.root) if _on_dask(self.executor) else None

    def artifact(self, result: dict, new_inputs: list[str]) -> None:
        pass  # no Prefect API to hold it; the run's summary is the command's output


def _on_dask(executor) -> bool:
    return type(executor).__module__.startswith("distributed")


def _with_retries(t, *args):
    """Call a Prefect task's function as Prefect would: again after a failure, `t.retries`
    times, waiting `t.retry_delay_seconds` (one number or one per retry) in between."""
    delays = t.retry_delay_seconds
    for attempt in range(t.retries + 1):
        try:
            return t.fn(*args)
        except Exception:
            if attempt == t.retries:
                raise
            wait = delays[min(attempt, len(delays) - 1)] if isinstance(delays, (list, tuple)) else (delays or 0)
            deadline = time.monotonic() + wait
            while time.monotonic() < deadline:
                _check_stop()
                time.sleep(min(0.1, max(0.0, deadline - time.monotonic())))


_PREFECT_TASKS: dict = {}


def prefect_task(t: Step):
    """The Prefect task of a step (made once per process)."""
    if t.name not in _PREFECT_TASKS:
        from prefect import task

        _PREFECT_TASKS[t.name] = task(name=t.name, retries=t.retries, retry_delay_seconds=t.retry_delay_seconds)(t.fn)
    return _PREFECT_TASKS[t.name]


def __getattr__(name: str):
    """`release_flow`, the Prefect flow, is made on first use (PEP 562), so that importing
    this module does not import Prefect."""
    if name == "release_flow":
        from prefect import flow

        globals()["release_flow"] = made = flow(name="crosswire-release", log_prints=False)(release_flow_fn)
        return made
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def release_flow_fn(raw: str, datasets: str, batch_size: int = BATCH_SIZE, cache_dir: str | None = None,
                 use_cache: bool = True, progress: bool = False, nlp_processes: int | None = None,
                 public: bool | None = None) -> dict:
    """raw/ to the next release. Per-article results are cached (crosswire.cache) under
    cache_dir (default <datasets>/.cache) unless use_cache is false; only misses are computed.
    A public release (`public`, default the CROSSWIRE_PUBLIC setting) carries article text
    only where the outlet's licence allows it (crosswire.licenses)."""
    return build_release(PrefectSteps(), raw, datasets, batch_size, cache_dir, use_cache, progress, nlp_processes,
                         public)


def local_release(raw: str, datasets: str, batch_size: int = BATCH_SIZE, cache_dir: str | None = None,
                  use_cache: bool = True, progress: bool = False, nlp_processes: int | None = None,
                  task_runner: str = "threads", address: str | None = None, workers: int | None = None,
                  public: bool | None = None) -> dict:
    """The release flow's steps without a Prefect API (see the module's docstring)."""
    with _executor(task_runner, address, workers) as executor:
        return build_release(LocalSteps(executor), raw, datasets, batch_size, cache_dir, use_cache, progress,
                             nlp_processes if task_runner == "threads" else 0, public)


@contextmanager
def _executor(kind: str, address: str | None, workers: int | None):
    if kind == "threads":
        from concurrent.futures import ThreadPoolExecutor

        pool = ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 1), thread_name_prefix="crosswire")
        try:
            yield pool
        finally:
            pool.shutdown(wait=not _STOP.is_set(), cancel_futures=True)
        return
    if kind != "dask":
        raise ValueError(f"unknown task runner {kind!r} (threads or dask)")
    from distributed import Client, LocalCluster

    # Dask logs its cluster's comings and goings at INFO: keep to the level `crosswire run` set
    logging.getLogger("distributed").setLevel(os.environ.get("PREFECT_LOGGING_LEVEL", "WARNING").upper())
    if address:
        with Client(address) as client:
            yield client
        return
    with LocalCluster(n_workers=workers or 2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        yield client


def build_release(steps, raw: str, datasets: str, batch_size: int = BATCH_SIZE, cache_dir: str | None = None,
                  use_cache: bool = True, progress: bool = False, nlp_processes: int | None = None,
                  public: bool | None = None) -> dict:
    """The release's steps, run by `steps` (PrefectSteps or LocalSteps).

    The driver holds keys, not rows: each article's row and statements stay where the
    stages stored them (the cache; without one, a temporary store of this run's own, removed
    at the end) and are read back when cross-source and publishing need them."""
    if use_cache:
        # absolute: Dask workers, whose working directory is their own, write to it too
        root = (Path(cache_dir) if cache_dir else cache.default_dir(Path(datasets))).absolute()
        return _build_release(steps, raw, datasets, batch_size, cache.Cache(root), True, progress, nlp_processes,
                              public)
    import shutil
    import tempfile

    root = Path(tempfile.mkdtemp(prefix="crosswire-run-")).absolute()
    try:
        return _build_release(steps, raw, datasets, batch_size, cache.Cache(root), False, progress, nlp_processes,
                              public)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _build_release(steps, raw: str, datasets: str, batch_size: int, store: cache.Cache, use_cache: bool,
                   progress: bool, nlp_processes: int | None, public: bool | None) -> dict:
    """build_release over `store`: the cache, or (use_cache false) a fresh store of this run
    that holds its rows only (nothing of an earlier run; the cross-source stage keeps nothing)."""
    _STOP.clear()
    logger = steps.logger
    raw_path, datasets_path = Path(raw), Path(datasets)
    bars = Progress(progress)
    codes = stage_codes()
    srcs, rejected = steps.call(load_sources_task, raw_path)
    raws, bad = steps.call(ingest_task, raw_path, srcs, store.root if use_cache else None)
    rejected += bad
    bars.stage("ingest", len(raws) + len(bad), "files").done(f"{len(bad)} rejected")

    # clean + metadata: only the articles the cache does not hold, in batches; of those the
    # last run indexed (articleindex), the index's slim row, not the entry
    by_id = {s.source_id: s for s in srcs}
    index_context = _index_context()
    index = articleindex.load(store.root if use_cache else None, index_context)
    keys = cache.article_keys(raws, by_id, codes["articles"])
    # the entries there and intact (seal checked, not decoded; or their stats those the index
    # saw verified): an index entry is used only while the articles entry it stands for is;
    # the others are computed, from the file's text
    vouched = {k: store.vouched("articles", k, articleindex.seen(index.get(k), "articles")) for k in keys}
    sound = {k for k, (intact, _) in vouched.items() if intact}
    vouched = {k: {"articles": stats} for k, (intact, stats) in vouched.items() if intact}
    raws, keys = _with_text(raw_path, raws, keys, sound, by_id, codes["articles"], rejected)
    known = {i: index[k] for i, k in enumerate(keys) if k in index and k in sound}
    fresh = [i for i in range(len(raws)) if i not in known]
    # what computing a new article here needs, loaded on threads meanwhile (each waited for
    # before its stage): the language identifier's model, and spaCy when this process will
    # extract the statements (few articles: no worker processes; no Dask cluster)
    here = steps.store_token(store) is None
    warming = _warm_up({"language": _warm_language if fresh and here else None,
                        "spacy": nlp.load if 0 < len(fresh) < MIN_POOL_ARTICLES and here else None})
    _wait(warming, "language")
    fresh_outcomes, todo = _map_cached(store, bars.stage("clean+metadata", len(raws)), "articles",
                                       [raws[i] for i in fresh], [keys[i] for i in fresh],
                                       lambda batch, bkeys, token: steps.submit(articles_task, batch, srcs, bkeys,
                                                                                store.root, token),
                                       batch_size, steps.store_token(store), already=len(known))
    outcomes = [known[i]["outcome"] if i in known else None for i in range(len(raws))]
    for i, o in zip(fresh, fresh_outcomes):
        outcomes[i] = o
    processed, cached = {"articles": todo}, {"articles": len(raws) - todo}
    live = [(i, o["row"]) for i, o in enumerate(outcomes) if "row" in o]
    articles = [row for _, row in live]
    akeys = {row["article_id"]: keys[i] for i, row in live}
    known_akeys = {keys[i] for i in known}
    rejected += [{"path": r.raw_path, "reason": o["rejected"]} for r, o in zip(raws, outcomes) if "rejected" in o]
    del raws  # every raw file's decoded text: the article rows carry what later steps read
    give_back_memory()
    # the row check of an article the index knows is the index's; the others' are checked here
    bad_rows = {row["article_id"]: known[i]["bad"] for i, row in live if i in known and known[i]["bad"]}
    bad_rows.update(rowcheck.failing_articles("articles", [row for i, row in live if i not in known]))
    bad_of = dict(bad_rows)
    if len(bad_rows) < len(articles):  # every article failing is the code's fault: publish refuses it whole
        articles = _drop_rejected(articles, bad_rows, rejected)

    # statements: the NLP stage, again only for cache misses
    registry = registry_path(raw_path, rejected)
    model = cache.model_label()
    # the people registry of raw/ steers attribution (the built-in data files the statement
    # code reads are in its code version: statements.STATEMENT_DATA)
    people = cache.files_digest([registry])
    skey_context = cache.digest(codes["statements"], model, people)
    entry_of = {a["article_id"]: index[akeys[a["article_id"]]] for a in articles if akeys[a["article_id"]] in known_akeys}

    def full(a: dict) -> dict:
        """The whole row of an article (an indexed article's row is slim: read its entry)."""
        if a["article_id"] not in entry_of:
            return a
        outcome = store.get("articles", akeys[a["article_id"]])
        if outcome is None:
            raise cache.MissingRows(f"the articles cache entry of article {a['article_id']} vanished or was "
                                    f"damaged during the run; run again")
        return outcome["row"]

    def statements_key(a: dict) -> str:
        e = entry_of.get(a["article_id"])
        if e and e.get("skey") and e["skey"][0] == skey_context:
            return e["skey"][1]
        return cache.statements_key(full(a), codes["statements"], model, people)

    skeys = [statements_key(a) for a in articles]
    # an indexed article's statements entry is checked (its seal or its stats), not read
    found = []
    for a, k in zip(articles, skeys):
        kept, stats = articleindex.indexed_statements(store, entry_of.get(a["article_id"]), k)
        found.append(kept)
        if stats is not None:
            vouched.setdefault(akeys[a["article_id"]], {})["statements"] = stats
    fresh = [i for i, o in enumerate(found) if o is None]
    misses = sum(1 for i in fresh if not store.holds("statements", skeys[i]))  # not read here: a guess for the pool
    workers = nlp_processes if nlp_processes is not None else globals()["nlp_processes"]()
    _wait(warming, "spacy")
    with nlp_workers(workers if misses >= MIN_POOL_ARTICLES else 0) as pool:
        # with worker processes (here or on a Dask cluster), smaller batches keep all busy to the end
        parallel = workers if pool is not None else steps.parallel()
        size = batch_size if parallel < 2 else max(1, min(batch_size, math.ceil(misses / (4 * parallel))))
        fresh_found, todo = _map_cached(store, bars.stage("statements", len(articles)), "statements",
                                        _Lazy([articles[i] for i in fresh], full), [skeys[i] for i in fresh],
                                        lambda batch, bkeys, token: steps.submit(statements_task, batch, registry,
                                                                                 bkeys, store.root, token),
                                        size, steps.store_token(store), keep=_kept_in(store, "statements"),
                                        already=len(articles) - len(fresh))
    for i, o in zip(fresh, fresh_found):
        found[i] = o
    processed["statements"], cached["statements"] = todo, len(articles) - todo
    if use_cache:
        entries = articleindex.entries_of(outcomes, keys, bad_of, {a["article_id"]: (k, o) for a, k, o
                                                                   in zip(articles, skeys, found)}, skey_context,
                                          vouched)
        articleindex.vouch_unseen(store, entries)  # the entries this run wrote: not read again next run
        articleindex.save(store.root, index_context, entries, index)
        del entries
    gone = {a["article_id"]: o["rejected"] for a, o in zip(articles, found) if isinstance(o, dict)}
    # from here on the driver holds slim rows and keys: texts and statements are read back from the store
    statements_of = cache.StageRows(store.root, "statements",
                                    {a["article_id"]: k for a, k, o in zip(articles, skeys, found) if o == KEPT},
                                    {a["article_id"]: o for a, o in zip(articles, found) if isinstance(o, list)})
    skey_of = {a["article_id"]: k for a, k in zip(articles, skeys)}  # for the statement rows' carry
    articles = _drop_rejected(articles, gone, rejected)
    del outcomes, found
    rows_of = _article_rows(store, articles, akeys, sound)
    articles = [corroborate.slim_article(a) for a in articles]
    _check_stop()
    give_back_memory()

    bar = bars.stage("cross-source", len(articles))
    # event ids of the last release, so that an event keeps its id when articles join it
    previous_events = publish.last_values(datasets_path, "articles", "article_id", "event_id")
    xs, (processed["events"], cached["events"]) = steps.call(
        cross_source_task, articles, statements_of, TextOf(rows_of), previous_events,
        store.root if use_cache else None, codes["events"])
    articles, warnings = xs.articles, xs.warnings
    bar.done(f"{len(xs.events)} events ({processed['events']} aligned, {cached['events']} cached), "
             f"{len(xs.agreements)} agreements, {len(xs.utterances)} utterances")
    _check_stop()
    give_back_memory()

    # the article files as they were read (their hashes are known), sidecars and configs
    used = {a["raw_path"]: a["raw_sha256"] for a in articles}
    inputs = ingest.input_files(raw_path, srcs, used)
    if registry:
        inputs += ingest.input_files(raw_path, [], {registry.name: None})
    for r in rejected:
        logger.warning("rejected %s: %s", r["path"], r["reason"])
    n_articles = len(articles)
    source_rows = [s.row() for s in srcs]
    carry_root = store.root if use_cache else None
    newest = publish.latest(datasets_path)
    rows, remembered, settled = _tables(xs, rows_of, akeys, skey_of, source_rows, registry, codes, public,
                               carry_root, newest)
    del xs, articles
    # in Arrow, each table's rows dropped as soon as converted: `rows` holds the only references
    # to them (a row dict costs several times its Arrow form), so no table is held twice; the
    # copy pairs are made a part at a time as they are planned, checked and published
    tables = publish.take_tables(rows, in_parts=True)
    settled[1].update({name: of(tables[name]) for name, of in settled[1].items() if callable(of)})
    give_back_memory()
    # the model's name without loading it, so that a run served wholly from the cache does no NLP
    code = {"version": __version__, "stages": stage_versions(), "spacy_model": model or nlp.model_name(nlp.load())}
    new_inputs = changed_inputs(datasets_path, inputs)
    bar = bars.stage("publish", sum(t.num_rows for t in tables.values()), "rows")
    for w in warnings:
        logger.warning("%s: %s", w.get("path") or w.get("article_id"), w["message"])
    _check_stop()  # the last point where stopping leaves nothing half-done; publishing is atomic
    path, plan = steps.call(publish_task, tables, datasets_path, inputs, rejected, code, warnings,
                            store.root if use_cache else None, settled)
    bar.done(str(path) if path else "no changes")
    # what the newest release's article and statement rows were made from (the one published,
    # or with no change the previous one, whose rows these are), for the next run's carry.kept_rows
    for table, (made_of, context) in remembered.items():
        carry.remember(carry_root, path or publish.latest(datasets_path), table, made_of, context)
    result = {"release": str(path) if path else None, "version": plan.version, "previous": plan.previous,
              "bump": plan.bump, "changes": plan.changes, "rejected": rejected, "warnings": warnings,
              "articles": n_articles,
              "processed": processed, "cached": cached, "tables": {k: t.num_rows for k, t in tables.items()}}
    steps.artifact(result, new_inputs)
    return result


def _tables(xs, rows_of, akeys: dict, skey_of: dict, source_rows: list, registry, codes: dict, public,
            carry_root: Path | None, previous: Path | None) -> tuple[dict, dict, tuple]:
    """The release's tables from the cross-source stage's result `xs`: (rows, what to
    remember, what was carried), rows each table's rows (Arrow or dicts) for
    publish.take_tables, what to remember {table: (row digests, context)} for carry.remember
    once published, what was carried (previous, {table: primary keys of the rows taken from
    it; for copies, a function of the copies table giving which of its pairs are the
    release's rows}) for publish's `settled`.

    The rows of articles, statements, agreements and utterances that are made of what the
    newest release's were made of are taken from it (carry; `carry_root` None: none), the
    others built from the cache or the stage's result. An article's row is made of its
    cache entry and its event id; an article's statements of their cache entry and the
    inputs of its event's cross-source part (the speakers other outlets give them, their
    display names, their utterances); an event's agreements and utterances of those inputs."""
    remembered, settled = {}, {}

    def carried(table: str, made_of: dict, context: str, build, by: str | None = None):
        kept, kept_ids = carry.kept_rows(carry_root, previous, table, made_of, context, by)
        spec = publish.TABLES[table]
        remembered[table] = (made_of, context)
        if kept is not None:
            settled[table] = kept[spec.primary_key].combine_chunks()
        return publish.to_arrow(spec, carry.joined(kept, publish.to_arrow(spec, build(kept_ids))))

    withheld = licenses.public_release(public)
    made_of = {a["article_id"]: carry.row_digest(akeys[a["article_id"]], a["event_id"]) for a in xs.articles}

    def full_articles(kept_ids):
        rows = (dict(rows_of(a["article_id"]), event_id=a["event_id"]) for a in xs.articles
                if a["article_id"] not in kept_ids)
        return _withheld(rows, source_rows) if withheld else rows

    article_table = carried("articles", made_of, carry.row_digest("articles", publish.TABLES["articles"].fingerprint,
                                                                  withheld, source_rows), full_articles)
    ids = [a["article_id"] for a in xs.articles]
    statements_made_of = {a["article_id"]: carry.row_digest(skey_of[a["article_id"]], xs.event_keys.get(a["event_id"]))
                          for a in xs.articles}
    context = carry.row_digest("statements", publish.TABLES["statements"].fingerprint, codes["events"])
    statement_table = carried("statements", statements_made_of, context,
                              lambda kept_ids: xs.statements({i for i in ids if i not in kept_ids}), by="article_id")
    # an event's agreements and utterances are its cross-source part's, made of its inputs alone
    per_event = {name: carried(name, xs.event_keys, carry.row_digest(name, publish.TABLES[name].fingerprint,
                                                                      codes["events"]),
                               lambda kept_ids, rows=rows: rows.without(kept_ids),
                               by="event_id")
                 for name, rows in (("agreements", xs.agreements), ("utterances", xs.utterances))}
    # a copy pair's row is made of its two articles (their text, outlet and date: the article's
    # cache entry; their quotations, cut out of the text: the statements' entry) and the
    # copies code: the pairs of two articles whose inputs are the ones remembered for the
    # newest release are its rows, and planning does not compare them again
    copies_made_of = {i: carry.row_digest(akeys[i], skey_of[i]) for i in ids}
    copies_context = carry.row_digest("copies", publish.TABLES["copies"].fingerprint, source_rows, codes["events"],
                                      copies.rows_code())
    remembered["copies"] = (copies_made_of, copies_context)
    steady = carry.unchanged(carry_root, previous, "copies", copies_made_of, copies_context)
    if steady:  # which pairs: once the pairs are a table (publish.take_tables, after the rest is freed)
        settled["copies"] = lambda table: carry.steady_pairs(table, steady, ("article_a", "article_b"))
    rows = {"sources": source_rows, "articles": article_table, "statements": statement_table,
            "speakers": statements.build_speakers(speaker_evidence(statement_table), registry=registry),
            "events": xs.events, **per_event, "copies": xs.copies}
    return rows, remembered, (previous, settled)


def _map_cached(store, bar, stage: str, items: list, keys: list[str], submit, batch_size: int,
                token: str | None = None, keep=None, already: int = 0) -> tuple[list, int]:
    """One result per item: from the cache where it has one, else computed by
    `submit(batch, keys, token)` (a task over a batch that returns one result per item and
    stores each in the cache as it finishes; see _each for the token). -> (results, computed).

    A result that comes back as STORED (a Dask worker wrote it to the cache) is read from the
    cache here; one that cannot be read (the entry vanished or is damaged) is computed again,
    returned this time. `keep(key, result)`, when given, is what is kept of each result (e.g.
    a marker for one the store holds, read back when needed): results are never all held.
    `already`: how many items of the stage the caller has already (counted in the bar as cached)."""
    keep = keep or (lambda key, result: result)
    results = [None if (r := store.get(stage, k)) is None else keep(k, r) for k in keys]
    todo = [i for i, r in enumerate(results) if r is None]
    bar.advance(already + len(items) - len(todo))
    pending = {}
    for idx in _batches(todo, batch_size):
        pending[submit([items[i] for i in idx], [keys[i] for i in idx], token)] = idx
    while pending:
        _check_stop()
        done = [f for f in pending if _is_done(f)]
        if not done:
            time.sleep(0.05)
            continue
        for future in done:
            idx = pending.pop(future)
            unread = []
            for i, result in zip(idx, future.result()):
                if result == STORED:
                    results[i] = store.get(stage, keys[i])
                    if results[i] is None:
                        unread.append(i)
                    else:
                        results[i] = keep(keys[i], results[i])
                    continue
                results[i] = cache.canonical(result)
                if not _same_machine(future) and not articleindex.is_retry(result):  # a remote worker's cache is not this one
                    store.put(stage, keys[i], results[i])
                results[i] = keep(keys[i], results[i])
            if unread:
                pending[submit([items[i] for i in unread], [keys[i] for i in unread], NO_STORE)] = unread
            bar.advance(len(idx) - len(unread))
    bar.done(f"{len(todo)} processed, {already + len(items) - len(todo)} cached")
    return results, len(todo)


def _same_machine(future) -> bool:
    """Whether the task ran where this process's cache directory is (threads, NLP workers)."""
    return "distributed" not in type(getattr(future, "wrapped_future", future)).__module__


def _is_done(future) -> bool:
    """Whether a future (concurrent.futures, Dask, or a Prefect future wrapping either) has finished."""
    return getattr(future, "wrapped_future", future).done()


def changed_inputs(datasets: Path, inputs: list[dict]) -> list[str]:
    """Input files (paths) that the newest release was not made from, or made from other bytes."""
    latest = publish.latest(datasets)
    before = {}
    if latest is not None:
        import json
        try:
            manifest = json.loads((latest / "manifest.json").read_text(encoding="utf-8"))
            before = {i["path"]: i["sha256"] for i in manifest.get("inputs", [])}
        except (OSError, ValueError, KeyError, TypeError):
            before = {}
    return sorted(i["path"] for i in inputs if before.get(i["path"]) != i["sha256"])


def _artifact(result: dict, new_inputs: list[str], logger) -> None:
    """The run's summary as a Prefect markdown artifact (shown on the run's page in the UI)."""
    from prefect.artifacts import create_markdown_artifact

    markdown = summary_markdown(result, result["tables"], new_inputs, result["processed"], result["cached"])
    try:
        create_markdown_artifact(markdown=markdown, key=ARTIFACT_KEY,
                                 description=f"crosswire release {'v' + result['version'] if result['release'] else '(none)'}")
    except Exception as e:  # a summary that cannot be stored must not fail a published release
        logger.warning("could not create the run's artifact: %s", e)
