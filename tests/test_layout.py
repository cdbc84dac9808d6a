"""Imports point down: the pure core imports nothing above it, and the layers above import only
layers below them (read from the source with ``ast``, so a new import that breaks the rule fails)."""
import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "kutip"

# each layer and the kutip packages it may import (besides itself)
ALLOWED = {
    "core": set(),
    "tagger": {"core"},
    "sources": {"core"},
    "evaluation": {"core", "sources"},
    "link": {"core"},
}
# a package's ``commands.py`` is its CLI wiring, an interface: it may call any layer


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "kutip" and len(parts) > 1:
                out.add(parts[1])
    return out


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_layer_imports_only_layers_below(layer):
    bad = {}
    for path in (SRC / layer).rglob("*.py"):
        if path.name == "commands.py":
            continue
        wrong = _imports(path) - ALLOWED[layer] - {layer}
        if wrong:
            bad[str(path.relative_to(SRC))] = sorted(wrong)
    assert not bad, f"{layer} imports above itself: {bad}"


def test_the_checker_sees_an_upward_import(tmp_path):
    p = tmp_path / "m.py"
    p.write_text("def f():\n    from kutip.store import Store\n")
    assert _imports(p) == {"store"}
