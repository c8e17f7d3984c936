"""The releases committed under datasets/ are valid, and the newest one is what the code
makes of raw/ today (a change that alters the data must publish a new release)."""
import shutil
from pathlib import Path

import pytest

from crosswire import cli, publish
from crosswire.validate import validate_release

ROOT = Path(__file__).resolve().parents[1]
RELEASES = publish.published(ROOT / "datasets")


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


def test_the_next_release_of_the_same_tables_changes_version_only_for_a_new_layout():
    # a release of an earlier layout (v1.x: tables beside the metadata) is followed by a
    # major release even with the same rows, since readers' paths change; one of today's
    # layout with the same rows is followed by none
    from crosswire.validate import LAYOUT, read_manifest, read_table

    newest = RELEASES[-1]
    manifest = read_manifest(newest)
    tables = {name: read_table(newest, name, entry) for name, entry in manifest["tables"].items()}
    plan = publish.plan(tables, newest)
    major = int(manifest["version"].split(".")[0])
    if manifest.get("layout", 1) == LAYOUT:
        assert plan.version is None and plan.bump == "none"
    else:
        assert plan.version == f"{major + 1}.0.0" and plan.bump == "major"
    assert all(c == {"added": 0, "removed": 0, "changed": 0} for c in plan.changes.values())
