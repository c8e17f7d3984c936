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


# ---- a long-lived local Prefect server that runs reuse ---------------------------------------
# `crosswire server start` starts `prefect server start` once, in the background (its own
# session: a Ctrl-C in the terminal that started it does not reach it), and records its
# address in PREFECT_HOME/crosswire-server.json; `crosswire run` with no PREFECT_API_URL
# uses it when it answers, so runs show in its UI without paying a server start each time.

SERVER_RECORD = "crosswire-server.json"


def _prefect_home() -> Path:
    from prefect.settings import PREFECT_HOME

    return Path(PREFECT_HOME.value()).expanduser()


def api_answers(url: str, timeout: float = 2.0) -> bool:
    """Whether a Prefect API answers its health check at url (…/api)."""
    import httpx

    try:
        return httpx.get(url.rstrip("/") + "/health", timeout=timeout).status_code == 200
    except httpx.HTTPError:
        return False


def configured_api() -> str | None:
    """PREFECT_API_URL from the environment or the active Prefect profile, if any."""
    from prefect.settings import PREFECT_API_URL

    return PREFECT_API_URL.value() or None


def local_server() -> dict | None:
    """The record of the server `crosswire server start` started, when it still answers."""
    import json

    try:
        rec = json.loads((_prefect_home() / SERVER_RECORD).read_text(encoding="utf-8"))
        url = rec["url"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return rec if api_answers(url, timeout=1.0) else None


def start_server(port: int = 4200, timeout: float = 180.0) -> dict:
    """Start `prefect server start` in the background (or find the one already running)."""
    import json
    import subprocess
    import sys
    import time

    found = local_server()
    if found:
        return {**found, "started": False}
    url = f"http://127.0.0.1:{port}/api"
    if api_answers(url, timeout=1.0):
        raise ServeError(f"a server already answers at {url} that crosswire did not start: "
                         f"use it with `export PREFECT_API_URL={url}`")
    home = _prefect_home()
    home.mkdir(parents=True, exist_ok=True)
    log = open(home / "crosswire-server.log", "ab")
    proc = subprocess.Popen([sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
                             "--port", str(port)], stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                            start_new_session=True)
    deadline = time.monotonic() + timeout
    while not api_answers(url, timeout=1.0):
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise ServeError(f"the Prefect server did not start (see {home / 'crosswire-server.log'})")
        time.sleep(0.3)
    rec = {"url": url, "ui": url[:-len("/api")], "pid": proc.pid}
    (home / SERVER_RECORD).write_text(json.dumps(rec) + "\n", encoding="utf-8")
    return {**rec, "started": True}


def stop_server() -> dict | None:
    """Stop the server `crosswire server start` started; None when there is none."""
    import json
    import os
    import signal
    import time

    path = _prefect_home() / SERVER_RECORD
    try:
        rec = json.loads(path.read_text(encoding="utf-8"))
        pid = int(rec["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    try:
        os.killpg(pid, signal.SIGTERM)  # the server and its own children: it leads its session
        for _ in range(100):
            os.killpg(pid, 0)
            time.sleep(0.1)
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    except PermissionError:
        return None
    path.unlink(missing_ok=True)
    return rec
