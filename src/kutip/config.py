"""What the interfaces (CLI, web server, batch workers) read from the environment, in one place.
The core (:func:`kutip.extract`) reads none of it: callers resolve these and pass them in.

- ``KUTIP_MODEL=off`` (or 0/no/false): extract with the rules alone, no tagger.
- ``KUTIP_MODEL_PATH=DIR``: a tagger model trained with ``kutip train`` instead of the shipped one.
- ``KUTIP_TOKENIZER=spacy``: the tagger tokenises with spaCy itself, not the model's frozen copy
  (the same tokens; for timing comparisons, see benchmarks/startup.py).
"""
from __future__ import annotations

import os
from typing import Optional

OFF = ("0", "off", "no", "false")


def model_wanted(explicit: Optional[bool] = None) -> bool:
    """The tagger on or off: an explicit choice (``--model/--no-model``), else ``$KUTIP_MODEL``."""
    if explicit is not None:
        return explicit
    return os.environ.get("KUTIP_MODEL", "on").strip().casefold() not in OFF


def model_path(explicit: Optional[str] = None) -> Optional[str]:
    """A model directory: an explicit ``--model-path``, else ``$KUTIP_MODEL_PATH``, else None (shipped)."""
    if explicit:
        return str(explicit)
    return os.environ.get("KUTIP_MODEL_PATH", "").strip() or None


def extract_options(use_model: Optional[bool] = None, path: Optional[str] = None) -> dict:
    """Keyword arguments for :func:`kutip.extract` as the environment and the caller's flags say."""
    p = model_path(path)
    options = {"use_model": True if p else model_wanted(use_model), "model_path": p}
    if options["use_model"] and os.environ.get("KUTIP_TOKENIZER", "").strip().casefold() == "spacy":
        options["tagger"] = _spacy_tagger(p)
    return options


_SPACY_TAGGERS: dict = {}


def _spacy_tagger(path: Optional[str]):
    from kutip.tagger import DEFAULT_MODEL_DIR, Tagger

    key = path or str(DEFAULT_MODEL_DIR)
    if key not in _SPACY_TAGGERS:
        _SPACY_TAGGERS[key] = Tagger(key, spacy_tokenizer=True)
    return _SPACY_TAGGERS[key]
