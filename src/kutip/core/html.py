"""HTML page -> article body text plus page metadata, via trafilatura.

trafilatura finds the main content and reads the page metadata (title, author,
date via htmldate, site name). We render its body tree ourselves so that each
block becomes one paragraph separated by a blank line, the layout the plain-text
path and the boilerplate analyser expect.
"""
from __future__ import annotations

import logging
import re
from copy import copy

from kutip.core.errors import KutipInputError
from kutip.core.model import Metadata

__all__ = ["html_to_text"]

# trafilatura logs "discarding data" etc. at WARNING/ERROR for ordinary pages;
# without a handler Python would print them to stderr in the middle of CLI output.
logging.getLogger("trafilatura").addHandler(logging.NullHandler())
logging.getLogger("htmldate").addHandler(logging.NullHandler())

_WS_RE = re.compile(r"\s+")
_AUTHOR_SPLIT_RE = re.compile(r"\s*;\s*")
# An article has at least one sentence-length line outside lists; a page of
# menus and link lists (which trafilatura's fallbacks may still return) has not.
_MIN_SENTENCE_WORDS = 10
_HTML_TAG_RE = re.compile(r"<html[\s>]", re.I)

# libxml2 (under lxml, under trafilatura) stops building the tree at 256 levels of nesting and
# silently drops everything deeper, so a page whose article sits inside 50,000 <div>s would have
# "no article text". Before parsing we count nesting and, only when a page goes deeper than
# _MAX_DEPTH, drop the tags below that level: block tags become <p> (paragraph breaks kept,
# and <p> never nests), inline tags vanish. The text is kept; a page within the limit is untouched.
_MAX_DEPTH = 120
_TOKEN_RE = re.compile(
    r"<!--.*?(?:-->|\Z)|<(script|style|textarea|title)\b[^>]*>.*?(?:</\1\s*>|\Z)"
    r"|<(/?)([A-Za-z][A-Za-z0-9:_-]*)\b[^>]*?(/?)>",
    re.I | re.S,
)
# elements that never hold others (void) or that HTML closes by itself at the next sibling:
# counting them as levels would make an ordinary page of unclosed <p>s look deep
_FLAT_TAGS = frozenset(
    "area base br col embed hr img input link meta param source track wbr "
    "p li dt dd tr td th option".split()
)
_BLOCK_TAGS = frozenset(
    "address article aside blockquote body center dd details dialog dir div dl dt fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hgroup html li main menu nav ol pre section table "
    "tbody thead tfoot tr td th ul".split()
)


def _flatten_deep(page: str) -> str:
    """``page`` with tags below _MAX_DEPTH levels removed (see _MAX_DEPTH); unchanged when shallower."""
    if page.count("<") <= _MAX_DEPTH:
        return page
    depth = deepest = 0
    tokens = []
    for m in _TOKEN_RE.finditer(page):
        name = m.group(3)
        if name is None:
            continue  # a comment or a script/style/textarea/title body: no tags inside
        name = name.lower()
        if name in _FLAT_TAGS or m.group(4):
            continue
        if m.group(2):  # a closing tag
            tokens.append((m, depth > _MAX_DEPTH, name))
            depth = max(depth - 1, 0)
        else:
            depth += 1
            deepest = max(deepest, depth)
            tokens.append((m, depth > _MAX_DEPTH, name))
    if deepest <= _MAX_DEPTH:
        return page
    out = []
    pos = 0
    broken = False  # the output ends in a <p> we put there, with only whitespace since
    for m, drop, name in tokens:
        if drop:
            gap = page[pos:m.start()]
            out.append(gap)
            broken = broken and not gap.strip()
            if name in _BLOCK_TAGS and not broken:  # a run of dropped tags is one paragraph break
                out.append("<p>")
                broken = True
            pos = m.end()
    out.append(page[pos:])
    return "".join(out)


def _block_text(element) -> str:
    """Text of one body block, without the tail that belongs to its parent."""
    from trafilatura.xml import xmltotxt

    el = copy(element)  # lxml copy is deep; we only change the tail
    el.tail = None
    return xmltotxt(el, False).strip()


def _norm(s: str) -> str:
    return _WS_RE.sub(" ", s).strip().casefold()


def html_to_text(html: str, *, url: str | None = None) -> tuple[str, Metadata]:
    """Extract the article body (paragraphs joined by "\\n\\n") and page metadata from HTML.

    Malformed markup is repaired by lxml; a page with no article body (only
    navigation, an empty shell) raises KutipInputError instead of yielding an
    empty text that would silently produce no statements.
    """
    import trafilatura

    page = html
    if not _HTML_TAG_RE.search(html[:5000]):
        # trafilatura rejects bare fragments ("<p>x</p>"): give them a document around them
        page = f"<html><body><div>{html}</div></body></html>"
    page = _flatten_deep(page)
    try:
        doc = trafilatura.bare_extraction(
            page,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            deduplicate=False,
        )
    except (ValueError, TypeError) as exc:  # trafilatura/lxml on pathological input
        raise KutipInputError(f"no article text found in HTML{' ' + url if url else ''}: it could not be parsed ({exc})") from None
    where = f" ({url})" if url else ""
    if doc is None or doc.body is None:
        raise KutipInputError(
            f"no article text found in HTML{where}: the page has no main text (only navigation or an empty shell?). "
            "Pass the article page itself, or its text as a .txt file."
        )

    title = (doc.title or "").strip() or None
    paragraphs: list[str] = []
    prose = 0  # sentence-length lines outside lists
    for child in doc.body:
        text = _block_text(child)
        if not text:
            continue
        # the headline repeated as the first heading is not article body
        if not paragraphs and child.tag == "head" and title and _norm(text) == _norm(title):
            continue
        paragraphs.append(text)
        if child.tag != "list":
            prose += sum(1 for line in text.split("\n") if len(line.split()) >= _MIN_SENTENCE_WORDS)
    body = "\n\n".join(paragraphs)
    if not prose:
        raise KutipInputError(
            f"no article text found in HTML{where}: the main text has no sentence, only short lines "
            "(menus, link lists?). "
            "Pass the article page itself, or its text as a .txt file."
        )

    from kutip.core.boilerplate import canonical_outlet
    from kutip.core.context.dates import parse_published

    published = parse_published(doc.date) if doc.date else None
    authors = [a for a in _AUTHOR_SPLIT_RE.split(doc.author or "") if a.strip()]
    meta = Metadata(
        title=title,
        outlet=canonical_outlet(doc.sitename) if (doc.sitename or "").strip() else None,
        published=published.isoformat() if published else None,
        authors=authors,
        url=doc.url or url,
        year=published.year if published else None,
    )
    return body, meta
