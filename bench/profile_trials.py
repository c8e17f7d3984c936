"""What bench/compare_add_one.py and bench/compare_cold.py share: one trial of
bench/profile_stages.py in a fresh process importing a given code tree, and the stages of
its record that a comparison shows."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Iterator

HERE = Path(__file__).resolve().parent


def profile(code: Path | None, args: list[str], out: Path) -> dict:
    """The JSON record of `profile_stages.py ARGS --json OUT`, run in a fresh process of this
    checkout's script importing the tree `code` (CROSSWIRE_BENCH_CODE; None: this checkout)."""
    env = dict(os.environ)
    env.pop("CROSSWIRE_BENCH_CODE", None)
    if code is not None:
        env["CROSSWIRE_BENCH_CODE"] = str(code)
    subprocess.run([sys.executable, str(HERE / "profile_stages.py"), *args, "--json", str(out)], check=True,
                   env=env, stdout=subprocess.DEVNULL)
    return json.loads(Path(out).read_text())


def shown_stages(result: dict, shown: dict[str, tuple[str, ...]]) -> Iterator[tuple[str, dict]]:
    """(name, record) of the timed top-level stages of a profile_stages record, and of the
    inner stages `shown` ({top-level stage: names of its steps}) indented by two spaces."""
    parent = None
    for r in result["records"]:
        if "seconds" not in r:
            continue
        if r["depth"] == 0:
            parent = r["stage"]
            yield r["stage"], r
        elif r["depth"] == 1 and r["stage"] in shown.get(parent, ()):
            yield f"  {r['stage']}", r
