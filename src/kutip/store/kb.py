"""The Store: one object over the knowledge base, made of its parts (one job per module):
:mod:`~kutip.store.write` (articles in, one transaction each), :mod:`~kutip.store.search`
(ranked search with filters), :mod:`~kutip.store.pages` (speaker, article and cluster pages,
listings, exports); they share :class:`~kutip.store.base.StoreBase` (engines, sessions)."""
from __future__ import annotations

from kutip.store.base import StoreBase
from kutip.store.pages import Pages
from kutip.store.search import Search
from kutip.store.write import Writer


class Store(Writer, Search, Pages, StoreBase):
    """The knowledge base. ``Store(url=None)``: None means $KUTIP_DB, else ``sqlite:///kutip.db``.
    The schema is created or upgraded (Alembic ``upgrade head``) on open."""
