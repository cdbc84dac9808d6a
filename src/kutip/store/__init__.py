"""kutip.store: the statement knowledge base (SQLite or PostgreSQL through SQLAlchemy).

    from kutip.store import Store
    store = Store()            # $KUTIP_DB or sqlite:///kutip.db; schema upgraded on open
    store.add_article(kutip.extract(text), url=..., outlet=..., published=...)
    store.search("perundingan", outlet="ANTARA")
"""
__all__ = ["Store", "iso_date", "content_hash"]


def __getattr__(name: str):
    """Import lazily: the CLI lists `kutip ingest` without paying for SQLAlchemy and MinHash."""
    if name in __all__:
        from kutip.store import store

        return getattr(store, name)
    raise AttributeError(f"module 'kutip.store' has no attribute {name!r}")
