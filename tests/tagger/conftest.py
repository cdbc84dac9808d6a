from pathlib import Path

import pytest

TAGGER_DATA = Path(__file__).parent / "data"


@pytest.fixture
def tagger_tiny_conll() -> Path:
    return TAGGER_DATA / "tiny.conll"


@pytest.fixture(scope="session")
def tagger_tiny_model(tmp_path_factory) -> Path:
    """A model trained end to end on the tiny fixture through the CLI."""
    from typer.testing import CliRunner

    from kutip.cli import app

    data = tmp_path_factory.mktemp("tagger_data")
    (data / "tiny.conll").write_text((TAGGER_DATA / "tiny.conll").read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path_factory.mktemp("tagger_model") / "m"
    res = CliRunner().invoke(app, ["train", "--data", str(data), "--out", str(out), "--max-iterations", "60"])
    assert res.exit_code == 0, res.output + repr(res.exception)
    return out
