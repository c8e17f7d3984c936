"""The release flow: raw/ in, a validated, versioned release out.

Orchestration only: every step is a function of `crosswire`; this module decides batching,
retries and concurrency. Tasks take batches of articles, never one article each, so
Prefect's per-task overhead stays small.
"""
from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger, task

from crosswire import __version__, clean, corroborate, ingest, metadata, nlp, publish, sources, statements
from crosswire.ingest import Rejected

BATCH_SIZE = 50


def stage_versions() -> dict:
    return {"clean": clean.STAGE_VERSION, "metadata": metadata.STAGE_VERSION,
            "statements": statements.STAGE_VERSION, "cross_source": corroborate.STAGE_VERSION}


def registry_path(raw: Path) -> Path | None:
    """raw/people.toml, when present, extends the built-in registry of known people."""
    path = raw / "people.toml"
    return path if path.is_file() else None


@task(name="load-sources")
def load_sources_task(raw: Path):
    return sources.load_sources(raw)


@task(name="ingest", retries=2, retry_delay_seconds=[1, 4])
def ingest_task(raw: Path, srcs: list):
    return ingest.ingest(raw, srcs)


@task(name="clean-and-metadata")
def articles_task(batch: list, srcs: list) -> tuple[list[dict], list[dict]]:
    by_id = {s.source_id: s for s in srcs}
    rows, rejected = [], []
    for raw in batch:
        try:
            rows.append(metadata.build_article(raw, by_id[raw.source_id]))
        except Rejected as e:
            rejected.append({"path": raw.raw_path, "reason": str(e)})
    return rows, rejected


@task(name="statements")
def statements_task(batch: list[dict], registry: Path | None) -> list[dict]:
    return statements.extract_statements(batch, registry=registry)


@task(name="cross-source")
def cross_source_task(articles: list[dict], stmts: list[dict], registry: Path | None):
    articles, stmts, events, agreements = corroborate.cross_source(articles, stmts)
    return articles, stmts, statements.build_speakers(stmts, registry=registry), events, agreements


@task(name="publish")
def publish_task(rows: dict, datasets: Path, inputs: list, rejected: list, code: dict):
    return publish.publish(rows, datasets, inputs=inputs, rejected=rejected, code=code)


def _batches(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


@flow(name="crosswire-release", log_prints=False)
def release_flow(raw: str, datasets: str, batch_size: int = BATCH_SIZE) -> dict:
    logger = get_run_logger()
    raw_path, datasets_path = Path(raw), Path(datasets)
    srcs, rejected = load_sources_task(raw_path)
    raws, bad = ingest_task(raw_path, srcs)
    rejected += bad

    registry = registry_path(raw_path)
    futures = [articles_task.submit(batch, srcs) for batch in _batches(raws, batch_size)]
    articles: list[dict] = []
    for f in futures:
        rows, bad = f.result()
        articles += rows
        rejected += bad
    found = [statements_task.submit(batch, registry) for batch in _batches(articles, batch_size)]
    stmts = [s for f in found for s in f.result()]
    articles, stmts, speakers, events, agreements = cross_source_task(articles, stmts, registry)

    used = {a["raw_path"] for a in articles}
    inputs = ingest.input_files(raw_path, srcs, used)
    if registry:
        inputs += ingest.input_files(raw_path, [], {registry.name})
    for r in rejected:
        logger.warning("rejected %s: %s", r["path"], r["reason"])
    rows = {"sources": [s.row() for s in srcs], "articles": articles, "statements": stmts,
            "speakers": speakers, "events": events, "agreements": agreements}
    code = {"version": __version__, "stages": stage_versions(), "spacy_model": nlp.model_name(nlp.load())}
    path, plan = publish_task(rows, datasets_path, inputs, rejected, code)
    return {"release": str(path) if path else None, "version": plan.version, "previous": plan.previous, "bump": plan.bump,
            "changes": plan.changes, "rejected": rejected, "articles": len(articles)}
