"""`kutip search`, `kutip speakers` and `kutip export` on a real SQLite file: output
formats, inert display of hostile text, CSV formula neutralisation, Parquet."""
from __future__ import annotations

import csv
import io
import json

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from kutip.cli import app
from kutip.core.errors import KutipError
from kutip.store import Store
from kutip.store.export import COLUMNS, csv_cell, inert, json_line
from kutip.store.testing import build_article

EVIL = "=HYPERLINK(\"http://jahat\")"


def cli(args):
    res = CliRunner().invoke(app, list(args), env={"COLUMNS": "300"})
    if isinstance(res.exception, KutipError):
        return res.exception.exit_code, str(res.exception)
    if res.exception is not None and not isinstance(res.exception, SystemExit):
        raise res.exception
    return res.exit_code, res.stdout


@pytest.fixture
def store_cli_db(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    st = Store(url)
    st.add_article(build_article([
        {"text": "Kita harus berunding dengan Rusia demi perdamaian di Eropa", "name": "Jens Stoltenberg",
         "role": "Sekretaris Jenderal", "affiliation": "NATO", "date": "2023-01-18"},
        {"text": EVIL + " lalu perundingan \x1b[31mmerah\x1b[0m [bold]tebal[/bold] \u202e", "name": "Budi Santoso",
         "affiliation": "@Kementerian", "kind": "indirect"},
        {"text": "-10 persen adalah angka perundingan yang wajar", "name": "+Siti", "affiliation": "Bulog"},
    ], outlet="ANTARA", published="2023-01-18", title="<script>alert(1)</script>"), url="https://a.id/1")
    st.close()
    return url


def test_search_table_and_json(store_cli_db):
    code, out = cli(["search", "merundingkan", "--db", store_cli_db])
    assert code == 0
    assert "3 statement(s)" in out and "Jens Stoltenberg" in out
    assert "\x1b" not in out and "\u202e" not in out           # terminal escapes are shown, not obeyed
    assert "\\x1b[31m" in out and "[bold]tebal[/bold]" in out   # ...and Rich markup is not interpreted
    code, out = cli(["search", "perundingan", "--db", store_cli_db, "--format", "json", "--kind", "indirect"])
    res = json.loads(out)
    assert res["total"] == 1
    assert res["items"][0]["text"].startswith(EVIL)             # JSON keeps the exact text...
    assert "\x1b" not in out and "\u202e" not in out            # ...with control characters escaped
    code, out = cli(["search", "--db", store_cli_db, "--format", "json", "--from", "2023-01-01", "--to", "2023-01-31",
                     "--speaker", "stoltenberg", "--outlet", "antara", "--affiliation", "nato", "--limit", "5"])
    assert json.loads(out)["total"] == 1


def test_search_user_errors(store_cli_db):
    assert cli(["search", "x", "--db", store_cli_db, "--format", "xml"])[0] == 2
    code, msg = cli(["search", "x", "--db", store_cli_db, "--kind", "langsung"])
    assert code == 2 and "direct, indirect or mixed" in msg
    code, msg = cli(["search", "x", "--db", store_cli_db, "--from", "kemarin"])
    assert code == 2 and "YYYY-MM-DD" in msg
    code, msg = cli(["search", "x", "--db", "postgresql://nobody@127.0.0.1:1/x"])
    assert code == 1 and "cannot open the database" in msg


def test_speakers_command(store_cli_db):
    code, out = cli(["speakers", "--db", store_cli_db])
    assert code == 0 and "3 speaker(s)" in out and "Jens Stoltenberg" in out
    code, out = cli(["speakers", "budi", "--db", store_cli_db, "--format", "json"])
    res = json.loads(out)
    assert res["total"] == 1 and res["items"][0]["affiliations"] == ["@Kementerian"]


def test_export_jsonl(store_cli_db, tmp_path):
    code, out = cli(["export", "--db", store_cli_db])
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) == 3 and rows[1]["text"].startswith(EVIL) and rows[0]["outlet"] == "ANTARA"
    out_file = tmp_path / "arts.jsonl"
    code, _ = cli(["export", "--db", store_cli_db, "--articles", "--out", str(out_file)])
    arts = [json.loads(line) for line in out_file.read_text(encoding="utf-8").splitlines()]
    assert len(arts) == 1 and len(arts[0]["statements"]) == 3
    assert arts[0]["metadata"]["title"] == "<script>alert(1)</script>"
    a = arts[0]
    assert all(a["text"][s["start"]:s["end"]] == s["text"] for s in a["statements"])


def test_export_csv_neutralises_formulas(store_cli_db, tmp_path):
    out_file = tmp_path / "s.csv"
    code, _ = cli(["export", "--format", "csv", "--out", str(out_file), "--db", store_cli_db])
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out_file.read_text(encoding="utf-8"), newline="")))
    assert list(rows[0].keys()) == COLUMNS and len(rows) == 3
    assert rows[1]["text"].startswith("'" + EVIL)
    assert rows[1]["affiliation"] == "'@Kementerian"
    assert rows[2]["text"].startswith("'-10 persen") and rows[2]["speaker_name"] == "'+Siti"
    assert rows[0]["text"] == "Kita harus berunding dengan Rusia demi perdamaian di Eropa"
    assert rows[0]["start"].isdigit()
    for row in rows:
        for v in row.values():
            assert not v.startswith(("=", "+", "-", "@"))


def test_export_parquet(store_cli_db, tmp_path):
    out_file = tmp_path / "s.parquet"
    code, _ = cli(["export", "--format", "parquet", "--out", str(out_file), "--db", store_cli_db])
    assert code == 0
    t = pq.read_table(out_file)
    assert t.num_rows == 3 and t.column_names == COLUMNS
    d = t.to_pylist()
    assert d[1]["text"].startswith(EVIL)                       # parquet is data, kept exact
    assert d[0]["speaker"] == "Jens Stoltenberg" and d[0]["date_value"] == "2023-01-18"
    assert isinstance(d[0]["start"], int)
    code, msg = cli(["export", "--format", "parquet", "--db", store_cli_db])
    assert code == 2 and "--out" in msg


def test_inert_helpers():
    assert inert("a\x1b[0mb\x00c\u202e") == "a\\x1b[0mb\\x00c\\u202e"
    assert inert("baris\nbaru\ttab") == "baris\nbaru\ttab"
    assert json.loads(json_line({"t": "\x9b\x7f\x00"})) == {"t": "\x9b\x7f\x00"}
    assert "\x9b" not in json_line({"t": "\x9b"})
    assert csv_cell("=1+1") == "'=1+1" and csv_cell("aman") == "aman" and csv_cell(-3) == -3


def test_piped_tables_are_not_squeezed_to_80_columns(store_cli_db, monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)
    for args in (["search", "merundingkan"], ["speakers"]):
        res = CliRunner().invoke(app, [*args, "--db", store_cli_db])
        assert res.exit_code == 0, res.output
        width = max(len(line) for line in res.stdout.splitlines())
        assert 80 < width <= 160, (args, width)
