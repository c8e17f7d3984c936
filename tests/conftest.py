import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPORA = Path(__file__).parent / "corpora"

# Prefect keeps its database in PREFECT_HOME: give the test session its own, so that tests
# never touch a user's Prefect state and runs do not depend on one another.
# Made only when none is set, and removed when the session ends (one was left per session).
if "PREFECT_HOME" not in os.environ:
    os.environ["PREFECT_HOME"] = tempfile.mkdtemp(prefix="crosswire-prefect-")
    atexit.register(shutil.rmtree, os.environ["PREFECT_HOME"], True)
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")


@pytest.fixture
def equally_sure(monkeypatch):
    """The reported-speech filter as sure of every candidate (its confidence 0.5; its keep
    threshold as fitted): which of two nested reports the fitted confidence favours moves
    with every refit, the rule between them (attribution.FieldAttributor.run) does not."""
    from crosswire import indirect_filter
    fitted = indirect_filter.probability
    monkeypatch.setattr(indirect_filter, "probability",
                        lambda feats, part="confidence", m=None: 0.5 if part == "confidence" else fitted(feats, part, m))


@pytest.fixture(scope="session")
def prefect_harness():
    """One temporary Prefect backend for every flow test in the session."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield


@pytest.fixture
def raw_copy(tmp_path) -> Path:
    """A writable copy of the project's raw/ (the two seed sources)."""
    dest = tmp_path / "raw"
    shutil.copytree(ROOT / "raw", dest)
    return dest


@pytest.fixture
def datasets_dir(tmp_path) -> Path:
    return tmp_path / "datasets"


def articles_and_statements(raw: Path) -> tuple[list[dict], list[dict]]:
    """A raw root's articles and statements as the pipeline's stages make them (no flow),
    asserting that nothing in it is rejected."""
    from crosswire import ingest, metadata, sources, statements

    srcs, bad = sources.load_sources(raw)
    assert bad == []
    raws, rejected = ingest.ingest(raw, srcs)
    assert rejected == []
    by = {s.source_id: s for s in srcs}
    arts = [metadata.build_article(r, by[r.source_id]) for r in raws]
    return arts, statements.extract_statements(arts)


def hold_back(raw: Path, rel: str, parked: Path):
    """Move the article raw/rel and its sidecars into `parked` (a new folder), as if it had
    not arrived yet. -> a function that puts them back."""
    article = raw / rel
    parked.mkdir()
    for f in article.parent.glob(article.stem + ".*"):
        shutil.move(f, parked / f.name)

    def put_back() -> None:
        for f in parked.iterdir():
            shutil.move(f, article.parent / f.name)

    return put_back
