"""Scheduled operation: fetch new coverage from the sources' feeds, then publish a release.

`crosswire serve --cron "0 6 * * *"` serves this flow as a Prefect deployment on that
schedule (`flow.serve`). Schedules need a real Prefect server (`prefect server start`);
Prefect's temporary server cannot run them, so `serve` refuses to start without
PREFECT_API_URL and says what to run. prefect.yaml describes the same deployment for a
Prefect server with a work pool (`prefect deploy`).

Orchestration only: fetching is `crosswire.fetch`, the release is `flows.release`.
"""
from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger, task

from crosswire import fetch
from flows.prefect_server import (SERVER_RECORD, api_answers, configured_api, local_server,  # noqa: F401
                                 start_server, stop_server)
from flows.release import release_flow

DEPLOYMENT_NAME = "crosswire-scheduled"

NO_SERVER = (
    "serve needs a Prefect server: schedules do not run on Prefect's temporary server. "
    "Start one in another terminal with `prefect server start` (UI and API on http://127.0.0.1:4200), "
    "then `export PREFECT_API_URL=http://127.0.0.1:4200/api` (or `prefect config set "
    "PREFECT_API_URL=http://127.0.0.1:4200/api`) and run this command again"
)


class ServeError(RuntimeError):
    """serve cannot start; str() is the one-line reason with what to do."""


@task(name="fetch", retries=1, retry_delay_seconds=30)
def fetch_task(raw: str, source_ids: list[str] | None, allow_private_network: bool, delay: float) -> dict:
    opts = fetch.Options(allow_private=allow_private_network, delay=delay)
    return {sid: rep.as_dict() for sid, rep in fetch.fetch(Path(raw), source_ids, opts).items()}


@flow(name="crosswire-scheduled", log_prints=False)
def scheduled_flow(raw: str, datasets: str, sources: list[str] | None = None, cache_dir: str | None = None,
                   allow_private_network: bool = False, fetch_delay: float = 0.5) -> dict:
    """Fetch every source's feeds into raw/, then run the release flow (a subflow)."""
    logger = get_run_logger()
    fetched = fetch_task(raw, sources, allow_private_network, fetch_delay)
    for sid, rep in fetched.items():
        for f in rep["failed"]:  # reported, never fatal: the release goes ahead with what is there
            logger.warning("fetch failed: %s: %s: %s", sid, f["url"], f["reason"])
    added = sum(len(r["added"]) for r in fetched.values())
    logger.info("fetched %d new article(s) from %d source(s)", added, len(fetched))
    result = release_flow(raw=raw, datasets=datasets, cache_dir=cache_dir)
    return {"fetched": added, "failed": sum(len(r["failed"]) for r in fetched.values()), **result}


def build_deployment(raw: str | Path, datasets: str | Path, cron: str | None, *, name: str = DEPLOYMENT_NAME,
                     sources: list[str] | None = None, cache_dir: str | None = None,
                     allow_private_network: bool = False, fetch_delay: float = 0.5):
    """The deployment `serve` runs: scheduled_flow with absolute paths, on `cron` (None: on demand)."""
    from prefect.deployments.runner import EntrypointType

    params = {"raw": str(Path(raw).resolve()), "datasets": str(Path(datasets).resolve()), "sources": sources,
              "cache_dir": str(Path(cache_dir).resolve()) if cache_dir else None,
              "allow_private_network": allow_private_network, "fetch_delay": fetch_delay}
    return scheduled_flow.to_deployment(
        name=name, cron=cron, parameters=params, tags=["crosswire"],
        description="Fetch new coverage from the sources' feeds into raw/, then publish a release when the data changed.",
        # a module path, not a file path: the runner finds the installed package from any directory
        entrypoint_type=EntrypointType.MODULE_PATH)


def check_cron(cron: str) -> str:
    from prefect.client.schemas.schedules import CronSchedule

    try:
        CronSchedule(cron=cron)
    except Exception:
        raise ServeError(f"--cron {cron!r} is not a valid cron expression (for example \"0 6 * * *\": daily at 06:00)") from None
    return cron


def check_server() -> str:
    """The Prefect API URL, or ServeError saying how to start a server."""
    from prefect.settings import PREFECT_API_URL

    url = PREFECT_API_URL.value()
    if not url:
        raise ServeError(NO_SERVER)
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        problem = client.api_healthcheck()
    if problem is not None:
        raise ServeError(f"no Prefect server answers at PREFECT_API_URL={url}: start it with `prefect server start` "
                         f"({type(problem).__name__})")
    return url


def serve(raw, datasets, cron: str, **kw) -> None:
    """Serve the deployment on its schedule until interrupted (blocks)."""
    from prefect import serve as prefect_serve

    check_cron(cron)
    check_server()
    prefect_serve(build_deployment(raw, datasets, cron, **kw))
