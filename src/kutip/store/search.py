"""Search: stemmed terms ranked by BM25 over the inverted index, with filters (speaker,
affiliation, outlet, kind, dates); corpus size and document frequencies are read from the
rows kept with the postings, so a search costs the same on a big store as on a small one.

The queries themselves are in :mod:`kutip.store.query`, plain SQL that `kutip search` also runs
over a read-only ``sqlite3`` connection: one implementation for the CLI, the web server and
the API."""
from __future__ import annotations

from typing import Optional

from kutip.store import query
from kutip.store.base import DateLike


class Search:
    def search(self, q: Optional[str] = None, *, speaker_id: Optional[int] = None, speaker: Optional[str] = None,
               affiliation: Optional[str] = None, outlet: Optional[str] = None, kind: Optional[str] = None,
               date_from: DateLike = None, date_to: DateLike = None, limit: int = 20, offset: int = 0) -> dict:
        """Statements containing every stemmed term of ``q``, ranked by BM25, that pass the filters;
        without ``q``, the filtered statements newest first."""
        with self.session() as s:
            return query.search(query.SessionReader(s), q, speaker_id=speaker_id, speaker=speaker,
                                affiliation=affiliation, outlet=outlet, kind=kind, date_from=date_from,
                                date_to=date_to, limit=limit, offset=offset)
