"""The release flow: raw/ in, a validated, versioned release out.

Orchestration only: every step is a function of `crosswire`; this module decides batching,
retries and concurrency. Tasks take batches of articles, never one article each, so
Prefect's per-task overhead stays small.
"""
from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger, task

from crosswire import __version__, clean, ingest, metadata, publish, sources
from crosswire.ingest import Rejected

BATCH_SIZE = 50


def stage_versions() -> dict:
    return {"clean": clean.STAGE_VERSION, "metadata": metadata.STAGE_VERSION}


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

    futures = [articles_task.submit(batch, srcs) for batch in _batches(raws, batch_size)]
    articles: list[dict] = []
    for f in futures:
        rows, bad = f.result()
        articles += rows
        rejected += bad

    used = {a["raw_path"] for a in articles}
    inputs = ingest.input_files(raw_path, srcs, used)
    for r in rejected:
        logger.warning("rejected %s: %s", r["path"], r["reason"])
    rows = {"sources": [s.row() for s in srcs],
            "articles": articles}
    code = {"version": __version__, "stages": stage_versions()}
    path, plan = publish_task(rows, datasets_path, inputs, rejected, code)
    return {"release": str(path) if path else None, "version": plan.version, "previous": plan.previous, "bump": plan.bump,
            "changes": plan.changes, "rejected": rejected, "articles": len(articles)}
