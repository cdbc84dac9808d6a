"""Kutip: who said what, when, and who reported it, from Indonesian news.

The whole library stands on one pure function, :func:`extract`, which turns an
article's text or HTML into typed statements (see :mod:`kutip.core.model`).
"""
from kutip.core.errors import KutipError, KutipInputError, KutipTimeoutError
from kutip.core.model import Cue, DateRef, ExtractedArticle, Metadata, Speaker, Statement

__all__ = [
    "extract", "ExtractedArticle", "Statement", "Speaker", "Cue", "DateRef", "Metadata",
    "KutipError", "KutipInputError", "KutipTimeoutError",
]
__version__ = "0.1.0"


def __getattr__(name: str):
    # the extractor (its lexicons, grammar and HTML parser) loads on first use, so read-only
    # commands (`kutip search`, `kutip speakers`) start without it
    if name == "extract":
        from kutip.api import extract

        return extract
    raise AttributeError(f"module 'kutip' has no attribute {name!r}")
