"""Incremental runs: the per-article stage cache, progress bars and the run's Prefect artifact."""
import hashlib
import shutil
import threading
from datetime import datetime, timezone
from pathlib import Path

import pytest

from crosswire import cache, cli, unchanged

CORPORA = Path(__file__).parent / "corpora"


def run(raw, datasets, *extra):
    return cli.main(["run", "--raw", str(raw), "--datasets", str(datasets), *extra])


def parquet_bytes(release: Path) -> dict:
    return {p.name: p.read_bytes() for p in sorted(release.glob("data/*.parquet"))}


# ---- the store --------------------------------------------------------------------------

def test_entries_round_trip_and_keys_follow_content_and_code(tmp_path):
    store = cache.Cache(tmp_path / "c")
    value = {"row": {"published": datetime(2025, 8, 15, 9, 30, tzinfo=timezone.utc), "authors": ["A"], "n": 1.25}}
    key = cache.digest("x", 1)
    assert store.get("articles", key) is None
    store.put("articles", key, value)
    assert store.get("articles", key) == value
    assert (store.hits, store.misses) == (1, 1)
    assert cache.digest("x", 1) == key != cache.digest("x", 2)
    assert cache.code_version("clean-1", [cache]) != cache.code_version("clean-2", [cache])
    assert cache.code_version("clean-1", [cache]) == cache.code_version("clean-1", [cache])


def test_article_keys_are_the_digest_of_each_article_and_its_outlet(tmp_path):
    """The keys made for many articles at once (each outlet's settings made JSON once) are the
    digest of each article's bytes, path, sidecar and outlet settings, as one key alone is."""
    from crosswire.ingest import RawArticle
    from crosswire.sources import load_sources

    raw = tmp_path / "raw"
    for outlet, name in (("quayside", "Quayside Echo"), ("uplands", "Uplands Courier")):
        (raw / outlet).mkdir(parents=True)
        (raw / outlet / "source.toml").write_text(f'name = "{name}"\nhomepage = "https://{outlet}.example"\n'
                                                  f'country = "GB"\nlanguage = "en"\nkind = "regional"\n')
    srcs, rejected = load_sources(raw)
    assert not rejected
    by_id = {s.source_id: s for s in srcs}
    arts = [RawArticle("quayside", "quayside/ferry.txt", "ab" * 32, "txt", None, None),
            RawArticle("uplands", "uplands/mill.html", "cd" * 32, "html", None,
                       {"published": "2025-03-02T08:00:00+00:00", "authors": ["Siân Ó Ruairc"], "event": "mill"}),
            RawArticle("quayside", "quayside/ferry-2.txt", "ab" * 32, "txt", None, {"note": "a \"quoted\" word"})]
    keys = cache.article_keys(arts, by_id, "articles-9:abc")
    assert keys == [cache.digest("articles", "articles-9:abc", a.raw_sha256, a.raw_path, a.source_id, a.format,
                                 a.sidecar, by_id[a.source_id]) for a in arts]
    assert keys == [cache.article_key(a, by_id[a.source_id], "articles-9:abc") for a in arts]
    assert len(set(keys)) == 3 and keys != cache.article_keys(arts, by_id, "articles-10:abc")


def test_a_key_with_anything_but_lowercase_hex_names_no_entry(tmp_path):
    store = cache.Cache(tmp_path / "c")
    assert store.path("articles", "0a" * 32).name == "0a" * 32 + ".json"
    for bad in ("", "0A" * 32, "0a/b", "ab cd", "abc\n", "g" + "0" * 63):
        with pytest.raises(ValueError):
            store.path("articles", bad)


def test_a_corrupt_entry_is_a_miss_and_a_disabled_cache_never_hits(tmp_path):
    store = cache.Cache(tmp_path / "c")
    key = cache.digest("y")
    store.put("statements", key, [1, 2])
    store.path("statements", key).write_text("{not json")
    assert store.get("statements", key) is None
    off = cache.Cache(None)
    off.put("statements", key, [1])
    assert not off and off.get("statements", key) is None
    with pytest.raises(ValueError):
        store.path("statements", "../../etc/passwd")


def test_an_edited_entry_fails_its_digest_and_is_a_miss(tmp_path):
    store = cache.Cache(tmp_path / "c")
    key = cache.digest("z")
    store.put("statements", key, [{"text": "We will win", "speaker_name": "Ann Lee"}])
    path = store.path("statements", key)
    head, payload = path.read_bytes().split(b"\n", 1)
    assert head == b"sha256:" + hashlib.sha256(payload).hexdigest().encode()
    # well-formed JSON with the same length, digest line kept: a plausible hand edit
    path.write_bytes(head + b"\n" + payload.replace(b"Ann Lee", b"Bob Kay"))
    assert store.get("statements", key) is None and store.corrupt == 1
    path.write_bytes(payload)  # an entry of the earlier format, without a digest
    assert store.get("statements", key) is None and store.corrupt == 2
    store.put("statements", key, [1])  # recomputed: replaces the bad entry
    assert store.get("statements", key) == [1] and store.hits == 1


def test_an_entry_is_vouched_for_by_the_stats_it_had_when_verified(tmp_path, monkeypatch):
    """A verified entry's stats, once settled, let the next check pass without reading it; a
    rewritten entry is read again, and one found damaged when read is dropped."""
    from crosswire import unchanged

    store = cache.Cache(tmp_path / "c")
    key = cache.digest("the harbour wall")
    store.put("statements", key, [{"text": "The wall will hold", "speaker_name": "Mara Quist"}])
    assert store.vouched("statements", key) == (True, None)  # written a moment ago: its stats can't vouch yet
    monkeypatch.setattr(unchanged, "RACY_NS", 0)
    intact, stats = store.vouched("statements", key)
    assert intact and stats[1] == store.path("statements", key).stat().st_size
    reads = []
    real = cache.Cache.intact
    monkeypatch.setattr(cache.Cache, "intact", lambda self, *a: reads.append(a) or real(self, *a))
    assert store.vouched("statements", key, stats) == (True, stats) and reads == []
    path = store.path("statements", key)
    head, payload = path.read_bytes().split(b"\n", 1)
    path.write_bytes(head + b"\n" + payload.replace(b"Mara", b"Nora"))  # an edit in place moves the stats
    assert store.vouched("statements", key, stats) == (False, None) and len(reads) == 1
    assert store.get("statements", key) is None and not path.exists()  # found damaged: dropped
    assert store.vouched("statements", cache.digest("never stored")) == (False, None)
    assert cache.Cache(None).vouched("statements", key, stats) == (False, None)


def test_a_sealed_file_reads_back_its_payload_and_a_damaged_one_nothing(tmp_path):
    path = tmp_path / "blob.bin"
    payload = b"\x00binary\nwith newlines\n" * 1000
    cache.write_sealed(path, payload)
    assert cache.read_sealed(path) == payload
    head = path.read_bytes().split(b"\n", 1)[0]
    for damaged in (payload, head, head + b"\n" + payload[:-1], head + b"x\n" + payload,
                    head.upper() + b"\n" + payload, b"\n" + payload, b""):
        path.write_bytes(damaged)
        assert cache.read_sealed(path) is None
    cache.write_sealed(path, b"")
    assert cache.read_sealed(path) == b""
    assert cache.read_sealed(tmp_path / "absent.bin") is None


def test_a_sealed_file_is_hashed_once_while_its_stats_stay_and_again_when_they_move(tmp_path, monkeypatch):
    path = tmp_path / "blob.bin"
    cache.write_sealed(path, b"payload " * 100)
    hashed = []
    real = cache._seal
    monkeypatch.setattr(cache, "_seal", lambda payload: hashed.append(1) or real(payload))
    monkeypatch.setattr(unchanged, "RACY_NS", 3600 * 10**9)  # written "just now": its stats not trusted
    assert cache.read_sealed(path) == b"payload " * 100 and cache.read_sealed(path) == b"payload " * 100
    assert len(hashed) == 2
    monkeypatch.setattr(unchanged, "RACY_NS", 0)
    hashed.clear()
    assert cache.read_sealed(path) == cache.read_sealed(path) == b"payload " * 100
    assert len(hashed) == 1  # verified once, then known by its stats
    cache.write_sealed(path, b"another " * 100)  # replaced by a rename: a new inode
    hashed.clear()
    assert cache.read_sealed(path) == b"another " * 100 and len(hashed) == 1
    damaged = path.read_bytes()[:-3]  # damaged in place: its size and times move
    path.write_bytes(damaged)
    assert cache.read_sealed(path) is None


def test_concurrent_writers_leave_one_whole_entry_and_no_temporary_files(tmp_path):
    store = cache.Cache(tmp_path / "c")
    key = cache.digest("same")
    value = {"text": "x" * 200_000}
    threads = [threading.Thread(target=store.put, args=("articles", key, value)) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert store.get("articles", key) == value
    assert [p.name for p in store.path("articles", key).parent.iterdir()] == [f"{key}.json"]


def test_model_label_matches_the_loaded_pipeline_without_loading_it():
    from crosswire import nlp
    assert cache.model_label() == nlp.model_name(nlp.load())


# ---- through the flow -------------------------------------------------------------------

def _result(monkeypatch):
    """Capture the flow's result dict from a CLI run."""
    import flows.release as release
    seen = {}
    real = release.release_flow

    class Spy:
        def __call__(self, **kw):
            seen.update(real(**kw))
            return seen

        def with_options(self, **kw):
            return real.with_options(**kw)
    monkeypatch.setattr(release, "release_flow", Spy())
    return seen


def test_no_op_rerun_does_no_nlp_and_one_new_article_processes_one(prefect_harness, raw_copy, datasets_dir,
                                                                    monkeypatch, capsys):
    seen = _result(monkeypatch)
    assert run(raw_copy, datasets_dir) == 0
    assert seen["processed"] == {"articles": 2, "statements": 2, "events": 1}
    first = parquet_bytes(datasets_dir / "v1.0.0")

    from crosswire import nlp

    def no_nlp(*a, **k):
        raise AssertionError("spaCy was loaded on a run with nothing new")
    monkeypatch.setattr(nlp, "load", no_nlp)
    seen.clear()
    assert run(raw_copy, datasets_dir) == 0
    assert seen == {} and "no changes" in capsys.readouterr().out  # answered without the flow
    assert run(raw_copy, datasets_dir, "--recheck") == 0          # the flow, served by the cache
    assert seen["processed"] == {"articles": 0, "statements": 0, "events": 0}
    assert seen["cached"] == {"articles": 2, "statements": 2, "events": 1}
    assert "no changes" in capsys.readouterr().out
    monkeypatch.undo()

    seen = _result(monkeypatch)
    shutil.copy(CORPORA / "extra" / "wire-summit.txt", raw_copy / "liga" / "wire-summit.txt")
    assert run(raw_copy, datasets_dir) == 0
    assert seen["processed"] == {"articles": 1, "statements": 1, "events": 1}
    assert seen["version"] == "1.1.0"

    # the cached runs give the same bytes as a run that computes everything on top of the
    # same previous release (event ids follow the previous release: events.py)
    fresh = datasets_dir.parent / "fresh"
    fresh.mkdir()
    shutil.copytree(datasets_dir / "v1.0.0", fresh / "v1.0.0")
    assert run(raw_copy, fresh, "--no-cache") == 0
    assert parquet_bytes(datasets_dir / "v1.1.0") == parquet_bytes(fresh / "v1.1.0")
    assert first  # the first release stays as it was
    assert parquet_bytes(datasets_dir / "v1.0.0") == first


def test_a_new_stage_version_reprocesses_what_that_stage_touched(prefect_harness, raw_copy, datasets_dir, monkeypatch):
    seen = _result(monkeypatch)
    assert run(raw_copy, datasets_dir) == 0
    from crosswire import statements
    monkeypatch.setattr(statements, "STAGE_VERSION", statements.STAGE_VERSION + "-next")
    seen.clear()
    # --recheck: a version patched in memory is not an edit of the code the no-op check digests
    assert run(raw_copy, datasets_dir, "--recheck") == 0
    # the same statements again: no event is aligned again
    assert seen["processed"] == {"articles": 0, "statements": 2, "events": 0}
    from crosswire import clean
    monkeypatch.setattr(clean, "STAGE_VERSION", clean.STAGE_VERSION + "-next")
    seen.clear()
    assert run(raw_copy, datasets_dir, "--recheck") == 0
    # cleaning again gives the same article rows, so their statements come from the cache
    assert seen["processed"] == {"articles": 2, "statements": 0, "events": 0}


def test_a_separate_cache_directory_is_used_when_given(prefect_harness, raw_copy, datasets_dir, tmp_path):
    assert run(raw_copy, datasets_dir, "--cache", str(tmp_path / "cc")) == 0
    assert list((tmp_path / "cc" / "statements").rglob("*.json"))
    assert not (datasets_dir / ".cache").exists()


def test_a_tampered_cache_entry_is_recomputed_not_published(prefect_harness, raw_copy, tmp_path, monkeypatch):
    honest, store = tmp_path / "honest", tmp_path / "cc"
    assert run(raw_copy, honest, "--cache", str(store)) == 0
    entries = sorted((store / "statements").rglob("*.json")) + sorted((store / "articles").rglob("*.json"))
    for path in entries:  # every cached result edited, its digest line kept
        head, payload = path.read_bytes().split(b"\n", 1)
        path.write_bytes(head + b"\n" + payload.replace(b"Putin", b"Pootin"))
    assert any(b"Pootin" in p.read_bytes() for p in entries)
    seen = _result(monkeypatch)
    assert run(raw_copy, tmp_path / "again", "--cache", str(store)) == 0
    assert seen["processed"]["articles"] == 2 and seen["processed"]["statements"] == 2
    assert parquet_bytes(tmp_path / "again" / "v1.0.0") == parquet_bytes(honest / "v1.0.0")
    assert not any(b"Pootin" in p.read_bytes() for p in entries)  # the bad entries were replaced


def test_progress_bars_go_to_stderr_and_stdout_keeps_its_one_line(prefect_harness, raw_copy, datasets_dir, capsys):
    assert run(raw_copy, datasets_dir, "--progress") == 0
    out = capsys.readouterr()
    assert out.out.strip().splitlines() == [str(datasets_dir / "v1.0.0")]
    lines = out.err.splitlines()
    for stage in ("ingest", "clean+metadata", "statements", "cross-source", "publish"):
        assert any(ln.startswith(stage) for ln in lines), (stage, out.err)
    assert any("2/2 articles" in ln and ln.startswith("statements") for ln in lines)
    assert run(raw_copy, datasets_dir) == 0  # not a terminal and not asked: no bars
    assert "clean+metadata" not in capsys.readouterr().err


def latest_artifact(key: str) -> dict:
    # Artifact.get / read_artifacts send null filters that this server build refuses (422),
    # so ask the API directly, as the UI does.
    from prefect.client.orchestration import get_client
    with get_client(sync_client=True) as client:
        found = client.request("POST", "/artifacts/filter",
                               json={"artifacts": {"key": {"any_": [key]}}, "sort": "CREATED_DESC", "limit": 1}).json()
    return found[0] if found else None


def test_every_run_leaves_a_markdown_artifact_summarising_the_release(prefect_harness, raw_copy, datasets_dir, capsys):
    (raw_copy / "ndtv" / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(300))
    assert run(raw_copy, datasets_dir) == 0
    art = latest_artifact("crosswire-release")
    assert art is not None and art["type"] == "markdown"
    md = art["data"]
    assert "# crosswire release v1.0.0" in md
    assert "| articles | 2 | 2 | 0 | 0 |" in md
    assert "`ndtv/ndtv.txt`" in md or "ndtv/" in md
    assert "| `ndtv/photo.txt` | binary file (a PNG image), not text |" in md

    assert run(raw_copy, datasets_dir, "--recheck") == 0  # a no-op that goes through the flow
    md = latest_artifact("crosswire-release")["data"]
    assert "no new release" in md and "v1.0.0 is up to date" in md


def test_a_files_digest_follows_names_and_bytes_not_folders(tmp_path):
    a, b = tmp_path / "here" / "people.toml", tmp_path / "moved" / "elsewhere" / "people.toml"
    for p in (a, b):
        p.parent.mkdir(parents=True)
        p.write_text('[person]\nname = "Ann Lee"\n', encoding="utf-8")
    assert cache.files_digest([a]) == cache.files_digest([b])   # a moved checkout keeps its cache
    b.write_text('[person]\nname = "Ann Leigh"\n', encoding="utf-8")
    assert cache.files_digest([a]) != cache.files_digest([b])
    assert cache.files_digest([a]) != cache.files_digest([a.with_name("other.toml")])


def test_the_statements_cache_key_covers_every_data_file_the_statement_code_reads():
    """An edit to a word list must recompute the cached statements, an edit to a file the
    statement code never reads must not: every `<name>.toml` of crosswire/data that a module
    loaded with the statement code names (in a fresh interpreter) is in STATEMENT_DATA, which
    the stage's code version digests, and copies' and events' settings are not."""
    import subprocess
    import sys

    probe = r"""
import re, sys
from pathlib import Path
import crosswire.statements, crosswire.quotes, crosswire.attribution, crosswire.speakers
crosswire.statements.code_parts()
data = Path(crosswire.statements.__file__).parent / "data"
named = set()
for name, module in list(sys.modules.items()):
    f = getattr(module, "__file__", None) or ""
    if name.startswith("crosswire") and f.endswith(".py"):
        named |= set(re.findall(r"[\"']([a-z_]+\.toml)[\"']", Path(f).read_text()))
print(" ".join(sorted(n for n in named if (data / n).exists())))
"""
    named = set(subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
                .stdout.split())
    from crosswire import statements

    assert {"cues.toml", "sentences.toml", "mentions.toml"} <= named
    assert named <= set(statements.STATEMENT_DATA), named - set(statements.STATEMENT_DATA)
    assert not {"copies.toml", "events.toml", "shingleindex.toml", "align.toml"} & set(statements.STATEMENT_DATA)


def test_the_statements_cache_key_covers_every_module_the_statement_code_loads():
    """A module the statement code imports can change its rows (crosswire.clean's bullet
    pattern, crosswire.spelling's name folding were once left out of the key): each one
    loaded in a fresh interpreter is in the stage's code version, or in the short list below
    of modules that cannot change a row."""
    import subprocess
    import sys

    # the package's __init__, the time budget (a failure, not a row), the data-file reader
    # (the files it reads are in STATEMENT_DATA), and the source settings clean imports
    # for its per-source rules, which the statement code never calls
    cannot_change_rows = {"crosswire", "crosswire.budget", "crosswire.datafiles", "crosswire.sources",
                          "crosswire.configschema", "crosswire.userregex"}
    probe = r"""
import sys
from pathlib import Path
import crosswire.statements, crosswire.quotes, crosswire.attribution, crosswire.speakers
from crosswire import statements
key = {Path(p.__file__).resolve() for p in statements.code_parts()}
key |= {Path(m.__file__).resolve() for m in (crosswire.statements, crosswire.quotes, crosswire.attribution,
                                                crosswire.speakers)}
print(" ".join(sorted(name for name, m in list(sys.modules.items()) if name.startswith("crosswire")
                      and (getattr(m, "__file__", None) or "").endswith(".py")
                      and Path(m.__file__).resolve() not in key)))
"""
    outside = set(subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
                  .stdout.split())
    assert outside <= cannot_change_rows, outside - cannot_change_rows


def test_the_statements_cache_key_covers_every_rule_module():
    # a rule module added to crosswire/rules is part of the statement code whatever its name
    from pathlib import Path

    from crosswire import statements
    files = {Path(p.__file__).resolve() for p in statements.code_parts()}
    rules = Path(statements.__file__).resolve().parent / "rules"
    assert set(rules.glob("*.py")) <= files, set(rules.glob("*.py")) - files
