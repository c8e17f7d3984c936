"""The no-op fast path: a re-run with nothing changed answers from a record of the last run
(no flow, no parsing); anything the output depends on sends it the full way."""
import json
import os
import shutil
from pathlib import Path

import pytest

from crosswire import cli, unchanged

CORPORA = Path(__file__).parent / "corpora"


def tree(tmp_path) -> tuple[Path, Path]:
    raw = tmp_path / "raw"
    (raw / "herald").mkdir(parents=True)
    (raw / "herald" / "source.toml").write_text('name = "Herald"\n', encoding="utf-8")
    (raw / "herald" / "a.txt").write_text("Headline\n\nBody text.\n", encoding="utf-8")
    (raw / "people.toml").write_text("", encoding="utf-8")
    datasets = tmp_path / "ds"
    (datasets / "v1.0.0").mkdir(parents=True)
    (datasets / "v1.0.0" / "manifest.json").write_text('{"version": "1.0.0", "tables": {"t": {}}}', encoding="utf-8")
    return raw, datasets


def recorded(tmp_path, raw, datasets, age_s=10, rejected=()):
    path = tmp_path / "cache" / "runs" / "r.json"
    snap = unchanged.Snapshot(raw)
    snap.taken_ns += age_s * 1_000_000_000  # as if taken a while after the files were written
    unchanged.record(path, snap, datasets, {"rejected": list(rejected)})
    return path


def test_a_record_answers_when_nothing_moved(tmp_path):
    raw, datasets = tree(tmp_path)
    path = recorded(tmp_path, raw, datasets, rejected=[{"path": "herald/x.txt", "reason": "empty file"}])
    assert unchanged.check(path, raw, datasets) == {"release": "v1.0.0",
                                                    "rejected": [{"path": "herald/x.txt", "reason": "empty file"}]}


def test_touched_but_same_bytes_is_still_nothing_changed_and_is_remembered(tmp_path, monkeypatch):
    raw, datasets = tree(tmp_path)
    path = recorded(tmp_path, raw, datasets)
    st = (raw / "herald" / "a.txt").stat()
    os.utime(raw / "herald" / "a.txt", ns=(st.st_atime_ns, st.st_mtime_ns - 60_000_000_000))
    assert unchanged.check(path, raw, datasets) is not None
    hashed = []
    real = unchanged.file_sha256
    monkeypatch.setattr(unchanged, "file_sha256", lambda p: hashed.append(p) or real(p))
    assert unchanged.check(path, raw, datasets) is not None
    assert not [p for p in hashed if p.name == "a.txt"]  # its new stats were recorded: no hashing again


@pytest.mark.parametrize("change", ["edit", "same_size_same_mtime", "add", "remove", "source_toml", "people_toml",
                                    "new_folder", "symlink_retarget"])
def test_any_change_to_raw_goes_the_full_way(tmp_path, change):
    raw, datasets = tree(tmp_path)
    (tmp_path / "other.txt").write_text("Headline\n\nOther body.\n", encoding="utf-8")
    (raw / "herald" / "b.txt").symlink_to(raw / "herald" / "a.txt")
    path = recorded(tmp_path, raw, datasets)
    art = raw / "herald" / "a.txt"
    if change == "edit":
        art.write_text("Headline\n\nBody text, longer.\n", encoding="utf-8")
    elif change == "same_size_same_mtime":
        st = art.stat()
        art.write_text("Headline\n\nBody tExt.\n", encoding="utf-8")
        os.utime(art, ns=(st.st_atime_ns, st.st_mtime_ns))
    elif change == "add":
        (raw / "herald" / "c.txt").write_text("New\n\nStory.\n", encoding="utf-8")
    elif change == "remove":
        art.unlink()
    elif change == "source_toml":
        (raw / "herald" / "source.toml").write_text('name = "Herald Daily"\n', encoding="utf-8")
    elif change == "people_toml":
        (raw / "people.toml").write_text('[[person]]\nname = "Ana Lindqvist"\n', encoding="utf-8")
    elif change == "new_folder":
        (raw / "gazette").mkdir()
    elif change == "symlink_retarget":
        (raw / "herald" / "b.txt").unlink()
        (raw / "herald" / "b.txt").symlink_to(tmp_path / "other.txt")
    assert unchanged.check(path, raw, datasets) is None


def test_other_code_a_new_release_or_a_retryable_rejection_goes_the_full_way(tmp_path, monkeypatch):
    raw, datasets = tree(tmp_path)
    path = recorded(tmp_path, raw, datasets)
    real = unchanged.code_fingerprint
    monkeypatch.setattr(unchanged, "code_fingerprint", lambda: "another code version")
    assert unchanged.check(path, raw, datasets) is None
    monkeypatch.setattr(unchanged, "code_fingerprint", real)
    monkeypatch.setenv("CROSSWIRE_PARTITION_ROWS", "10")
    assert unchanged.check(path, raw, datasets) is None  # a setting that shapes the output
    monkeypatch.delenv("CROSSWIRE_PARTITION_ROWS")
    assert unchanged.check(path, raw, datasets) is not None
    (datasets / "v1.0.0" / "manifest.json").write_text('{"version": "1.0.0", "tables": {"t": {}}, "edited": true}', encoding="utf-8")
    assert unchanged.check(path, raw, datasets) is None
    path = recorded(tmp_path, raw, datasets)
    (datasets / "v1.1.0").mkdir()
    (datasets / "v1.1.0" / "manifest.json").write_text('{"version": "1.1.0", "tables": {"t": {}}}', encoding="utf-8")
    assert unchanged.check(path, raw, datasets) is None
    path = recorded(tmp_path, raw, datasets, rejected=[{"path": "herald/a.txt", "reason": "time budget exceeded"}])
    assert unchanged.check(path, raw, datasets) is None


def test_a_file_written_just_before_the_record_is_hashed_again(tmp_path, monkeypatch):
    raw, datasets = tree(tmp_path)
    path = recorded(tmp_path, raw, datasets, age_s=0)  # same clock tick as the files: racy
    hashed = []
    real = unchanged.file_sha256
    monkeypatch.setattr(unchanged, "file_sha256", lambda p: hashed.append(p.name) or real(p))
    assert unchanged.check(path, raw, datasets) is not None
    assert "a.txt" in hashed


def test_the_command_answers_a_no_op_without_the_flow_and_runs_it_for_a_change(raw_copy, datasets_dir, capsys,
                                                                             monkeypatch):
    from flows import release
    assert cli.main(["run", "--raw", str(raw_copy), "--datasets", str(datasets_dir), "--prefect", "never"]) == 0
    assert capsys.readouterr().out.strip() == str(datasets_dir / "v1.0.0")

    calls = []
    real = release.build_release
    monkeypatch.setattr(release, "build_release", lambda *a, **k: calls.append(1) or real(*a, **k))
    assert cli.main(["run", "--raw", str(raw_copy), "--datasets", str(datasets_dir)]) == 0
    assert capsys.readouterr().out == "no changes: v1.0.0 is up to date\n" and calls == []

    # a changed people.toml changes nothing published here, but only the full way can tell
    (raw_copy / "people.toml").write_text('[[person]]\nname = "Ana Lindqvist"\n', encoding="utf-8")
    assert cli.main(["run", "--raw", str(raw_copy), "--datasets", str(datasets_dir)]) == 0
    assert calls == [1]
    first = capsys.readouterr().out
    shutil.copy(CORPORA / "extra" / "wire-summit.txt", raw_copy / "liga" / "wire-summit.txt")
    assert cli.main(["run", "--raw", str(raw_copy), "--datasets", str(datasets_dir)]) == 0
    assert calls == [1, 1] and capsys.readouterr().out.strip() == str(datasets_dir / "v1.1.0")
    assert cli.main(["run", "--raw", str(raw_copy), "--datasets", str(datasets_dir)]) == 0
    assert calls == [1, 1] and capsys.readouterr().out == "no changes: v1.1.0 is up to date\n"
    # --no-cache always goes the full way
    assert cli.main(["run", "--raw", str(raw_copy), "--datasets", str(datasets_dir), "--no-cache"]) == 0
    assert calls == [1, 1, 1]
    assert first.startswith(("no changes", str(datasets_dir)))


def test_the_newest_release_is_the_one_publish_names(tmp_path):
    from crosswire import publish
    for name in ("v1.2.0", "v1.10.0", "v2.0.1", "v2.0.10", "v2.1.0", ".tmp-v3.0.0-x", "latest", "v9.x"):
        (tmp_path / name).mkdir()
        if name.startswith("v") and name != "v2.1.0":  # v2.1.0: left by a crash, no manifest
            (tmp_path / name / "manifest.json").write_text(json.dumps({"version": name[1:], "tables": {"t": {}}}))
    assert unchanged.newest_release(tmp_path) == publish.latest(tmp_path) == tmp_path / "v2.0.10"
    assert unchanged.newest_release(tmp_path / "missing") is None


def test_a_snapshot_takes_the_recorded_hash_of_a_file_whose_stats_did_not_move(tmp_path, monkeypatch):
    """A run that one added article starts hashes that file, not every file of raw/: the
    hashes of the record before are taken for files whose stats are the recorded ones,
    settled when it was taken; an edited file and one too recent to trust are hashed."""
    raw, datasets = tree(tmp_path)
    (raw / "herald" / "b.txt").write_text("Second\n\nBody.\n", encoding="utf-8")
    path = recorded(tmp_path, raw, datasets)             # taken 10 s after the files were written
    (raw / "herald" / "c.txt").write_text("Added\n\nNew body.\n", encoding="utf-8")
    (raw / "herald" / "b.txt").write_text("Second\n\nEdited body.\n", encoding="utf-8")
    hashed = []
    real = unchanged.file_sha256
    monkeypatch.setattr(unchanged, "file_sha256", lambda p: hashed.append(p.name) or real(p))
    snap = unchanged.Snapshot(raw, (), unchanged.read_record(path))
    assert sorted(hashed) == ["b.txt", "c.txt"]
    assert snap.entries == {rel: e for rel, e in unchanged.Snapshot(raw).entries.items()}  # the same hashes
    fresh = recorded(tmp_path, raw, datasets, age_s=0)    # taken as the files were written: not settled
    hashed.clear()
    unchanged.Snapshot(raw, (), unchanged.read_record(fresh))
    assert sorted(hashed) == ["a.txt", "b.txt", "c.txt", "people.toml", "source.toml"]
