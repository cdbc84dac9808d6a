"""Read gold folders, prediction folders and article folders into scoring cases.

Every problem is a :class:`KutipInputError` naming the file and what to fix, so the CLI
prints one line instead of a traceback. The figures come from
:func:`kutip.evaluation.statements.score_corpus`, which does no I/O.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from kutip.core.errors import KutipInputError

ARTICLE_SUFFIXES = (".txt", ".html", ".htm")


@dataclass
class GoldFile:
    name: str  # the file's stem: NAME of NAME.json
    path: Path
    gold: dict


@dataclass
class Case:
    name: str
    gold: dict
    pred: Optional[dict]
    text: Optional[str]  # the text the offsets index into; None for an HTML page with no prediction

    def as_tuple(self) -> tuple[str, dict, Optional[dict], str]:
        return self.name, self.gold, self.pred, self.text or ""


def _read_json(path: Path, what: str) -> object:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise KutipInputError(f"{path}: cannot read the {what} ({exc.strerror or exc})") from None
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise KutipInputError(f"{path}: the {what} is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise KutipInputError(f"{path}: the {what} is not valid JSON (line {exc.lineno}, column {exc.colno}: "
                              f"{exc.msg})") from None


def _is_str_list(v: object) -> bool:
    return isinstance(v, list) and all(isinstance(x, str) for x in v)


def validate_gold(gold: object, path: Path) -> dict:
    """Check a gold file's shape; the message names the file, the statement and the field."""
    if not isinstance(gold, dict):
        raise KutipInputError(f"{path}: a gold file is a JSON object with a \"statements\" list")
    if not isinstance(gold.get("statements"), list):
        raise KutipInputError(f"{path}: no \"statements\" list (write \"statements\": [] for an article without any)")
    for key in ("optional", "not_statements"):
        if gold.get(key) is not None and not _is_str_list(gold[key]):
            raise KutipInputError(f"{path}: \"{key}\" must be a list of texts copied from the article")
    if gold.get("article") is not None and not isinstance(gold["article"], str):
        raise KutipInputError(f"{path}: \"article\" must be the article's file name")
    for n, s in enumerate(gold["statements"], 1):
        where = f"{path}: statement {n}"
        if not isinstance(s, dict):
            raise KutipInputError(f"{where} is not a JSON object")
        for key in ("text", "start", "end", "speaker"):
            if key not in s:
                raise KutipInputError(f"{where} has no \"{key}\"")
        if not isinstance(s["text"], str):
            raise KutipInputError(f"{where}: \"text\" must be a string")
        if not (type(s["start"]) is int and type(s["end"]) is int and 0 <= s["start"] <= s["end"]):
            raise KutipInputError(f"{where}: \"start\" and \"end\" must be character offsets, start <= end")
        if s["speaker"] is not None and not isinstance(s["speaker"], str):
            raise KutipInputError(f"{where}: \"speaker\" must be the speaker's name (a string) or null")
        if s.get("speaker_aliases") is not None and not _is_str_list(s["speaker_aliases"]):
            raise KutipInputError(f"{where}: \"speaker_aliases\" must be a list of names")
        if s.get("affiliation") is not None and not _is_str_list(s["affiliation"]):
            raise KutipInputError(f"{where}: \"affiliation\" must be a list of accepted forms, "
                                  "e.g. [\"Dewan Perwakilan Rakyat (DPR)\", \"DPR\"]")
        for key in ("role", "date"):
            if s.get(key) is not None and not isinstance(s[key], str):
                raise KutipInputError(f"{where}: \"{key}\" must be a string or null")
    return gold


def check_offsets(gf: GoldFile, text: str) -> None:
    """Each gold statement's text must be the article text at its offsets."""
    for n, s in enumerate(gf.gold["statements"], 1):
        found = text[s["start"]:s["end"]]
        if found != s["text"]:
            hint = ""
            i = text.find(s["text"])
            if i >= 0:
                hint = f"; the text is at {i}:{i + len(s['text'])}"
            raise KutipInputError(f"{gf.path}: statement {n} ({s['text'][:40]!r}) is not at {s['start']}:{s['end']} "
                                  f"of the article (found {found[:40]!r}){hint}")


def load_gold_dir(gold_dir: Path) -> list[GoldFile]:
    """The NAME.json gold files of a folder, sorted by file name, each checked."""
    gold_dir = Path(gold_dir)
    if not gold_dir.is_dir():
        what = "is not a folder" if gold_dir.exists() else "does not exist"
        raise KutipInputError(f"{gold_dir}: gold folder {what}; --statements takes a folder of NAME.json gold files")
    files = sorted(p for p in gold_dir.iterdir() if p.name.endswith(".json") and p.is_file())
    if not files:
        raise KutipInputError(f"{gold_dir}: no NAME.json gold files in this folder")
    return [GoldFile(p.name[:-5], p, validate_gold(_read_json(p, "gold file"), p)) for p in files]


def article_path(gf: GoldFile, articles_dir: Path) -> Path:
    """The gold's "article" file in articles_dir, else NAME.txt / NAME.html / NAME.htm."""
    if gf.gold.get("article"):
        p = articles_dir / gf.gold["article"]
        if p.is_file():
            return p
        raise KutipInputError(f"{gf.path}: its article {gf.gold['article']!r} is not in {articles_dir} "
                              "(give the articles' folder with --articles)")
    for suffix in ARTICLE_SUFFIXES:
        p = articles_dir / (gf.name + suffix)
        if p.is_file():
            return p
    raise KutipInputError(f"{gf.path}: no article {gf.name}.txt or {gf.name}.html in {articles_dir} "
                          "(give the articles' folder with --articles, or name the file in the gold's \"article\")")


def default_articles_dir(gold_dir: Path) -> Path:
    """Where articles are when --articles is not given: the gold folder's parent."""
    return Path(os.path.dirname(os.path.abspath(str(gold_dir).rstrip("/"))))


def _check_dir(path: Path, what: str) -> None:
    if not path.is_dir():
        raise KutipInputError(f"{path}: {what} folder {'is not a folder' if path.exists() else 'does not exist'}")


def _text_for(gf: GoldFile, doc, pred: Optional[dict], pred_path: Optional[Path]) -> Optional[str]:
    """The scoring text: the article for plain text; the prediction's text for an HTML page."""
    ptext = pred.get("text") if isinstance(pred, dict) else None
    if doc.is_html:
        if pred and not isinstance(ptext, str):
            raise KutipInputError(f"{pred_path}: {doc.source} is HTML, so the prediction must carry the "
                                  "extracted \"text\" the gold offsets index into")
        return ptext
    if pred and ptext is not None and ptext != doc.content:
        raise KutipInputError(f"{pred_path or gf.name}: the prediction's text differs from the article "
                              f"{doc.source}; offsets cannot be trusted (extract the same file again)")
    return doc.content


def load_cases(gold_dir: Path, *, pred_dir: Optional[Path] = None, articles_dir: Optional[Path] = None,
               extract: Optional[Callable[[object], dict]] = None,
               on_article: Optional[Callable[[str, int, int], None]] = None) -> list[Case]:
    """Gold, prediction and article text per gold file.

    With ``pred_dir``, the prediction of NAME.json is PRED_DIR/NAME.json (missing: nothing
    found). Without it, ``extract(document)`` makes the prediction (a contract dict) from
    each article, a :class:`kutip.sources.files.Document`. Articles are looked up in
    ``articles_dir`` (default: the gold folder's parent). ``on_article(name, k, n)`` is
    called after each of the n articles (progress).
    """
    from kutip.sources.files import read_document

    if pred_dir is None and extract is None:
        raise ValueError("load_cases needs pred_dir or extract")
    golds = load_gold_dir(gold_dir)
    articles_dir = Path(articles_dir) if articles_dir is not None else default_articles_dir(gold_dir)
    _check_dir(articles_dir, "articles")
    if pred_dir is not None:
        _check_dir(Path(pred_dir), "prediction")
    cases = []
    for k, gf in enumerate(golds, 1):
        doc = read_document(article_path(gf, articles_dir))
        pred_path = None
        if pred_dir is not None:
            pred_path = Path(pred_dir) / (gf.name + ".json")
            pred = _read_json(pred_path, "prediction") if pred_path.is_file() else None
            if pred is not None and not isinstance(pred, dict):
                raise KutipInputError(f"{pred_path}: a prediction is the JSON object `kutip extract --format json` "
                                      "writes for one article")
            if isinstance(pred, dict):
                stmts = pred.get("statements") or []
                if not isinstance(stmts, list) or not all(isinstance(x, dict) for x in stmts):
                    raise KutipInputError(f"{pred_path}: \"statements\" must be a list of statement objects")
        else:
            pred = extract(doc)
        text = _text_for(gf, doc, pred, pred_path)
        if text is not None:
            check_offsets(gf, text)
        cases.append(Case(gf.name, gf.gold, pred, text))
        if on_article is not None:
            on_article(gf.name, k, len(golds))
    return cases
