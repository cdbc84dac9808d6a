"""The pure core: one article in, its statements out. No I/O, no storage."""
from __future__ import annotations

from typing import Optional, Union
from datetime import date

from kutip.model import ExtractedArticle, Metadata


def extract(text_or_html: str, *, published: Optional[Union[str, date]] = None,
            source: Optional[str] = None, url: Optional[str] = None,
            outlet: Optional[str] = None) -> ExtractedArticle:
    """Extract the statements of one article (plain text or HTML)."""
    return ExtractedArticle(source=source, text=text_or_html, metadata=Metadata(), statements=[])
