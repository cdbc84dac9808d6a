"""The Python API's :func:`extract`: the pure core (:func:`kutip.core.pipeline.extract`) with the
tagger chosen for the caller. The model is on by default (the one that ships with the package),
off with ``use_model=False``; ``model_path`` loads another one, once per process.
"""
from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Optional, Union

from kutip.core.model import ExtractedArticle
from kutip.core.pipeline import extract as extract_article


def extract(text_or_html: Union[str, bytes], *, published: Optional[Union[str, date]] = None,
            source: Optional[str] = None, url: Optional[str] = None, outlet: Optional[str] = None,
            html: Optional[bool] = None, use_model: Optional[bool] = None,
            model_path: Optional[str] = None, tagger=None, time_budget: Optional[float] = None) -> ExtractedArticle:
    """Extract the statements of one article (see :func:`kutip.core.pipeline.extract`).

    ``use_model``: refine speakers with the PFSA-ID tagger (default on, the shipped model);
    ``model_path``: a model trained with ``kutip train``; ``tagger``: a loaded
    :class:`kutip.tagger.Tagger` used as is; ``time_budget``: seconds before
    :class:`~kutip.core.errors.KutipTimeoutError`. Reads no environment (see :mod:`kutip.config`).
    """
    if tagger is None:
        tagger = resolve_tagger(use_model, model_path)
    return extract_article(text_or_html, published=published, source=source, url=url,
                           outlet=outlet, html=html, tagger=tagger, time_budget=time_budget)


def resolve_tagger(use_model: Optional[bool] = None, model_path: Optional[str] = None):
    """The tagger for these options, loaded once per process, or None for the rules alone."""
    if use_model is False:
        return None
    if model_path:
        return _load_model(str(model_path))
    from kutip.tagger import load_default_model

    return load_default_model()


@lru_cache(maxsize=4)
def _load_model(path: str):
    from kutip.tagger import load_model

    return load_model(path)
