"""Articles for the web tests, built by hand as ExtractedArticle objects (offsets computed, not typed).

One of them is hostile: markup, quotation marks, SQL metacharacters and control
characters in its text, title, outlet, speaker and role.
"""
from __future__ import annotations

from typing import Optional

from kutip.core.model import Cue, DateRef, ExtractedArticle, Metadata, Speaker, Statement

HOSTILE_SCRIPT = "<script>alert(1)</script>"
HOSTILE_SQL = "'; DROP TABLE statements;--"
HOSTILE_IMG = "<img src=x onerror=alert(1)>"
HOSTILE_CONTROLS = "\x00\x01\x07\x1b\x7f"


def _find(text: str, needle: str, after: int = 0) -> int:
    i = text.index(needle, after)
    return i


def stmt(text: str, quote: str, *, kind: str = "direct", cue: Optional[str] = None,
         mention: Optional[str] = None, name: Optional[str] = None, role: Optional[str] = None,
         affiliation: Optional[str] = None, date: Optional[tuple[str, Optional[str]]] = None,
         stype: str = "person", confidence: float = 0.9, location: Optional[str] = None) -> Statement:
    start = _find(text, quote)
    end = start + len(quote)
    cue_obj = None
    pos = end
    if cue:
        c = _find(text, cue, end) if cue in text[end:] else _find(text, cue)
        cue_obj = Cue(cue, c, c + len(cue))
        pos = max(pos, c + len(cue)) if c > end else pos
    sp = None
    if name or mention:
        if mention:
            m = _find(text, mention, pos) if mention in text[pos:] else _find(text, mention)
            sp = Speaker(mention, m, m + len(mention), name, stype, role, affiliation)
        else:
            sp = Speaker(None, None, None, name, stype, role, affiliation)
    assert text[start:end] == quote
    return Statement(kind=kind, text=quote, start=start, end=end, cue=cue_obj, speaker=sp,
                     date=DateRef(*date) if date else None, location=location, confidence=confidence)


STOLTENBERG_QUOTE = "Jika kita ingin perdamaian, kita harus mendukung Ukraina. Itulah satu-satunya cara,"
SRI_QUOTE = "Inflasi kita masih terkendali dan kami akan terus waspada"


def article_antara() -> tuple[ExtractedArticle, dict]:
    text = ("London (ANTARA) - Sekretaris Jenderal NATO Jens Stoltenberg, Rabu (18/1), mengatakan "
            "sekutu harus meningkatkan dukungan militer.\n\n"
            f"\"{STOLTENBERG_QUOTE}\" kata Stoltenberg di Davos, Swiss.\n\n"
            "Ia menambahkan bahwa pasokan senjata akan terus berlanjut tahun ini.")
    s1 = stmt(text, "sekutu harus meningkatkan dukungan militer", kind="indirect", cue="mengatakan",
              mention="Jens Stoltenberg", name="Jens Stoltenberg", role="Sekretaris Jenderal",
              affiliation="NATO", date=("Rabu (18/1)", "2023-01-18"))
    # the mention precedes the cue here: recompute it from the start of the text
    m = text.index("Jens Stoltenberg")
    s1.speaker.mention_start, s1.speaker.mention_end = m, m + len("Jens Stoltenberg")
    s2 = stmt(text, STOLTENBERG_QUOTE, cue="kata", mention="Stoltenberg", name="Jens Stoltenberg",
              role="Sekretaris Jenderal", affiliation="NATO", date=("Rabu (18/1)", "2023-01-18"),
              location="Davos, Swiss", confidence=0.97)
    meta = Metadata(title="NATO minta sekutu tambah dukungan untuk Ukraina", outlet="ANTARA",
                    published="2023-01-18", dateline="London", editor="Yuni Arisandy Sinaga")
    return (ExtractedArticle("antara-1.txt", text, meta, [s1, s2]),
            {"url": "https://www.antaranews.com/berita/1", "outlet": "ANTARA", "published": "2023-01-18"})


def article_kompas() -> tuple[ExtractedArticle, dict]:
    text = ("JAKARTA, KOMPAS.com - Menteri Keuangan Sri Mulyani Indrawati menyampaikan pandangannya.\n\n"
            f"”{SRI_QUOTE},” ujar Sri Mulyani di Jakarta, Kamis (2/3/2023).\n\n"
            f"Sebelumnya Jens Stoltenberg berkata, \"{STOLTENBERG_QUOTE}\" saat berada di Davos.")
    s1 = stmt(text, SRI_QUOTE, cue="ujar", mention="Sri Mulyani", name="Sri Mulyani Indrawati",
              role="Menteri Keuangan", date=("Kamis (2/3/2023)", "2023-03-02"))
    s2 = stmt(text, STOLTENBERG_QUOTE, cue="berkata", name="Jens Stoltenberg", mention="Jens Stoltenberg",
              role="Sekretaris Jenderal", affiliation="NATO")
    m = text.index("Jens Stoltenberg")
    s2.speaker.mention_start, s2.speaker.mention_end = m, m + len("Jens Stoltenberg")
    meta = Metadata(title="Sri Mulyani: inflasi terkendali", outlet="Kompas", published="2023-03-02")
    return (ExtractedArticle("kompas-1.html", text, meta, [s1, s2]),
            {"url": "https://money.kompas.com/read/2023/03/02/1", "outlet": "Kompas", "published": "2023-03-02"})


def article_sri_2(i: int) -> tuple[ExtractedArticle, dict]:
    day = 1 + i
    text = (f"JAKARTA - Sri Mulyani Indrawati kembali berbicara soal anggaran ke-{i}.\n\n"
            f"\"Defisit anggaran tahun ini nomor {i} tetap di bawah tiga persen,\" tutur Sri Mulyani.")
    q = f"Defisit anggaran tahun ini nomor {i} tetap di bawah tiga persen,"
    s = stmt(text, q, cue="tutur", mention="Sri Mulyani", name="Sri Mulyani Indrawati",
             role="Menteri Keuangan", date=(f"{day}/4/2023", f"2023-04-{day:02d}"))
    meta = Metadata(title=f"Defisit anggaran {i}", outlet="Tempo", published=f"2023-04-{day:02d}")
    return (ExtractedArticle(f"tempo-{i}.txt", text, meta, [s]),
            {"url": f"https://bisnis.tempo.co/read/{i}", "outlet": "Tempo", "published": f"2023-04-{day:02d}"})


HOSTILE_QUOTE = (f"{HOSTILE_SCRIPT} harus ditolak; {HOSTILE_SQL} bukan jawaban \"kata\" "
                 f"& 'kutip' {HOSTILE_CONTROLS} selesai")


def article_hostile() -> tuple[ExtractedArticle, dict]:
    text = (f"Jakarta - {HOSTILE_IMG} Budi O'Brien berkata \u201c{HOSTILE_QUOTE}\u201d dalam rapat "
            f"{HOSTILE_SQL}.\x1b[31m\n\nIa menutup rapat dengan {HOSTILE_SCRIPT} di layar.")
    s = stmt(text, HOSTILE_QUOTE, cue="berkata", mention="Budi O'Brien",
             name="Budi O'Brien", role=f"Ketua {HOSTILE_SCRIPT}",
             affiliation=f"Partai \"Drop\" & {HOSTILE_SQL}", date=("hari ini", "2023-05-05"))
    # the cue comes before the quote here
    c = text.index("berkata")
    s.cue = Cue("berkata", c, c + len("berkata"))
    m = text.index("Budi O'Brien")
    s.speaker.mention_start, s.speaker.mention_end = m, m + len("Budi O'Brien")
    meta = Metadata(title=f"{HOSTILE_SCRIPT} \"Kutipan\" & {HOSTILE_SQL}", outlet=HOSTILE_IMG,
                    published="2023-05-05", authors=[HOSTILE_SCRIPT])
    return (ExtractedArticle("hostile.txt", text, meta, [s]),
            {"url": "javascript:alert(1)", "outlet": HOSTILE_IMG, "published": "2023-05-05"})


def all_articles() -> list[tuple[ExtractedArticle, dict]]:
    arts = [article_antara(), article_kompas(), article_hostile()]
    arts += [article_sri_2(i) for i in range(1, 24)]  # enough to need pagination
    return arts


MANY_WORDS = [f"k{i}" for i in range(70)]  # short, digit-bearing words are indexed as they are


def article_many_words() -> tuple[ExtractedArticle, dict]:
    """A statement with 70 distinct indexed words: a search for all of them once joined the
    postings 70 times (SQLite: 'at most 64 tables in a join'; PostgreSQL: seconds to plan)."""
    quote = " ".join(MANY_WORDS)
    text = f"Jakarta - Ani Wijaya berkata, \"{quote}\" di Bandung."
    s = stmt(text, quote, cue="berkata", mention="Ani Wijaya", name="Ani Wijaya", date=("hari ini", "2023-06-01"))
    c = text.index("berkata")
    s.cue = Cue("berkata", c, c + len("berkata"))
    m = text.index("Ani Wijaya")
    s.speaker.mention_start, s.speaker.mention_end = m, m + len("Ani Wijaya")
    meta = Metadata(title="Banyak kata", outlet="Detik", published="2023-06-01")
    return (ExtractedArticle("many-words.txt", text, meta, [s]),
            {"url": "https://news.detik.test/1", "outlet": "Detik", "published": "2023-06-01"})
