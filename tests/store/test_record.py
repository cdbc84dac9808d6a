"""The statement record is declared once (kutip.store.record): the table's columns, the contract
dict, the export columns and the API models all come from that one list, and it covers every
field of the core's records."""
from __future__ import annotations

import dataclasses

from kutip.core import model
from kutip.store import record
from kutip.store.export import COLUMNS, flat_row
from kutip.store.schema import StatementRec
from kutip.store.testing import build_article


def _contract_paths():
    out = set()
    for f in dataclasses.fields(model.Statement):
        sub = {"cue": model.Cue, "speaker": model.Speaker, "date": model.DateRef}.get(f.name)
        if sub is None:
            out.add((f.name,))
        else:
            out |= {(f.name, g.name) for g in dataclasses.fields(sub)}
    return out


def test_every_core_field_is_declared_once():
    paths = [f.path for f in record.CONTRACT]
    assert len(paths) == len(set(paths))
    assert set(paths) == _contract_paths()


def test_table_export_and_api_follow_the_declaration():
    cols = {c.name for c in StatementRec.__table__.columns}
    assert {f.column for f in record.CONTRACT} <= cols
    assert COLUMNS == [f.name for f in record.FIELDS if f.export]
    models = record.pydantic_models()
    assert set(models["Statement"].model_fields) == {f.path[0] for f in record.CONTRACT}
    assert set(models["Speaker"].model_fields) == {f.path[1] for f in record.CONTRACT if f.path[0] == "speaker"}
    assert {f.row for f in record.FIELDS if f.row} <= set(models["StatementRow"].model_fields)


def test_a_statement_round_trips_through_its_columns():
    art = build_article([{"text": "Kita harus berunding dengan Rusia", "name": "Jens Stoltenberg", "role": "Sekjen",
                          "affiliation": "NATO", "date": "2023-01-18", "location": "Davos", "event": "WEF"},
                         {"text": "tanpa pembicara yang jelas", "kind": "indirect", "name": None, "mention": "ia"}])
    for st in art.statements:
        cols = record.to_columns(st)
        back = record.to_contract(cols)
        assert back == st.to_dict()
        row = dict(back, id=1, article_id=2, speaker_canonical="X")
        flat = flat_row(row)
        assert list(flat) == COLUMNS and flat["text"] == st.text and flat["speaker"] == "X"
    models = record.pydantic_models()
    models["Statement"].model_validate(art.statements[0].to_dict())
