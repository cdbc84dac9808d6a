"""The pure core: one article in, its statements out. No I/O, no storage, no environment.

The CLI, the Python API, the web server, batch ingest and Dask workers all call
:func:`extract`, so an article gives the same statements whichever way it comes in.
"""
from __future__ import annotations

from dataclasses import fields
from datetime import date
from typing import Optional, Union

from kutip.core.budget import Budget
from kutip.core.boilerplate import analyse as find_boilerplate
from kutip.core.context.dates import estimate_article_date, parse_published
from kutip.core.errors import KutipInputError
from kutip.core.attribute.engine import analyse, attribute
from kutip.core.decode import decode_bytes, looks_like_html
from kutip.core.html import html_to_text
from kutip.core.model import ExtractedArticle, Metadata


def _merge(first: Metadata, second: Metadata) -> Metadata:
    """Fields of ``first`` win; ``second`` fills what ``first`` left empty."""
    out = Metadata()
    for f in fields(Metadata):
        a, b = getattr(first, f.name), getattr(second, f.name)
        if isinstance(a, list):
            setattr(out, f.name, list(dict.fromkeys([*a, *(b or [])])))
        else:
            setattr(out, f.name, a if a not in (None, "") else b)
    return out


def extract(text_or_html: Union[str, bytes], *, published: Optional[Union[str, date]] = None,
            source: Optional[str] = None, url: Optional[str] = None, outlet: Optional[str] = None,
            html: Optional[bool] = None, tagger=None, time_budget: Optional[float] = None) -> ExtractedArticle:
    """Extract the statements of one article.

    ``text_or_html`` is plain text or an HTML page (detected, or forced with ``html``);
    bytes are decoded first. ``published`` (ISO date or ``date``) anchors relative
    dates such as "Rabu (18/1)" or "kemarin"; without it, the article's own
    metadata or copyright year is used. Offsets in the result index into its ``text``.

    ``tagger``: a loaded :class:`kutip.tagger.Tagger` (anything with its ``refine(analysis,
    statements) -> list[TagSpan]``) whose spans refine speakers' names, roles and affiliations; None extracts with the rules alone.
    ``time_budget``: seconds the extraction may take; past it, :class:`KutipTimeoutError`
    (checked between stages and every few sentences). The function reads no environment and no files: :func:`kutip.extract` resolves the shipped
    model, and the CLI, the server and batch workers resolve ``$KUTIP_MODEL`` (:mod:`kutip.config`).
    """
    budget = Budget(time_budget)
    if isinstance(text_or_html, (bytes, bytearray)):
        text_or_html = decode_bytes(bytes(text_or_html), source=source)
    if not isinstance(text_or_html, str):
        raise TypeError(f"extract() takes str or bytes, not {type(text_or_html).__name__}")
    text = text_or_html
    meta = Metadata()
    if html if html is not None else looks_like_html(text):
        text, meta = html_to_text(text, url=url)
    budget.check("HTML")
    cleaned = find_boilerplate(text)
    budget.check("boilerplate")
    meta = _merge(meta, cleaned.metadata)
    meta.url = url or meta.url
    meta.outlet = outlet or meta.outlet
    try:
        pub = parse_published(published) if published is not None else parse_published(meta.published)
    except (ValueError, TypeError):
        raise KutipInputError(f"published={published!r} is not a date; give it as YYYY-MM-DD") from None
    if published is not None and pub is None:
        raise KutipInputError(f"published={published!r} is not a date; give it as YYYY-MM-DD")
    if pub is not None:
        meta.published = pub.isoformat()
    year = pub.year if pub else meta.year
    excluded = [(r.start, r.end) for r in cleaned.excluded]
    if pub is None:
        meta.date_estimate = estimate_article_date(text, excluded, year=year)
    analysis = analyse(text, excluded, published=pub, year=year, budget=budget)
    if tagger is not None and any(step.found for step in analysis.steps):
        budget.check("tagger")
        # the tagger reads the same analysis and the rules' first attribution (its features),
        # then the attribution runs again with its spans; the analysis itself is never redone.
        # (Its spans only resolve the speakers of the statements the rules found: an article
        # where they found none needs no tagging.)
        refinements = tagger.refine(analysis, attribute(analysis), budget=budget)
        budget.check("attribution")
        statements = attribute(analysis, refinements)
    else:
        budget.check("attribution")
        statements = attribute(analysis)
    return ExtractedArticle(source=source, text=text, metadata=meta, statements=statements)
