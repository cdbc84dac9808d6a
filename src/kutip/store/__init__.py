"""kutip.store: the statement knowledge base (SQLite or PostgreSQL through SQLAlchemy).

    from kutip.store import Store
    store = Store()            # $KUTIP_DB or sqlite:///kutip.db; schema upgraded on open
    store.add_article(kutip.extract(text), url=..., outlet=..., published=...)
    store.search("perundingan", outlet="ANTARA")
"""
__all__ = ["Store", "iso_date", "content_hash", "input_hash", "bm25_weight", "outlet_key"]
_HOME = {"Store": "kb", "iso_date": "base", "content_hash": "base", "input_hash": "base", "outlet_key": "base",
         "bm25_weight": "write"}


def __getattr__(name: str):
    """Import lazily: the CLI lists `kutip ingest` without paying for SQLAlchemy and MinHash."""
    if name in _HOME:
        import importlib

        return getattr(importlib.import_module(f"kutip.store.{_HOME[name]}"), name)
    raise AttributeError(f"module 'kutip.store' has no attribute {name!r}")
