"""A release's standard files, each checked by its standard's own tool, and licences per
source: a public release withholds the text of outlets whose licence does not allow
redistribution, and keeps what a reader needs to check statements against their own copy.

The corpus (tests/corpora/licensed) is three invented outlets with different licences.
"""
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pyarrow.parquet as pq
import pytest
import yaml

from crosswire import cli, croissant, datacard, licenses, publish, sources
from crosswire.validate import validate_release

CORPUS = Path(__file__).parent / "corpora" / "licensed"
CFF_SCHEMA = Path(__file__).parent / "data" / "cff-1.2.0.schema.json"
BIN = Path(sys.executable).parent  # the venv's console scripts (frictionless, mlcroissant)


def _run(raw: Path, datasets: Path, *flags: str) -> Path:
    assert cli.main(["run", "--raw", str(raw), "--datasets", str(datasets), "--no-cache", *flags]) == 0
    return publish.latest(datasets)


@pytest.fixture(scope="module")
def releases(prefect_harness, tmp_path_factory):
    """The corpus published twice: as a local run (all text) and as a public one."""
    root = tmp_path_factory.mktemp("licensed")
    return {"local": _run(CORPUS, root / "local"), "public": _run(CORPUS, root / "public", "--public")}


def table(release: Path, name: str) -> list[dict]:
    manifest = json.loads((release / "manifest.json").read_text())
    return pq.read_table(release / manifest["tables"][name]["path"]).to_pylist()


def by_source(rows: list[dict]) -> dict:
    return {r["source_id"]: r for r in rows}


# ---- licences -----------------------------------------------------------------------------

def test_a_source_toml_licence_is_read_and_published(releases):
    got = {r["source_id"]: r["license"] for r in table(releases["local"], "sources")}
    assert got == {"harbourpost": "CC-BY-4.0", "fellgazette": "CC-BY-NC-4.0", "valleytimes": None}


def test_a_licence_that_is_not_a_string_is_refused_with_the_file_named(tmp_path):
    folder = tmp_path / "outlet"
    folder.mkdir()
    (folder / "source.toml").write_text('name = "O"\nhomepage = "https://o.example.org"\ncountry = "GB"\n'
                                        'language = "en"\nlicense = 4\n')
    with pytest.raises(sources.SourceError, match=r"source.toml: field 'license'"):
        sources.parse_source(folder / "source.toml", "outlet")


@pytest.mark.parametrize("name, allowed", [
    ("CC-BY-4.0", True), ("cc by 4.0", True), ("CC BY-SA 4.0", True), ("CC0-1.0", True),
    ("Public Domain", True), ("CC-BY-NC-4.0", False), ("CC-BY-ND-4.0", False),
    ("All rights reserved", False), ("", False), (None, False)])
def test_the_allow_list_takes_open_licences_in_their_usual_spellings_and_nothing_else(name, allowed):
    assert (licenses.redistributable(name) is not None) is allowed


@pytest.mark.parametrize("flag, setting, public", [
    (True, "", True), (False, "1", False), (None, "yes", True), (None, "", False), (None, "no", False)])
def test_the_public_flag_wins_over_the_setting(monkeypatch, flag, setting, public):
    monkeypatch.setenv("CROSSWIRE_PUBLIC", setting)
    assert licenses.public_release(flag) is public


def test_a_scaffolded_source_toml_reads_with_its_licence_uncommented(tmp_path):
    from crosswire.scaffold import source_toml

    (tmp_path / "o").mkdir()
    text = source_toml("O", "https://o.example.org", "GB", "en").replace('# license = "CC-BY-4.0"', 'license = "CC-BY-4.0"')
    (tmp_path / "o" / "source.toml").write_text(text)
    assert sources.parse_source(tmp_path / "o" / "source.toml", "o").license == "CC-BY-4.0"


def test_a_local_run_keeps_every_text(releases):
    arts = by_source(table(releases["local"], "articles"))
    assert all(a["text"] for a in arts.values())
    assert all(a["text_sha256"] == hashlib.sha256(a["text"].encode()).hexdigest() for a in arts.values())


def test_a_public_run_keeps_text_only_where_the_licence_allows(releases):
    public = by_source(table(releases["public"], "articles"))
    local = by_source(table(releases["local"], "articles"))
    assert public["harbourpost"]["text"] == local["harbourpost"]["text"]
    assert public["fellgazette"]["text"] is None and public["valleytimes"]["text"] is None
    for sid in local:  # what identifies and measures the text is kept
        for col in ("text_sha256", "word_count", "title", "raw_sha256"):
            assert public[sid][col] == local[sid][col]


def test_withheld_text_stays_checkable_against_a_readers_own_copy(releases):
    """A reader who has the article (here: the local release's text) checks it against
    text_sha256, then finds every statement at its offsets."""
    own_copy = {a["article_id"]: a["text"] for a in table(releases["local"], "articles")}
    public = {a["article_id"]: a for a in table(releases["public"], "articles")}
    withheld = {k for k, a in public.items() if a["text"] is None}
    assert len(withheld) == 2
    body = [s for s in table(releases["public"], "statements") if s["article_id"] in withheld and s["section"] == "body"]
    assert body, "the withheld articles' statements are published"
    for s in body:
        text = own_copy[s["article_id"]]
        assert hashlib.sha256(text.encode()).hexdigest() == public[s["article_id"]]["text_sha256"]
        assert text[s["char_start"]:s["char_end"]] == s["text"]


def test_a_public_release_validates_and_its_card_names_what_was_withheld(releases):
    release = releases["public"]
    assert validate_release(release) == []
    card = (release / "README.md").read_text()
    assert "Text withheld in this release" in card
    assert "Fell Gazette (`fellgazette`)" in card and "Valley Times (`valleytimes`)" in card
    assert "local release" not in card.split("## Licence")[1].split("##")[0]
    notice = (release / "LICENSE").read_text()
    assert "Valley Times (valleytimes, https://valleytimes.example.org): all rights reserved / unknown; " \
           "text withheld" in notice
    assert "Harbour Post (harbourpost, https://harbourpost.example.org): CC-BY-4.0" in notice
    assert "== statements (" in notice  # a section per table


def test_a_local_release_says_it_is_not_for_redistribution(releases):
    card = (releases["local"] / "README.md").read_text()
    assert "**This is a local release**" in card
    assert _header(releases["local"])["license"] == "other"
    assert _header(releases["public"])["license"] == "cc-by-4.0"


def test_text_sha256_must_be_the_hash_of_text():
    rows = {"sources": [{"source_id": "o", "name": "O", "homepage": "https://o.example.org", "country": "GB",
                         "language": "en", "kind": "other", "license": None}],
            "articles": [{"article_id": "art_" + "0" * 16, "source_id": "o", "raw_path": "o/a.txt",
                          "raw_sha256": "0" * 64, "title": "T", "authors": [], "language": "en",
                          "text": "Some words.", "text_sha256": "f" * 64, "word_count": 2, "removed": [],
                          "captions": [], "cleaning_skipped": []}]}
    with pytest.raises(publish.ValidationFailed, match="text_sha256_is_the_hash_of_text"):
        publish.publish(rows, Path("/nonexistent"), inputs=[], rejected=[], code={})


# ---- the standards' own tools -----------------------------------------------------------------

def _tool(release: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / args[0]), *args[1:]], cwd=release, capture_output=True, text=True,
                          timeout=300, env={**os.environ, "NO_COLOR": "1"})


@pytest.mark.parametrize("kind", ["local", "public"])
def test_frictionless_validates_the_data_package(releases, kind):
    done = _tool(releases[kind], "frictionless", "validate", "datapackage.json")
    assert done.returncode == 0, done.stdout[-3000:]


def test_frictionless_reads_the_data_so_a_wrong_schema_fails(releases, tmp_path):
    import shutil
    copy = tmp_path / "release"
    shutil.copytree(releases["public"], copy)
    package = json.loads((copy / "datapackage.json").read_text())
    articles = next(r for r in package["resources"] if r["name"] == "articles")
    next(f for f in articles["schema"]["fields"] if f["name"] == "text")["constraints"]["required"] = True
    (copy / "datapackage.json").write_text(json.dumps(package))
    done = _tool(copy, "frictionless", "validate", "datapackage.json")
    assert done.returncode == 1 and "constraint-error" in done.stdout


def test_the_data_package_has_every_column_description_and_the_files_hashes(releases):
    release = releases["public"]
    package = json.loads((release / "datapackage.json").read_text())
    manifest = json.loads((release / "manifest.json").read_text())
    resources = {r["name"]: r for r in package["resources"]}
    assert set(resources) == set(manifest["tables"])
    for name, entry in manifest["tables"].items():
        file = release / resources[name]["path"]
        assert resources[name]["hash"] == "sha256:" + hashlib.sha256(file.read_bytes()).hexdigest()
        described = {f["name"]: f["description"] for f in resources[name]["schema"]["fields"]}
        arrow = pq.read_schema(file)
        assert list(described) == arrow.names
        for field in arrow:
            assert described[field.name].startswith(field.metadata[b"description"].decode())
    fks = resources["statements"]["schema"]["foreignKeys"]
    assert {"fields": ["article_id"], "reference": {"resource": "articles", "fields": ["article_id"]}} in fks


def test_mlcroissant_validates_the_croissant_file(releases):
    done = _tool(releases["public"], "mlcroissant", "validate", "--jsonld", "croissant.json")
    assert done.returncode == 0, done.stderr[-3000:]
    assert "error" not in done.stderr.lower()


def test_mlcroissant_reads_every_table_with_its_rows(releases):
    import mlcroissant as mlc

    release = releases["public"]
    manifest = json.loads((release / "manifest.json").read_text())
    meta = json.loads((release / "croissant.json").read_text())
    files = {d["contentUrl"]: d for d in meta["distribution"] if d["@type"] == "cr:FileObject"}
    for entry in manifest["tables"].values():
        assert files[entry["path"]]["sha256"] == hashlib.sha256((release / entry["path"]).read_bytes()).hexdigest()
    dataset = mlc.Dataset(jsonld=str(release / "croissant.json"))
    for name, entry in manifest["tables"].items():
        records = list(dataset.records(name))
        assert len(records) == entry["rows"], name
    record_sets = {r["@id"]: r for r in meta["recordSet"]}
    assert record_sets["statements"]["key"] == {"@id": "statements/statement_id"}
    text = next(f for f in record_sets["articles"]["field"] if f["name"] == "text")
    assert text["dataType"] == "sc:Text" and text["description"].startswith("Clean body")
    authors = next(f for f in record_sets["articles"]["field"] if f["name"] == "authors")
    assert authors["repeated"] is True


def _header(release: Path) -> dict:
    card = (release / "README.md").read_text()
    assert card.startswith("---\n")
    return yaml.safe_load(card.split("---\n")[1])


def test_the_card_header_has_a_config_per_table_that_datasets_loads(releases, tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    from datasets import load_dataset

    release = releases["public"]
    manifest = json.loads((release / "manifest.json").read_text())
    head = _header(release)
    assert head["language"] == ["en"] and head["size_categories"] == ["n<1K"]
    assert head["pretty_name"].startswith("crosswire v") and "news" in head["tags"]
    configs = {c["config_name"]: c for c in head["configs"]}
    assert set(configs) == {n for n, e in manifest["tables"].items() if e["rows"]}
    assert [c["config_name"] for c in head["configs"] if c.get("default")] == ["statements"]
    for name, config in configs.items():
        loaded = load_dataset("parquet", data_files=str(release / config["data_files"]), split="train",
                              cache_dir=str(tmp_path / "cache"))
        assert loaded.num_rows == manifest["tables"][name]["rows"]
    by_name = load_dataset(str(release), "sources", split="train", cache_dir=str(tmp_path / "cache"))
    assert sorted(by_name["source_id"]) == ["fellgazette", "harbourpost", "valleytimes"]


def test_citation_cff_is_valid_cff_1_2(releases):
    """Against the CFF 1.2.0 JSON schema (from cffconvert 2.0.0, which ships the schema of
    github.com/citation-file-format/citation-file-format, CC-BY-4.0)."""
    cff = yaml.safe_load((releases["public"] / "CITATION.cff").read_text())
    jsonschema.validate(cff, json.loads(CFF_SCHEMA.read_text()))
    manifest = json.loads((releases["public"] / "manifest.json").read_text())
    assert cff["version"] == manifest["version"] and cff["license"] == "CC-BY-4.0" and cff["type"] == "dataset"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({k: v for k, v in cff.items() if k != "authors"}, json.loads(CFF_SCHEMA.read_text()))


# ---- tables split into parts ------------------------------------------------------------------

def test_a_table_in_parts_is_described_part_by_part(tmp_path, monkeypatch):
    """The files come from the manifest: a table written as parts is one frictionless
    resource and one Croissant FileObject per part, and a glob in the card's config."""
    from test_publish import article, rows

    monkeypatch.setenv("CROSSWIRE_PARTITION_ROWS", "1")
    two = rows(article(1), article(2, sid="other"),
               sources=[{**s, "license": None} for s in (
                   {"source_id": "herald", "name": "Herald", "homepage": "https://h.example.org",
                    "country": "GB", "language": "en", "kind": "regional"},
                   {"source_id": "other", "name": "Other", "homepage": "https://o.example.org",
                    "country": "GB", "language": "en", "kind": "regional"})])
    release, _ = publish.publish(two, tmp_path, inputs=[], rejected=[], code={"version": "test"})
    manifest = json.loads((release / "manifest.json").read_text())
    parts = manifest["tables"]["articles"]["parts"]
    assert len(parts) == 2
    package = datacard.datapackage(manifest, {})
    names = [r["name"] for r in package["resources"]]
    assert "articles" not in names and sum(n.startswith("articles-part-") for n in names) == 2
    assert _tool(release, "frictionless", "validate", "datapackage.json").returncode == 0
    meta = croissant.croissant(manifest, {})
    assert {p["path"] for p in parts} <= {d["contentUrl"] for d in meta["distribution"] if "contentUrl" in d}
    assert _tool(release, "mlcroissant", "validate", "--jsonld", "croissant.json").returncode == 0
    assert "*.parquet" in next(c["data_files"] for c in _header(release)["configs"] if c["config_name"] == "articles")
