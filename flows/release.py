"""The release flow: raw/ in, a validated, versioned release out.

Orchestration only: every step is a function of `crosswire`; this module decides batching,
retries and concurrency. Tasks take batches of articles, never one article each, so
Prefect's per-task overhead stays small.
"""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from types import SimpleNamespace

from prefect import flow, get_run_logger, task

from crosswire import (__version__, align, attribution, cache, clean, configschema, corroborate, ingest, licenses,
                       metadata, nlp, publish, quotes, rowcheck, sources, speakers, statements, urls, userregex,
                       utterances)
from crosswire.ingest import Rejected
from crosswire.progress import Progress, summary_markdown

BATCH_SIZE = 50
ARTIFACT_KEY = "crosswire-release"


def stage_versions() -> dict:
    return {"clean": clean.STAGE_VERSION, "metadata": metadata.STAGE_VERSION,
            "statements": statements.STAGE_VERSION, "cross_source": corroborate.STAGE_VERSION}


def stage_codes() -> dict:
    """Code versions of the cached stages (declared version + source digest): the per-article
    ones, and the per-event part of the cross-source stage (with align's fitted thresholds)."""
    align_data = Path(align.__file__).parent / "data" / "align.toml"
    return {"articles": cache.code_version([clean.STAGE_VERSION, metadata.STAGE_VERSION],
                                           [ingest, sources, clean, metadata, urls, userregex, configschema,
                                            SimpleNamespace(__file__=str(urls.SECRETS_FILE))]),
            "statements": cache.code_version(statements.STAGE_VERSION, [statements, quotes, attribution, speakers,
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


@task(name="load-sources")
def load_sources_task(raw: Path):
    return sources.load_sources(raw)


@task(name="ingest", retries=2, retry_delay_seconds=[1, 4])
def ingest_task(raw: Path, srcs: list):
    return ingest.ingest(raw, srcs)


@task(name="clean-and-metadata")
def articles_task(batch: list, srcs: list) -> list[dict]:
    """One outcome per raw article, in order: {"row": articles row} or {"rejected": reason}."""
    by_id = {s.source_id: s for s in srcs}
    out = []
    for raw in batch:
        try:
            out.append({"row": metadata.build_article(raw, by_id[raw.source_id])})
        except Rejected as e:
            out.append({"rejected": str(e)})
        except Exception as e:  # a page that breaks a parser is set aside, not fatal to the run
            out.append({"rejected": f"could not be processed ({type(e).__name__}: {' '.join(str(e).split())[:200]})"})
    return out


@task(name="statements")
def statements_task(batch: list[dict], registry: Path | None) -> list:
    """One outcome per article of the batch, in batch order: its statements (a list), or
    {"rejected": reason} when its extraction failed, ran over its time budget (then also
    "retry": not cached, the next run tries again) or its rows break the schema."""
    failed: dict[str, str] = {}
    try:
        rows = statements.extract_statements(batch, registry=registry, rejected=failed)
    except Exception as e:  # the batch as a whole failed (e.g. in the parser): find the article at fault
        if len(batch) == 1:
            return [{"rejected": f"statements could not be extracted ({type(e).__name__}: "
                                 f"{' '.join(str(e).split())[:200]})"}]
        return [out for a in batch for out in statements_task.fn([a], registry)]
    failed.update({k: v for k, v in rowcheck.failing_articles("statements", rows).items() if k not in failed})
    per_article = defaultdict(list)
    for row in rows:
        per_article[row["article_id"]].append(row)

    def outcome(article: dict):
        reason = failed.get(article["article_id"])
        if reason is None:
            return per_article.get(article["article_id"], [])
        return {"rejected": reason, **({"retry": True} if reason.startswith("time budget") else {})}
    return [outcome(a) for a in batch]


@task(name="cross-source")
def cross_source_task(articles: list[dict], stmts: list[dict], registry: Path | None, previous_events: dict,
                      cache_root: Path | None, code: str):
    """-> (the cross-source stage's result, the speakers table built from its statements,
    (events computed, events from the cache)). Events whose inputs are in the cache under
    cache_root (None: no cache) are not aligned again."""
    memo = cache.Memo(cache.Cache(cache_root), "events", code)
    out = corroborate.cross_source(articles, stmts, previous_events, memo=memo)
    return out, statements.build_speakers(out.statements, registry=registry), (memo.misses, memo.hits)


@task(name="publish")
def publish_task(rows: dict, datasets: Path, inputs: list, rejected: list, code: dict, warnings: list = ()):
    return publish.publish(rows, datasets, inputs=inputs, rejected=rejected, code=code, warnings=warnings)


def _drop_rejected(articles: list[dict], bad: dict[str, str], rejected: list) -> list[dict]:
    """articles without those in `bad` (article_id -> reason), which join `rejected`."""
    rejected += [{"path": a["raw_path"], "reason": bad[a["article_id"]]} for a in articles if a["article_id"] in bad]
    return [a for a in articles if a["article_id"] not in bad]


def _batches(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def _statement_order(r: dict) -> tuple:
    return (r["article_id"], r["section"], r["char_start"], r["char_end"], r["kind"])


@flow(name="crosswire-release", log_prints=False)
def release_flow(raw: str, datasets: str, batch_size: int = BATCH_SIZE, cache_dir: str | None = None,
                 use_cache: bool = True, progress: bool = False, public: bool | None = None) -> dict:
    """raw/ to the next release. Per-article results are cached (crosswire.cache) under
    cache_dir (default <datasets>/.cache) unless use_cache is false; only misses are computed.
    A public release (`public`, default the CROSSWIRE_PUBLIC setting) carries article text
    only where the outlet's licence allows it (crosswire.licenses)."""
    logger = get_run_logger()
    raw_path, datasets_path = Path(raw), Path(datasets)
    bars = Progress(progress)
    store = cache.Cache((Path(cache_dir) if cache_dir else cache.default_dir(datasets_path)) if use_cache else None)
    codes = stage_codes()
    srcs, rejected = load_sources_task(raw_path)
    raws, bad = ingest_task(raw_path, srcs)
    rejected += bad
    bars.stage("ingest", len(raws) + len(bad), "files").done(f"{len(bad)} rejected")

    # clean + metadata: only the articles the cache does not hold, in batches
    by_id = {s.source_id: s for s in srcs}
    keys = [cache.article_key(r, by_id[r.source_id], codes["articles"]) for r in raws]
    outcomes, todo = _map_cached(store, bars.stage("clean+metadata", len(raws)), "articles", raws, keys,
                                 lambda batch: articles_task.submit(batch, srcs), batch_size)
    processed, cached = {"articles": todo}, {"articles": len(raws) - todo}
    articles = [o["row"] for o in outcomes if "row" in o]
    rejected += [{"path": r.raw_path, "reason": o["rejected"]} for r, o in zip(raws, outcomes) if "rejected" in o]
    bad_rows = rowcheck.failing_articles("articles", articles)
    if len(bad_rows) < len(articles):  # every article failing is the code's fault: publish refuses it whole
        articles = _drop_rejected(articles, bad_rows, rejected)

    # statements: the NLP stage, again only for cache misses
    registry = registry_path(raw_path, rejected)
    model = cache.model_label()
    # the people registry (built-in data files plus raw/people.toml) steers attribution
    people = cache.files_digest([registry, *sorted((Path(speakers.__file__).parent / "data").glob("*.toml"))])
    skeys = [cache.statements_key(a, codes["statements"], model, people) for a in articles]
    found, todo = _map_cached(store, bars.stage("statements", len(articles)), "statements", articles, skeys,
                              lambda batch: statements_task.submit(batch, registry), batch_size)
    processed["statements"], cached["statements"] = todo, len(articles) - todo
    articles = _drop_rejected(articles, {a["article_id"]: o["rejected"] for a, o in zip(articles, found)
                                         if isinstance(o, dict)}, rejected)
    # one canonical order, whatever was cached and however the batches fell
    stmts = sorted((s for rows in found if isinstance(rows, list) for s in rows), key=_statement_order)

    bar = bars.stage("cross-source", len(articles))
    # event ids of the last release, so that an event keeps its id when articles join it
    previous_events = publish.last_values(datasets_path, "articles", "article_id", "event_id")
    xs, speaker_rows, (processed["events"], cached["events"]) = cross_source_task(
        articles, stmts, registry, previous_events, store.root, codes["events"])
    articles, warnings = xs.articles, xs.warnings
    bar.done(f"{len(xs.events)} events ({processed['events']} aligned, {cached['events']} cached), "
             f"{len(xs.agreements)} agreements, {len(xs.utterances)} utterances")

    # the article files as they were read (their hashes are known), sidecars and configs
    used = {a["raw_path"]: a["raw_sha256"] for a in articles}
    inputs = ingest.input_files(raw_path, srcs, used)
    if registry:
        inputs += ingest.input_files(raw_path, [], {registry.name: None})
    for r in rejected:
        logger.warning("rejected %s: %s", r["path"], r["reason"])
    rows = {"sources": [s.row() for s in srcs], "articles": articles, "statements": xs.statements,
            "speakers": speaker_rows, "events": xs.events, "agreements": xs.agreements,
            "utterances": xs.utterances, "copies": xs.copies}
    if licenses.public_release(public):
        rows["articles"] = licenses.withhold_text(rows["articles"], rows["sources"])
    # the model's name without loading it, so that a run served wholly from the cache does no NLP
    code = {"version": __version__, "stages": stage_versions(), "spacy_model": model or nlp.model_name(nlp.load())}
    new_inputs = changed_inputs(datasets_path, inputs)
    bar = bars.stage("publish", sum(len(v) for v in rows.values()), "rows")
    for w in warnings:
        logger.warning("%s: %s", w.get("path") or w.get("article_id"), w["message"])
    path, plan = publish_task(rows, datasets_path, inputs, rejected, code, warnings)
    bar.done(str(path) if path else "no changes")
    result = {"release": str(path) if path else None, "version": plan.version, "previous": plan.previous,
              "bump": plan.bump, "changes": plan.changes, "rejected": rejected, "warnings": warnings,
              "articles": len(articles),
              "processed": processed, "cached": cached, "tables": {k: len(v) for k, v in rows.items()}}
    _artifact(result, new_inputs, logger)
    return result


def _map_cached(store, bar, stage: str, items: list, keys: list[str], submit, batch_size: int) -> tuple[list, int]:
    """One result per item: from the cache where it has one, else computed by `submit`
    (a task over a batch, returning one result per item) and stored. -> (results, computed)."""
    results = store.get_many(stage, keys)
    todo = [i for i, r in enumerate(results) if r is None]
    bar.advance(len(items) - len(todo))
    futures = [(idx, submit([items[i] for i in idx])) for idx in _batches(todo, batch_size)]
    for idx, future in futures:
        for i, result in zip(idx, future.result()):
            results[i] = cache.canonical(result)
            if not (isinstance(result, dict) and result.get("retry")):  # e.g. over a time budget
                store.put(stage, keys[i], results[i])
        bar.advance(len(idx))
    bar.done(f"{len(todo)} processed, {len(items) - len(todo)} cached")
    return results, len(todo)


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
