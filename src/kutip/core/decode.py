"""Turn raw input bytes into the exact text that every offset will index into.

Decoding is the only transformation: after the BOM is removed nothing is
normalised (whitespace, quotes, line ends), because statement offsets are
promised to index into this string unchanged.
"""
from __future__ import annotations

import codecs
import re

from kutip.core.errors import KutipInputError

__all__ = ["decode_bytes", "looks_like_html", "DEFAULT_MAX_BYTES"]

DEFAULT_MAX_BYTES = 20_000_000

# Signatures of common non-text formats people feed by mistake (file format
# facts, not language data, so they live here rather than in a lexicon).
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or DOCX/XLSX/EPUB)"),
    (b"PK\x05\x06", "a ZIP archive"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"BZh", "a bzip2-compressed file"),
    (b"\xfd7zXZ\x00", "an xz-compressed file"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
    (b"\x7fELF", "an executable"),
    (b"RIFF", "a RIFF media file (WAV/AVI/WebP)"),
    (b"OggS", "an Ogg media file"),
    (b"ID3", "an MP3 audio file"),
    (b"SQLite format 3\x00", "an SQLite database"),
)

# Byte-order marks, longest first: the UTF-32 LE BOM starts with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_EXPECTED = "expected a UTF-8 (or Latin-1/Windows-1252/UTF-16) plain-text or HTML news article"
_SAMPLE = 8192
# C0 controls other than tab, LF, VT, FF, CR, plus DEL and the C1 controls
# (which only appear when random bytes were read as latin-1).
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_CONTROL_SHARE = 0.10


def _name(source: str | None) -> str:
    return source or "input"


def _human(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 1_000_000 else f"{n:,} bytes"


def _sniff_bomless_utf(data: bytes) -> str | None:
    """Detect BOM-less UTF-16/32 by where the NUL bytes sit (ASCII-heavy text)."""
    sample = data[:_SAMPLE]
    n = len(sample)
    if n < 4 or b"\x00" not in sample:
        return None
    n4 = n - n % 4
    if n4 >= 8:
        cols = [sample[i:n4:4].count(0) / (n4 // 4) for i in range(4)]
        if cols[1] > 0.9 and cols[2] > 0.9 and cols[3] > 0.9 and cols[0] < 0.2:
            return "utf-32-le"
        if cols[0] > 0.9 and cols[1] > 0.9 and cols[2] > 0.9 and cols[3] < 0.2:
            return "utf-32-be"
    n2 = n - n % 2
    even = sample[0:n2:2].count(0) / (n2 // 2)
    odd = sample[1:n2:2].count(0) / (n2 // 2)
    if odd > 0.6 and even < 0.1:
        return "utf-16-le"
    if even > 0.6 and odd < 0.1:
        return "utf-16-be"
    return None


def _binary_error(what: str, source: str | None) -> KutipInputError:
    return KutipInputError(
        f"{_name(source)} looks like {what}, not text: {_EXPECTED}. "
        "Convert it to text or HTML first."
    )


def _decode_8bit(data: bytes) -> str:
    """Strict UTF-8, then cp1252, then latin-1 (which never fails).

    One exception: a file that is clearly UTF-8 (many valid multi-byte
    characters) with a stray bad byte or two, as scraped pages often are, stays
    UTF-8 with U+FFFD for the bad bytes, instead of turning every curly quote
    into cp1252 mojibake.
    """
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    lenient = data.decode("utf-8", errors="replace")
    bad = lenient.count("\ufffd")
    good = sum(1 for ch in lenient if ch > "\x7f") - bad
    if good >= 20 and bad * 20 <= good:
        return lenient
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def decode_bytes(data: bytes, *, source: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Decode article bytes to text, refusing empty, binary and oversized input with a clear message.

    Order: size limit (cheap, before any work), BOM, binary signatures, BOM-less
    UTF-16/32, then strict UTF-8, cp1252, latin-1 (see _decode_8bit).
    """
    if len(data) > max_bytes:
        raise KutipInputError(
            f"{_name(source)} is {_human(len(data))} ({len(data):,} bytes), over the "
            f"{max_bytes:,}-byte limit for one article. Split it into articles, or raise the "
            f"limit (max_bytes={len(data)} in Python, or KUTIP_MAX_BYTES={len(data)} in the environment of the kutip command)."
        )
    if not data.strip():
        raise KutipInputError(f"{_name(source)} is empty: nothing to extract")

    encoding = None
    body = data
    for bom, enc in _BOMS:
        if data.startswith(bom):
            encoding, body = enc, data[len(bom):]
            break
    if encoding is None:
        for magic, what in _MAGIC:
            if data.startswith(magic):
                raise _binary_error(what, source)
        encoding = _sniff_bomless_utf(data)
        if encoding is None and b"\x00" in data[:_SAMPLE]:
            raise _binary_error("a binary file (it contains NUL bytes)", source)

    if encoding is not None:
        try:
            text = body.decode(encoding)
        except UnicodeDecodeError:
            raise KutipInputError(
                f"{_name(source)} starts like {encoding.upper()} text but does not decode as it: "
                f"{_EXPECTED}. Re-save it as UTF-8."
            ) from None
    else:
        text = _decode_8bit(data)

    if not text.strip():
        raise KutipInputError(f"{_name(source)} is empty: nothing to extract")
    # The sniffing above reads the first 8 KiB; a NUL anywhere later (text with binary data
    # appended, a half-written file padded with zeros) is refused too: no article has one,
    # and PostgreSQL cannot store it in a text column, so `kutip ingest` would fail later.
    nul = text.find("\x00")
    if nul >= 0:
        raise _binary_error(f"a binary file (it contains NUL bytes, the first at character {nul:,})", source)
    # control characters: the start, the middle and the end (binary appended to text)
    n = len(text)
    for at in sorted({0, max(0, n // 2 - _SAMPLE // 2), max(0, n - _SAMPLE)}):
        sample = text[at:at + _SAMPLE]
        if len(_CONTROL_RE.findall(sample)) > _CONTROL_SHARE * len(sample):
            raise _binary_error("a binary file (too many control characters)", source)
    return text


_HTML_START_RE = re.compile(r"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", re.I | re.S)
_STRUCT_TAG_RE = re.compile(
    r"</?(?:html|head|body|p|div|article|section|main|header|footer|nav|br|li|ul|ol|h[1-6]|"
    r"table|tr|td|span|a|meta|title|figure|figcaption|img|link)\b[^<>]{0,2000}>",
    re.I,
)
_HTML_SCAN = 20_000


def looks_like_html(text: str) -> bool:
    """Guess whether text is an HTML page (so it needs html_to_text) rather than plain prose.

    A doctype/<html> at the start settles it; otherwise we need several
    structural tags and a tag density no prose article has, so plain text that
    merely mentions "<script>" or "<b>" stays plain text.
    """
    if _HTML_START_RE.match(text[:2000]):
        return True
    head = text[:_HTML_SCAN]
    tags = _STRUCT_TAG_RE.findall(head)
    if len(tags) < 2:
        return False
    markup = sum(len(t) for t in tags)
    return len(tags) >= 6 or markup >= 0.03 * len(head)
