"""kutip.tagger.tokenizer (frozen, pure Python) tokenises exactly as spaCy's blank("id")
tokenizer + sentencizer: token for token (text and offset, whitespace tokens included),
sentence start for sentence start, and through ``Tagger.tokenize``."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import pytest

from kutip.tagger import DEFAULT_MODEL_DIR, Tagger
from kutip.tagger.tokenizer import TOKENIZER_FILE, FrozenTokenizer, load_tokenizer

spacy = pytest.importorskip("spacy")

pytestmark = pytest.mark.skipif(not (DEFAULT_MODEL_DIR / TOKENIZER_FILE).exists(),
                                reason="no frozen tokenizer shipped with the model")

# written for these tests: every kind of token the Indonesian tokenizer treats specially
SENTENCES = [
    # hyphenated and reduplicated words, -nya / -ku / -mu
    "Anak-anak bermain di halaman, sementara ibu-ibu memasak sayur-mayur.",
    "Rumahnya rusak; mobil-mobilnya hanyut. Kata-katanya-nya? Bukumu-ku.",
    "Pasca-banjir, warga bergotong-royong membersihkan lumpur (anak-anak ikut).",
    "Ia datang ke kantor-nya-Mu, lalu ke rumah-Ku—katanya—tanpa izin.",
    # abbreviations and titles
    "Jl. Pahlawan No. 12, Kel. Sukamaju, Kec. Cibeunying, Kab. Bandung.",
    "Menurut dr. Andi Sp.PD dan Prof. Dr. Ir. Budi, M.Sc., kondisi pasien stabil.",
    "Penelitian Hasan dkk. (2020) serta Sari et al. menunjukkan hal yang sama, dll.",
    "Dr. rer. nat. Siti dan Dr. med. Yusuf hadir; a.n. Direktur, u.p. Kepala Bagian.",
    "Sdr. Agus, Bpk. Harun, Yth. Ibu Rina: mohon hadir pk. 09.00 s.d. selesai.",
    "PT. Maju Jaya Tbk. dan CV. Sentosa bekerja sama dgn. Pemkot Jakarta Utara.",
    # URLs and e-mail addresses
    "Baca selengkapnya di https://www.kompas.com/read/2021/04/12/banjir-semarang?page=2.",
    "Kirim surel ke redaksi@detik.com atau humas.pemkot@semarangkota.go.id, ya.",
    "Situs www.bmkg.go.id (diakses 3/1) dan http://192.168.1.1:8080/admin ditutup.",
    "Tautan: kompas.id/baca/nusantara/2022/01/01/abc-def-ghi/ [arsip].",
    # numbers, money, dates, times, percentages, units
    "Anggaran Rp8,5-Rp9 triliun disetujui; sisanya Rp 250.000,00 per orang.",
    "Gempa M 5,6 terjadi pukul 23.30 WIB, Senin (1/2/2019), di kedalaman 10 km.",
    "Inflasi naik 3,5% menjadi 4,2 persen; harga beras Rp12.000/kg dan US$1,2 juta.",
    "Suhu 32°C. Jarak 2,5km, luas 100m², kecepatan 60km/jam, 1,5-2 meter, 10x lipat.",
    "Skor 2-1 (babak I 1-0); peringkat ke-3, ke-10, tahun 1990-an, 2020/2021.",
    "Nomor HP 0812-3456-7890, NIK 3374xxxxxxxx, pukul 07:15, 24/7, 50:50.",
    # quotation marks of every kind
    "“Kami siap,” kata Budi. ”Tidak ada masalah,” ujarnya lagi.",
    "\"Ini bukan soal uang,\" tegasnya. 'Kami tetap bertahan,' kata warga.",
    "‘Ya’ atau ‘tidak’? „Bisa jadi“, jawabnya, ‹entah› «nanti» kita lihat.",
    "Ia berkata, \"'Jangan pergi,' katanya padaku.\" Lalu ”ia pergi”.",
    "Istilah ''cawe-cawe'' dan ``blusukan'' populer; ’’kerja, kerja’’ juga.",
    # brackets, ellipses, dashes, other punctuation
    "Pemerintah (melalui Kemenkes) [lihat tabel] {catatan} menunda... lalu…",
    "Tunggu.... Apa?! Sungguh?!! Tidak!!! Ya?? Hmm…..",
    "Daftar: (1) beras; (2) gula; (3) minyak -- semuanya naik — kecuali telur – katanya.",
    "Ia bertanya: 'mengapa?' ; lalu / atau \\ bahkan | tanda & lain-lain * # @ ~ ^",
    # emoji, symbols, emoticons
    "Warganet bereaksi 😀😂🙏🏽 dan ❤️ di media sosial :) :-( ;) <3 xD ^_^",
    "Harga naik ⬆️ 10%, turun ⬇️; ☺ ok 👍👍👍.",
    # Kompas openers and datelines
    "JAKARTA, KOMPAS — Presiden Joko Widodo meresmikan jalan tol.",
    "SEMARANG, KOMPAS.com - Banjir merendam 20 kelurahan.",
    "”Kami tidak ingin ada kerumunan,” kata Kepala Dinas Kota Medan Sutrisno Hadi di Medan, Senin (12/4/2021).",
    "KOMPAS.com — ”Saya tidak tahu,” ujar dia.\n\n”Sudah,” katanya.",
    # whitespace: line breaks, tabs, double spaces, no-break spaces, leading/trailing
    "Judul Berita\nParagraf pertama tanpa titik\n\nParagraf kedua.  Dua spasi.\tTab.",
    "  Spasi di awal dan akhir.  \n",
    "Rp\u00a01.000\u00a0per\u2009orang\u200bnol\u3000lebar",
    "\n\n\nBaris\r\nWindows\rMac\x0bvt\x0cff\x1cfs\x85nel\u2028ls\u2029ps",
    # capital letters, acronyms, mixed scripts
    "BMKG, BNPB, KPK, dan DPR RI menggelar rapat; COVID-19 & SARS-CoV-2 dibahas.",
    "Pembicara: Muhammad bin Salman, Xi Jinping (习近平), Владимир, Ελλάδα, العربية.",
    "Halo!Apa kabar?Baik.Terima kasih.ok",
    "",
    " ",
    ".",
    "...",
    "”",
]

# pieces the random texts are made of: special cases, affixes and their neighbours
FRAGMENTS = [
    "Jl.", "dr.", "dkk.", "Dr.", "rer.", "nat.", "Prof.", "No.", "a.n.", "s.d.", "dll.", "Tbk.", "°C.", "’’",
    "anak-anak", "ibu-ibu", "-nya", "-Nya", "-ku", "-mu", "-Ku", "ke-3", "Rp", "Rp8,5", "US$", "triliun",
    "23.30", "1/2/2019", "3,5%", "km", "10km", "m²", "https://", "http://", "www.", ".com", ".go.id", "@",
    "budi@example.co.id", ":)", ":-(", ";)", "<3", "^_^", "(", ")", "[", "]", "{", "}", "“", "”", "\"", "'",
    "‘", "’", "„", "«", "»", "...", "…", "—", "–", "-", "--", ",", ".", "!", "?", ";", ":", "/", "\\",
    "😀", "🙏🏽", "❤️", "KOMPAS", "JAKARTA", "kata", "ujarnya", " ", " ", " ", "  ", "\n", "\n\n", "\t",
    "\u00a0", "o", "A", "x", "1", "0", "2,5", "e", "E", "Go", "On",
]


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("id")
    nlp.add_pipe("sentencizer")
    return nlp


@pytest.fixture(scope="module")
def frozen() -> FrozenTokenizer:
    return load_tokenizer(DEFAULT_MODEL_DIR)


@pytest.fixture(scope="module")
def spacy_tagger() -> Tagger:
    return Tagger(DEFAULT_MODEL_DIR, spacy_tokenizer=True)   # spaCy tokenises, as for a model without tokenizer.json


def assert_same(nlp, frozen: FrozenTokenizer, spacy_tagger: Tagger, text: str) -> None:
    doc = nlp(text)
    want = [(t.text, t.idx) for t in doc]
    got = frozen.tokens(text)
    assert got == want, text
    assert frozen.sent_starts(got) == [bool(t.is_sent_start) for t in doc], text
    assert frozen.sentences(text) == spacy_tagger.tokenize(text), text


@pytest.mark.parametrize("text", SENTENCES)
def test_written_sentences(nlp, frozen, spacy_tagger, text):
    assert_same(nlp, frozen, spacy_tagger, text)


def test_written_sentences_as_one_article(nlp, frozen, spacy_tagger):
    for sep in (" ", "\n", "\n\n"):
        assert_same(nlp, frozen, spacy_tagger, sep.join(SENTENCES))


def test_tagger_uses_the_frozen_tokenizer(frozen):
    t = Tagger(DEFAULT_MODEL_DIR)
    assert t._frozen_tokenizer() is frozen
    assert t.tokenize(SENTENCES[0]) == frozen.sentences(SENTENCES[0])


# -- generated texts ------------------------------------------------------------------
hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

_ALPHABET = st.characters(codec="utf-8", exclude_categories=("Cs",))
_TOKENISH = st.one_of(st.sampled_from(FRAGMENTS), st.text(_ALPHABET, min_size=1, max_size=6),
                      st.text("aiuenkgrsbmtAIKS0123456789.,-/'\"”“()%", min_size=1, max_size=8))
_SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@_SETTINGS
@given(st.lists(_TOKENISH, max_size=30).map("".join))
def test_generated_fragment_strings(nlp, frozen, spacy_tagger, text):
    assert_same(nlp, frozen, spacy_tagger, text)


@_SETTINGS
@given(st.lists(st.tuples(_TOKENISH, st.sampled_from(["", " ", " ", "  ", "\n", "\n\n", "\t", "\u00a0"])),
                max_size=25).map(lambda xs: "".join(a + b for a, b in xs)))
def test_generated_spaced_strings(nlp, frozen, spacy_tagger, text):
    assert_same(nlp, frozen, spacy_tagger, text)


@_SETTINGS
@given(st.text(_ALPHABET, max_size=60))
def test_generated_unicode_strings(nlp, frozen, spacy_tagger, text):
    assert_same(nlp, frozen, spacy_tagger, text)


# -- the frozen data --------------------------------------------------------------------
def test_frozen_code_equals_a_fresh_compile():
    """The compiled regex code shipped in tokenizer.json (used only by the interpreter
    that wrote it) is what ``re.compile`` gives; without it the patterns are compiled."""
    data = json.loads((DEFAULT_MODEL_DIR / TOKENIZER_FILE).read_text(encoding="utf-8"))
    bare = dict(data)
    bare.pop("re_compiled")
    for tok in (FrozenTokenizer(data), FrozenTokenizer(bare)):
        assert tok._prefix_search.__self__ == re.compile(data["prefix"])  # Pattern == compares code
        assert tok._suffix_search.__self__ == re.compile(data["suffix"])
        assert tok._infix_finditer.__self__ == re.compile(data["infix"])
        assert tok._url_match.__self__ == re.compile(data["url_match"])
    text = " ".join(SENTENCES)
    assert FrozenTokenizer(bare).tokens(text) == FrozenTokenizer(data).tokens(text)
    # compiled code written by another interpreter is not used
    other = dict(data, re_compiled=dict(data["re_compiled"], key="cpython-0.0.0-0-0"))
    assert FrozenTokenizer(other).tokens(text) == FrozenTokenizer(data).tokens(text)


def test_shipped_file_matches_installed_spacy():
    """tokenizer.json is what ``freeze`` writes from the installed spaCy today; if this
    fails after a spaCy upgrade, run scripts/freeze_tokenizer.py."""
    from kutip.tagger.tokenizer import frozen_data

    shipped = json.loads((DEFAULT_MODEL_DIR / TOKENIZER_FILE).read_text(encoding="utf-8"))
    now = json.loads(json.dumps(frozen_data("id")))
    for d in (shipped, now):
        d.pop("spacy")
        if d["re_compiled"] is None or shipped.get("re_compiled", {}).get("key") != now["re_compiled"]["key"]:
            d.pop("re_compiled")
    assert shipped == now


def test_model_without_frozen_file_falls_back_to_spacy(tmp_path, frozen):
    for p in DEFAULT_MODEL_DIR.iterdir():
        if p.name != TOKENIZER_FILE:
            shutil.copy(p, tmp_path / p.name)
    t = Tagger(tmp_path)
    assert t._frozen_tokenizer() is None
    text = " ".join(SENTENCES[:10])
    assert t.tokenize(text) == frozen.sentences(text)
    assert t._nlp is not None


def test_extract_with_the_model_imports_no_spacy():
    code = ("import sys, kutip; from kutip.tagger import load_default_model; "
            "r = kutip.extract(sys.argv[1]); assert load_default_model() is not None; "
            "load_default_model().tag_text(sys.argv[1]); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('spacy', 'thinc')))")
    text = ("JAKARTA, KOMPAS — Menteri Keuangan Sri Mulyani Indrawati mengatakan defisit aman.\n\n"
            "”Kami tetap hati-hati,” kata Sri Mulyani di Jakarta, Senin (12/4/2021).\n")
    out = subprocess.run([sys.executable, "-c", code, text], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_trained_model_gets_a_frozen_tokenizer(tagger_tiny_model):
    assert (tagger_tiny_model / TOKENIZER_FILE).exists()
    tok = Tagger(tagger_tiny_model)._frozen_tokenizer()
    assert tok is not None
    assert tok.sentences(SENTENCES[0]) == load_tokenizer(DEFAULT_MODEL_DIR).sentences(SENTENCES[0])
