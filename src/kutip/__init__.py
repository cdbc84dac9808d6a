"""Kutip: who said what, when, and who reported it, from Indonesian news.

The whole library stands on one pure function, :func:`extract`, which turns an
article's text or HTML into typed statements (see :mod:`kutip.core.model`).
"""
from kutip.core.errors import KutipError, KutipInputError, KutipTimeoutError
from kutip.core.model import Cue, DateRef, ExtractedArticle, Metadata, Speaker, Statement
from kutip.api import extract

__all__ = [
    "extract", "ExtractedArticle", "Statement", "Speaker", "Cue", "DateRef", "Metadata",
    "KutipError", "KutipInputError", "KutipTimeoutError",
]
__version__ = "0.1.0"
