"""The pure rendering helpers: highlighting from offsets, control characters, charts."""
from __future__ import annotations

import re
from html.parser import HTMLParser

from kutip.web.render import highlight, show_controls, spread_chart, timeline_chart


class _Marks(HTMLParser):
    """Collects each <mark>'s class and text, and checks the markup nests."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[dict] = []
        self.marks: list[dict] = []
        self.text = ""

    def handle_starttag(self, tag, attrs):
        assert tag == "mark", tag
        m = {"attrs": dict(attrs), "text": ""}
        self.stack.append(m)
        self.marks.append(m)

    def handle_endtag(self, tag):
        assert tag == "mark" and self.stack
        self.stack.pop()

    def handle_data(self, data):
        self.text += data
        for m in self.stack:
            m["text"] += data


def parse(html: str) -> _Marks:
    p = _Marks()
    p.feed(html)
    p.close()
    assert not p.stack, "unclosed <mark>"
    return p


def _st(text, quote, cue=None, mention=None, kind="direct", sid=None):
    s = text.index(quote)
    d = {"kind": kind, "text": quote, "start": s, "end": s + len(quote), "cue": None, "speaker": None}
    if sid is not None:
        d["id"] = sid
    if cue:
        c = text.index(cue)
        d["cue"] = {"text": cue, "start": c, "end": c + len(cue)}
    if mention:
        m = text.index(mention)
        d["speaker"] = {"mention": mention, "mention_start": m, "mention_end": m + len(mention),
                        "name": mention + " Lengkap", "type": "person", "role": None, "affiliation": None}
    return d


def test_highlight_marks_statement_cue_and_speaker_from_offsets():
    text = '"Harga naik <b>tajam</b>," kata Budi & Ani.'
    html = highlight(text, [_st(text, "Harga naik <b>tajam</b>,", cue="kata", mention="Budi", sid=7)])
    p = parse(str(html))
    assert p.text == text  # the whole text, once, unchanged once unescaped
    by_cls = {m["attrs"]["class"].split()[0]: m for m in p.marks}
    assert by_cls["stmt"]["text"] == "Harga naik <b>tajam</b>,"
    assert by_cls["stmt"]["attrs"]["id"] == "s-7"
    assert by_cls["stmt"]["attrs"]["data-kind"] == "direct"
    assert by_cls["cue"]["text"] == "kata"
    assert by_cls["speaker"]["text"] == "Budi"
    assert by_cls["speaker"]["attrs"]["data-speaker"] == "Budi Lengkap"
    assert "<b>" not in str(html) and "&lt;b&gt;" in str(html)


def test_highlight_nests_and_splits_crossing_spans():
    text = "Menurut Budi harga naik hari ini."
    # an indirect statement that (wrongly) overlaps the speaker mention and contains the cue word
    st = {"kind": "indirect", "text": "Budi harga naik", "start": 8, "end": 23, "cue": {"text": "Menurut", "start": 0, "end": 7},
          "speaker": {"mention": "Menurut Budi", "mention_start": 0, "mention_end": 12, "name": "Budi"}}
    st2 = {"kind": "direct", "text": "naik hari", "start": 19, "end": 28, "cue": None, "speaker": None}
    p = parse(str(highlight(text, [st, st2])))
    assert p.text == text
    stmt_text = "".join(m["text"] for m in p.marks if m["attrs"]["data-stmt"] == "1" and "stmt" in m["attrs"]["class"])
    assert stmt_text == "Budi harga naik"
    second = "".join(m["text"] for m in p.marks if m["attrs"]["data-stmt"] == "2")
    assert second == "naik hari"
    assert any("cont" in m["attrs"]["class"] for m in p.marks)


def test_highlight_ignores_bad_offsets_and_merges_shared_spans():
    text = "Kata Ani: ya. Kata Ani: tidak."
    a = _st(text, "ya", mention="Ani", sid=1)
    b = _st(text, "tidak", mention="Ani", sid=2)  # same mention span as a
    bad = {"kind": "direct", "text": "x", "start": 5, "end": 999, "speaker": {"mention_start": -3, "mention_end": 2}}
    p = parse(str(highlight(text, [a, b, bad])))
    speakers = [m for m in p.marks if "speaker" in m["attrs"]["class"]]
    assert len(speakers) == 1 and speakers[0]["attrs"]["data-stmt"] == "1 2"
    assert len([m for m in p.marks if "stmt" in m["attrs"]["class"]]) == 2


def test_control_characters_become_visible_one_for_one():
    raw = "a\x00b\x07c\x1bd\x7fe\tf\ng\ud800"
    shown = show_controls(raw)
    assert len(shown) == len(raw)
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f]", shown)
    assert "\t" in shown and "\n" in shown and "\ufffd" in shown
    html = str(highlight(raw, [{"kind": "direct", "text": "b\x07c", "start": 2, "end": 5}]))
    assert "\x07" not in html and "\u2407" in html


def test_hostile_attribute_values_are_escaped():
    text = 'X berkata "halo".'
    st = _st(text, "halo", mention="X")
    st["kind"] = '"><script>alert(1)</script>'
    st["speaker"]["name"] = '"><img src=x onerror=alert(1)>'
    html = str(highlight(text, [st]))
    assert "<script" not in html and "<img" not in html
    assert 'class="stmt k-other"' in html  # an unknown kind cannot inject a class


def test_timeline_chart_bins_by_day_month_or_year():
    days = timeline_chart([{"date": "2023-01-01", "count": 2}, {"date": "2023-01-10", "count": 1}])
    assert days["unit"] == "day" and len(days["bars"]) == 10 and days["total"] == 3
    assert max(b["h"] for b in days["bars"]) == days["plot_h"]
    months = timeline_chart([{"date": "2022-01-05", "count": 1}, {"date": "2023-06-30", "count": 4},
                             {"date": "--10-26", "count": 9}, {"date": None, "count": 1}])
    assert months["unit"] == "month" and len(months["bars"]) == 18 and months["total"] == 5
    years = timeline_chart([{"date": "2001-02-03", "count": 1}, {"date": "2020-02-03", "count": 1}])
    assert years["unit"] == "year" and len(years["bars"]) == 20
    assert timeline_chart([]) is None and timeline_chart([{"date": "bukan tanggal", "count": 1}]) is None
    one = timeline_chart([{"date": "2023-05-05", "count": 1}])
    assert len(one["bars"]) == 3 and [b["count"] for b in one["bars"]] == [0, 1, 0]


def test_spread_chart_rows_per_outlet():
    ch = spread_chart([{"outlet": "ANTARA", "date": "2023-01-18"}, {"outlet": "Kompas", "date": "2023-03-02"},
                       {"outlet": "ANTARA", "date": "2023-01-19"}, {"outlet": "X", "date": None}])
    assert [l["text"] for l in ch["labels"]] == ["ANTARA", "Kompas"] and len(ch["dots"]) == 3
