"""A small grammar of Indonesian-news-like articles, and mutations of them, as Hypothesis strategies.

Used by the property tests (tests/reliability/test_properties.py) and the fuzzer
(fuzz/fuzz_extract.py, which also uses ``render`` to turn fuzz bytes into articles).
The grammar covers what the extractor keys on: quotation marks of every style (“ ” " « » „ ‘ ’,
Kompas-style ” … ”), cues before and after the quote ('kata', 'ujarnya', 'ujar X', 'menurut X'),
names with roles, datelines ('JAKARTA, KOMPAS.com -'), 'Baca juga:' links, bylines; the
mutations break it the way scraped text breaks: stray or missing quote marks, control and
zero-width characters, random Unicode, HTML tags, truncation.
"""
from __future__ import annotations

import random

from hypothesis import strategies as st

NAMES = ["Sri Mulyani", "Joko Widodo", "Budi Santoso", "Rina Wulandari", "Retno Marsudi", "Prabowo Subianto",
         "Anies Baswedan", "Ganjar Pranowo", "Siti Nurbaya", "Mahfud MD", "Basuki Hadimuljono", "Agus", "Dewi",
         "Muhammad Iqbal", "I Wayan Koster", "Khofifah Indar Parawansa", "Erick Thohir", "Luhut Binsar Pandjaitan"]
ROLES = ["Menteri Keuangan", "Presiden", "Kepala BNPB", "Gubernur Jawa Tengah", "Juru bicara Polda Metro Jaya",
         "Ketua KPK", "Wakil Ketua DPR", "Direktur Utama PT Pertamina", "Kapolres Semarang", "pengamat ekonomi",
         "warga setempat", "Sekretaris Jenderal PBB", "Menteri Luar Negeri"]
ORGS = ["Kementerian Keuangan", "BMKG", "Polri", "KPK", "Istana", "Bank Indonesia", "DPR"]
PRONOUNS = ["ia", "dia", "beliau"]
CUES_AFTER = ["kata", "ujar", "tutur", "ungkap", "jelas", "tegas", "imbuh", "lanjut", "terang", "sebut"]
CUES_NYA = ["katanya", "ujarnya", "tuturnya", "ungkapnya", "jelasnya", "tegasnya", "imbuhnya", "pungkasnya"]
CUES_BEFORE = ["mengatakan", "menyatakan", "menegaskan", "menjelaskan", "mengungkapkan", "menuturkan", "menambahkan"]
QUOTES = [("“", "”"), ('"', '"'), ("«", "»"), ("”", "”"), ("„", "”"), ("‘", "’"), ("“", '"'), ("'", "'")]
DATELINES = ["JAKARTA, KOMPAS.com -", "SEMARANG, KOMPAS.com –", "Jakarta (ANTARA) -", "BANDUNG, detikNews -",
             "SURABAYA, Tempo.co -", "London (ANTARA) -", "MAKASSAR -", "Liputan6.com, Jakarta -"]
WORDS = ("pemerintah akan terus menjaga pertumbuhan ekonomi nasional agar tetap stabil di tengah tekanan global "
         "harga beras naik menjelang Ramadhan banjir merendam ribuan rumah warga sejak Senin malam kami sudah "
         "menyiapkan bantuan untuk para korban dan pengungsi proses hukum harus berjalan sesuai aturan yang berlaku "
         "tidak ada yang kebal hukum di negeri ini inflasi masih terkendali dalam kisaran sasaran anggaran negara "
         "defisit tiga persen produk domestik bruto investasi asing meningkat tajam tahun ini kita harus bekerja "
         "keras untuk rakyat Indonesia jalan tol baru akan dibuka pada akhir bulan depan").split()
DATES = ["Senin (5/3/2024)", "Rabu (18/1)", "kemarin", "pada Selasa", "Jumat (12/5/2023) malam", "hari ini",
         "pekan lalu", "1 Januari 2024"]
PLACES = ["di Jakarta", "di Istana Merdeka", "di Gedung DPR", "saat ditemui wartawan", "dalam konferensi pers",
          "di Semarang", "melalui keterangan tertulis"]
HTML_TAGS = ["<b>", "</b>", "<p>", "</p>", "<br>", "<i>", "</i>", "<div>", "</div>", "<a href=\"/x\">", "</a>",
             "<script>var x = \"”\";</script>", "<!-- komentar -->", "&nbsp;", "&quot;", "&#8220;", "<span>", "</span>"]
CONTROL = [chr(c) for c in (*range(0, 9), 11, 12, *range(14, 32), 127, 0x85, 0x9f)]
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u200e", "\u200f", "\u202e", "\u2028", "\u2029"]
SPACES = [" ", "\t", "\u00a0", "\u2009", "\u3000", "\n", "\r\n", "\r", "\n\n"]

# --- the grammar -----------------------------------------------------------------------------

clause = st.lists(st.sampled_from(WORDS), min_size=1, max_size=18).map(" ".join)
name = st.sampled_from(NAMES)
speaker = st.one_of(name, st.builds(lambda r, n: f"{r} {n}", st.sampled_from(ROLES), name),
                    st.sampled_from(ORGS), st.sampled_from(PRONOUNS))
quotes = st.sampled_from(QUOTES)
tail = st.one_of(st.just(""), st.sampled_from(PLACES).map(lambda p: " " + p),
                 st.sampled_from(DATES).map(lambda d: " " + d))


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


@st.composite
def sentence(draw) -> str:
    o, c = draw(quotes)
    body = _cap(draw(clause))
    who = draw(speaker)
    form = draw(st.integers(0, 9))
    end = draw(tail)
    if form == 0:  # “Body,” kata X.
        return f"{o}{body},{c} {draw(st.sampled_from(CUES_AFTER))} {who}{end}."
    if form == 1:  # “Body,” ujarnya.
        return f"{o}{body},{c} {draw(st.sampled_from(CUES_NYA))}{end}."
    if form == 2:  # X mengatakan, “Body.”
        return f"{_cap(who)} {draw(st.sampled_from(CUES_BEFORE))}{end}, {o}{body}.{c}"
    if form == 3:  # X mengatakan bahwa body.
        return f"{_cap(who)} {draw(st.sampled_from(CUES_BEFORE))} bahwa {draw(clause)}{end}."
    if form == 4:  # Menurut X, body.
        return f"Menurut {who}, {draw(clause)}."
    if form == 5:  # a quote over two sentences
        return f"{o}{body}. {_cap(draw(clause))},{c} {draw(st.sampled_from(CUES_AFTER))} {who}."
    if form == 6:  # mixed: reported clause with a quoted fragment
        return f"{_cap(who)} {draw(st.sampled_from(CUES_BEFORE))} {draw(clause)} {o}{draw(clause)}{c}{end}."
    if form == 7:
        return f"Baca juga: {_cap(draw(clause))}"
    if form == 8:  # narration
        return _cap(draw(clause)) + "."
    return f"{o}{body}{c}"  # a bare quote, no cue


@st.composite
def paragraph(draw) -> str:
    return " ".join(draw(st.lists(sentence(), min_size=1, max_size=3)))


@st.composite
def plain_article(draw) -> str:
    paras = draw(st.lists(paragraph(), min_size=1, max_size=6))
    if draw(st.booleans()):
        paras[0] = f"{draw(st.sampled_from(DATELINES))} {paras[0]}"
    if draw(st.booleans()):
        paras.append(draw(st.sampled_from(["Penulis: Rina Wulandari", "Editor: Budi Santoso",
                                           "(ANT/Yuni Arisandy Sinaga)", "Copyright 2024 KOMPAS.com",
                                           "Baca juga: Harga beras naik"])))
    sep = draw(st.sampled_from(["\n\n", "\n", "\r\n\r\n", "\n \n"]))
    return sep.join(paras)


@st.composite
def html_article(draw) -> str:
    paras = draw(st.lists(paragraph(), min_size=1, max_size=6))
    if draw(st.booleans()):
        paras[0] = f"{draw(st.sampled_from(DATELINES))} {paras[0]}"
    esc = (lambda s: s.replace("&", "&amp;").replace("<", "&lt;")) if draw(st.booleans()) else (lambda s: s)
    body = "".join(f"<p>{esc(p)}</p>\n" for p in paras)
    title = _cap(draw(clause))
    shell = draw(st.integers(0, 2))
    if shell == 0:
        return (f"<!DOCTYPE html><html lang=\"id\"><head><meta charset=\"utf-8\"><title>{title}</title></head>"
                f"<body><nav><a href=\"/\">Beranda</a></nav><article><h1>{title}</h1>{body}</article>"
                f"<footer>Copyright 2024</footer></body></html>")
    if shell == 1:
        return f"<html><body><div class=\"content\">{body}</div></body></html>"
    return body  # a bare fragment


# --- mutations -------------------------------------------------------------------------------

@st.composite
def mutated(draw, base) -> str:
    """``base`` with 0..8 random edits."""
    text = draw(base)
    for _ in range(draw(st.integers(0, 8))):
        op = draw(st.integers(0, 8))
        pos = draw(st.integers(0, len(text)))
        if op == 0:
            ins = draw(st.sampled_from([q for pair in QUOTES for q in pair] + ["»", "‹", "›", "「", "」"]))
        elif op == 1:
            n = draw(st.integers(1, 5))
            text = text[:pos] + text[pos + n:]
            continue
        elif op == 2:
            ins = draw(st.sampled_from(CONTROL))
        elif op == 3:
            ins = draw(st.sampled_from(ZERO_WIDTH))
        elif op == 4:
            ins = draw(st.text(min_size=1, max_size=4))  # any Unicode, surrogates excluded
        elif op == 5:
            ins = draw(st.sampled_from(HTML_TAGS))
        elif op == 6:
            text = text[:pos]  # truncation
            continue
        elif op == 7:
            ins = draw(st.sampled_from(SPACES))
        else:  # duplicate a slice
            n = draw(st.integers(1, 40))
            ins = text[pos:pos + n]
        text = text[:pos] + ins + text[pos:]
    return text


plain_inputs = st.one_of(plain_article(), mutated(plain_article()))
html_inputs = st.one_of(html_article(), mutated(html_article()))
any_inputs = st.one_of(plain_inputs, html_inputs, st.text(max_size=300))


# --- fixed articles without Hypothesis (the fuzzer's seeds, the hash-seed test) ----------------

def render(seed: int) -> str:
    """One article from the grammar, chosen by ``seed`` alone (the same in every process)."""
    rng = random.Random(seed)
    out = []
    for _ in range(rng.randint(1, 5)):
        o, c = rng.choice(QUOTES)
        body = _cap(" ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 15))))
        who = rng.choice([rng.choice(NAMES), f"{rng.choice(ROLES)} {rng.choice(NAMES)}", rng.choice(ORGS)])
        form = rng.randint(0, 4)
        if form == 0:
            out.append(f"{o}{body},{c} {rng.choice(CUES_AFTER)} {who} {rng.choice(PLACES)}, {rng.choice(DATES)}.")
        elif form == 1:
            out.append(f"{o}{body},{c} {rng.choice(CUES_NYA)}.")
        elif form == 2:
            out.append(f"{who} {rng.choice(CUES_BEFORE)}, {o}{body}.{c}")
        elif form == 3:
            out.append(f"{who} {rng.choice(CUES_BEFORE)} bahwa {body.lower()}.")
        else:
            out.append(f"Baca juga: {body}")
    out[0] = f"{rng.choice(DATELINES)} {out[0]}"
    return "\n\n".join(out)
