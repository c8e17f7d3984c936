"""The releases committed under datasets/ are valid, and the newest one is what the code
makes of raw/ today (a change that alters the data must publish a new release)."""
import shutil
from pathlib import Path

import pytest

from crosswire import cli, publish
from crosswire.validate import validate_release

ROOT = Path(__file__).resolve().parents[1]
RELEASES = publish.releases(ROOT / "datasets")


@pytest.mark.parametrize("release", RELEASES, ids=[r.name for r in RELEASES])
def test_committed_release_validates(release):
    assert validate_release(release) == []


def test_there_is_a_committed_release():
    assert RELEASES, "datasets/ holds no release: run `crosswire run` and commit it"


def test_the_newest_release_is_up_to_date_with_raw(prefect_harness, tmp_path, capsys):
    datasets = tmp_path / "datasets"
    shutil.copytree(ROOT / "datasets", datasets, ignore=shutil.ignore_patterns(".*"))
    assert cli.main(["run", "--raw", str(ROOT / "raw"), "--datasets", str(datasets), "--no-cache"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("no changes"), f"the code now makes a different release of raw/: {out}"
