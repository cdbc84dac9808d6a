"""kutip.store: the statement knowledge base (SQLite or PostgreSQL through SQLAlchemy).

    from kutip.store import Store
    store = Store()            # $KUTIP_DB or sqlite:///kutip.db; schema upgraded on open
    store.add_article(kutip.extract(text), url=..., outlet=..., published=...)
    store.search("perundingan", outlet="ANTARA")
"""
from kutip.store.store import Store, content_hash, iso_date

__all__ = ["Store", "iso_date", "content_hash"]
