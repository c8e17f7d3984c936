"""A run without a Prefect server pays nothing for Prefect: it is not even imported."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

PROBE = ("import sys, flows.release, crosswire.cli as cli; "
         "print(cli._prefect_api('auto'), 'prefect' in sys.modules)")


def _env(home: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API_") and k != "PREFECT_PROFILES_PATH"}
    env.update(PREFECT_HOME=str(home), PYTHONPATH=str(ROOT))
    return env


def test_with_no_prefect_setting_the_release_flow_runs_without_importing_prefect(tmp_path):
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=tmp_path, env=_env(tmp_path / "home"),
                         capture_output=True, text=True, check=True).stdout.split()
    assert out == ["None", "False"]


@pytest.mark.parametrize("name, text", [
    ("prefect.toml", '[api]\nurl = "http://127.0.0.1:9/api"\n'),
    (".env", "PREFECT_API_URL=http://127.0.0.1:9/api\n"),
    ("pyproject.toml", '[tool.prefect.api]\nurl = "http://127.0.0.1:9/api"\n'),
    ("pyproject.toml", '[tool.prefect]\napi.url = "http://127.0.0.1:9/api"\n'),
])
def test_a_settings_file_that_could_name_an_api_is_left_to_prefect(tmp_path, monkeypatch, name, text):
    from flows import prefect_server

    for k in [k for k in os.environ if k.startswith("PREFECT_API_")]:
        monkeypatch.delenv(k)
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    assert not prefect_server._may_name_api()
    (tmp_path / name).write_text(text)
    assert prefect_server._may_name_api()
