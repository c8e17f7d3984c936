"""Bad input in raw/, end to end: one run over the seeds plus every kind of bad file.

Each bad file is either used correctly (legacy encodings) or rejected with its path and a
one-line reason, in the run's report and in the release's manifest; every good file is
still published. The fixed files live in tests/corpora/bad/; what cannot be stored in git
(a file over the size limit, symbolic links, a FIFO) is made here.
"""
import json
import os
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from crosswire import cli, ingest, sources
from crosswire.validate import validate_release

BAD = Path(__file__).parent / "corpora" / "bad"

# path -> a piece of the reason it must be rejected with
EXPECTED_REJECTIONS = {
    "xtra/empty.txt": "empty file",
    "xtra/photo.txt": "PNG image",
    "xtra/big.txt": "over the 5,242,880-byte limit",
    "xtra/not-found.html": "no article text",
    "xtra/billion-laughs.html": "<!ENTITY>",
    "xtra/external-entity.html": "<!ENTITY>",
    "xtra/deep.html": "nested more than",
    "xtra/bad-json.txt": "not valid JSON",
    "xtra/wrong-type.txt": "field 'published' must be a string",
    "xtra/not-a-url.txt": "http(s) URL",
    "xtra/notes.docx": "unsupported file type",
    "xtra/harbour-utf16.txt": "same content as xtra/harbour-copy.txt",
    "xtra/lyon-pont2-utf8.txt": "same text as xtra/lyon-pont.txt",
    "xtra/escape.txt": "outside raw/",
    "xtra/leaky-sidecar.txt": "outside raw/",
    "xtra/pipe.txt": "not a regular file",
    "no-config/source.toml": "missing source.toml",
    "broken-config/source.toml": "not valid TOML",
    "wrong-config/source.toml": "field 'homepage'",
}
USED = {"xtra/kyiv-bridge.txt", "xtra/lyon-pont.txt", "xtra/harbour-copy.txt"}


@pytest.fixture
def bad_raw(raw_copy, tmp_path) -> Path:
    """The seeds plus tests/corpora/bad/, plus the bad files git cannot hold."""
    for folder in BAD.iterdir():
        shutil.copytree(folder, raw_copy / folder.name)
    x = raw_copy / "xtra"
    (x / "big.txt").write_bytes(b"word " * (ingest.MAX_BYTES // 5 + 1))
    secret = tmp_path / "secret.txt"
    secret.write_text("A private note that lives outside raw/ and must never be published. " * 5)
    (x / "escape.txt").symlink_to(secret)
    (tmp_path / "secret.meta.json").write_text(json.dumps({"note": "private"}))
    (x / "leaky-sidecar.txt").write_text((x / "harbour-copy.txt").read_bytes().decode("utf-16").replace("Harbour", "Ferry"))
    (x / "leaky-sidecar.meta.json").symlink_to(tmp_path / "secret.meta.json")
    os.mkfifo(x / "pipe.txt")
    return raw_copy


def test_ingest_rejects_each_bad_file_with_a_reason(bad_raw):
    srcs, rejected = sources.load_sources(bad_raw)
    arts, bad = ingest.ingest(bad_raw, srcs)
    reasons = {r["path"]: r["reason"] for r in rejected + bad}
    for path, why in EXPECTED_REJECTIONS.items():
        if path.endswith((".html",)) and "no article" in why:
            continue  # found by the metadata stage, checked end to end below
        assert why in reasons.get(path, ""), (path, reasons.get(path))
    used = {a.raw_path for a in arts}
    assert USED <= used
    texts = {a.raw_path: a.content for a in arts}
    assert "Мэр Киева заявил" in texts["xtra/kyiv-bridge.txt"]           # cp1251
    assert "« Nous serons prêts à temps », a-t-il dit" in texts["xtra/lyon-pont.txt"]        # latin-1
    assert "\u201cWe will not cut corners" in texts["xtra/harbour-copy.txt"]  # UTF-16 with BOM


def test_a_run_over_bad_input_publishes_every_good_file(prefect_harness, bad_raw, datasets_dir, capsys):
    code = cli.main(["run", "--raw", str(bad_raw), "--datasets", str(datasets_dir)])
    out = capsys.readouterr()
    assert code == 0, out.err
    release = Path(out.out.strip().splitlines()[-1])
    assert release.name == "v1.0.0" and validate_release(release) == []

    manifest = json.loads((release / "manifest.json").read_text())
    in_manifest = {r["path"]: r["reason"] for r in manifest["rejected"]}
    for path, why in EXPECTED_REJECTIONS.items():
        assert why in in_manifest.get(path, ""), (path, in_manifest.get(path))
        # the run's report: one line per rejected file, with its reason
        assert f"rejected: {path}: " in out.err
    assert all("\n" not in r for r in in_manifest.values())

    articles = pq.read_table(release / "data" / "articles.parquet").to_pylist()
    published = {a["raw_path"] for a in articles}
    seeds = {p.relative_to(bad_raw).as_posix() for p in [*bad_raw.glob("liga/*.txt"), *bad_raw.glob("ndtv/*.txt")]}
    assert len(seeds) == 2 and seeds | USED == published
    assert not published & set(EXPECTED_REJECTIONS)
    assert all("private note" not in a["text"] for a in articles)
    inputs = {i["path"] for i in manifest["inputs"]}
    assert not any(p.startswith(("no-config/", "broken-config/", "wrong-config/")) for p in inputs)
    assert "xtra/leaky-sidecar.meta.json" not in inputs


@pytest.mark.parametrize("parts", [("..", "etc"), ("/etc/passwd",), ("ndtv", "../../x"), ("a\x00b",), ("",)])
def test_paths_from_user_input_cannot_leave_their_root(tmp_path, parts):
    with pytest.raises(ValueError):
        ingest.safe_join(tmp_path, *parts)


def test_safe_join_follows_symlinks_and_allows_plain_names(tmp_path):
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "out").symlink_to(tmp_path)
    assert ingest.safe_join(tmp_path / "raw", "ndtv", "story.txt") == tmp_path / "raw" / "ndtv" / "story.txt"
    with pytest.raises(ValueError, match="would leave"):
        ingest.safe_join(tmp_path / "raw", "out", "secret.txt")


def test_a_source_folder_linked_from_outside_raw_publishes_no_file(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(BAD / "xtra", elsewhere)
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "linked").symlink_to(elsewhere)
    srcs, src_rejected = sources.load_sources(raw)
    arts, rejected = ingest.ingest(raw, srcs)
    assert srcs == [] and arts == [] and rejected == []
    assert src_rejected == [{"path": "linked/source.toml", "reason": "symbolic link pointing outside raw/"}]
