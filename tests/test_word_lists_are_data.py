"""Word lists are data: the rule engine, the linker and the tagger's features test words that
live in lexicon files (``core/lexicons``) or in the model's frozen vocabulary, not in word sets
written into the code. Read from the source with ``ast``: a literal collection of two or more
strings that are words of the lexicons is a word list in code, and fails."""
import ast
import json
from pathlib import Path

from kutip.core import lexicons

SRC = Path(__file__).resolve().parent.parent / "src" / "kutip"
CHECKED = [SRC / "core", SRC / "link", SRC / "tagger" / "features.py"]


def _lexicon_words() -> set[str]:
    folder = Path(lexicons.__file__).parent
    words: set[str] = set()
    for p in folder.glob("*.txt"):
        words |= lexicons.lowered(p.stem)
    for p in folder.glob("*.json"):
        def walk(x):
            if isinstance(x, str):
                words.add(x.casefold())
            elif isinstance(x, list):
                for y in x:
                    walk(y)
            elif isinstance(x, dict):
                for k, y in x.items():
                    if not k.startswith("_"):
                        walk(y)
        walk(json.loads(p.read_text(encoding="utf-8")))
    return {w for w in words if w.isalpha() and len(w) >= 2}


def _files():
    for c in CHECKED:
        yield from ([c] if c.is_file() else sorted(c.rglob("*.py")))


def test_no_word_list_in_code():
    words = _lexicon_words()
    assert {"dan", "menurut", "presiden"} <= words          # the check reads the lexicons
    found = []
    for path in _files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.Set, ast.Tuple, ast.List)):
                vals = [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
                hits = [v for v in vals if v.casefold() in words]
                if len(hits) >= 2:
                    found.append(f"{path.relative_to(SRC)}:{node.lineno}: {hits}")
    assert not found, "word lists in code (move them to a lexicon file):\n" + "\n".join(found)


def test_the_check_finds_a_word_list(tmp_path):
    words = _lexicon_words()
    tree = ast.parse('if w in ("dan", "atau", "serta"):\n    pass\n')
    sets = [n for n in ast.walk(tree) if isinstance(n, ast.Tuple)]
    assert sum(e.value in words for e in sets[0].elts) == 3
