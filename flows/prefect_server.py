"""The Prefect API a run reports to, and the long-lived local server `crosswire server`
starts: found without importing Prefect when no setting could name an API, so that a run
without a server pays nothing for Prefect (importing it costs about 1.5 s).

Orchestration only (no crosswire stage imports this)."""
from __future__ import annotations

import os
import re
import sys
from pathlib import Path

# `crosswire server start` starts `prefect server start` once, in the background (its own
# session: a Ctrl-C in the terminal that started it does not reach it), and records its
# address in PREFECT_HOME/crosswire-server.json; `crosswire run` with no PREFECT_API_URL
# uses it when it answers, so runs show in its UI without paying a server start each time.

SERVER_RECORD = "crosswire-server.json"


def _prefect_home() -> Path:
    if "prefect" not in sys.modules and not _may_name_api():
        return Path(os.environ.get("PREFECT_HOME") or "~/.prefect").expanduser()  # Prefect's default
    from prefect.settings import PREFECT_HOME

    return Path(PREFECT_HOME.value()).expanduser()


def api_answers(url: str, timeout: float = 2.0) -> bool:
    """Whether a Prefect API answers its health check at url (…/api)."""
    import httpx

    try:
        return httpx.get(url.rstrip("/") + "/health", timeout=timeout).status_code == 200
    except httpx.HTTPError:
        return False


# Where Prefect 3 reads settings from besides the environment, and how each names an API:
# PREFECT_API_URL (.env, profiles.toml), [api] url (prefect.toml), [tool.prefect.api] or
# api.url (pyproject.toml). https://docs.prefect.io/v3/develop/settings-and-profiles
_NAMES_API = re.compile(r"PREFECT_API_URL|^\s*\[(?:tool\.prefect\.)?api\]|^\s*api\s*[.=]", re.M)


def _may_name_api() -> bool:
    """Whether any source of Prefect settings could name an API: then Prefect's own settings
    decide (importing Prefect); when none could, there is none."""
    if any(k.startswith("PREFECT_API_") or k == "PREFECT_PROFILES_PATH" for k in os.environ):
        return True
    home = Path(os.environ.get("PREFECT_HOME") or "~/.prefect").expanduser()
    for path in (home / "profiles.toml", Path(".env"), Path("prefect.toml"), Path("pyproject.toml")):
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if _NAMES_API.search(text):
            return True
    return False


def configured_api() -> str | None:
    """PREFECT_API_URL from the environment or the active Prefect profile, if any. Prefect's
    settings are asked when Prefect is already loaded (a test harness sets them in-process)
    or when some settings source could name an API."""
    if "prefect" not in sys.modules and not _may_name_api():
        return None
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
