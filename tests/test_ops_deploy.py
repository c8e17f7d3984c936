"""Schedules: the deployment `crosswire serve` serves, registered and run through Prefect."""
import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from crosswire import cli
from ops_server import Server

ROOT = Path(__file__).resolve().parents[1]


def test_serve_without_a_prefect_server_says_what_to_run(tmp_path):
    exe = Path(sys.executable).with_name("crosswire")
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env["PREFECT_HOME"] = str(tmp_path / "prefect")
    (tmp_path / "raw").mkdir()
    done = subprocess.run([str(exe), "serve", "--cron", "0 6 * * *", "--raw", str(tmp_path / "raw"),
                           "--datasets", str(tmp_path / "ds")], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "needs a Prefect server" in lines[0] and "`prefect server start`" in lines[0]
    assert "PREFECT_API_URL=http://127.0.0.1:4200/api" in lines[0]


def test_serve_refuses_a_bad_cron(tmp_path, capsys):
    (tmp_path / "raw").mkdir()
    assert cli.main(["serve", "--cron", "every morning", "--raw", str(tmp_path / "raw")]) == 1
    assert "not a valid cron expression" in capsys.readouterr().err


def test_prefect_yaml_describes_the_same_deployment():
    import yaml
    spec = yaml.safe_load((ROOT / "prefect.yaml").read_text())
    (dep,) = spec["deployments"]
    assert dep["entrypoint"] == "flows/deploy.py:scheduled_flow"
    assert dep["schedules"][0]["cron"] and set(dep["parameters"]) >= {"raw", "datasets"}


def test_a_deployment_fetches_then_publishes_when_run_through_prefect(prefect_harness, tmp_path, capsys):
    from prefect.client.orchestration import get_client
    from prefect.deployments import run_deployment
    from prefect.runner import Runner

    from flows import deploy

    raw, datasets = tmp_path / "raw", tmp_path / "ds"
    raw.mkdir()
    with Server() as server:
        assert cli.main(["add-source", "herald", "--name", "The Coastal Herald", "--homepage", "https://herald.example.org",
                         "--country", "GB", "--language", "en", "--feed", server.base + "/sitemap.xml",
                         "--raw", str(raw)]) == 0
        dep = deploy.build_deployment(raw, datasets, "0 6 * * *", name="ops-test", allow_private_network=True,
                                      fetch_delay=0)
        assert dep.entrypoint == "flows.deploy.scheduled_flow"

        async def go():
            runner = Runner(name="crosswire-test-runner", query_seconds=1, limit=1, pause_on_shutdown=False)
            dep_id = await runner.aadd_deployment(dep)
            async with get_client() as client:
                registered = await client.read_deployment(dep_id)
            flow_run = await run_deployment(dep_id, timeout=0)  # scheduled now, through the API
            await runner.start(run_once=True)                    # picks it up, runs it in a subprocess, waits
            async with get_client() as client:
                return registered, await client.read_flow_run(flow_run.id)

        registered, flow_run = asyncio.run(asyncio.wait_for(go(), timeout=150))
    assert [s.schedule.cron for s in registered.schedules] == ["0 6 * * *"]
    assert registered.parameters["raw"] == str(raw.resolve())
    assert flow_run.state.is_completed(), flow_run.state
    assert sorted(p.name for p in (raw / "herald").glob("*.html")) == [
        "harbour-talks-end-without-deal.html", "lindqvist-promises-figures.html", "okafor-rejects-harbour-plan.html"]
    manifest = json.loads((datasets / "v1.0.0" / "manifest.json").read_text())
    assert manifest["tables"]["articles"]["rows"] == 3
