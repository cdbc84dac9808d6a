"""A per-article time budget: the stages of :func:`kutip.core.pipeline.extract` check it between
stages and every few sentences, so an article that would run too long stops with a clear error
instead of holding a core (the clock is the only thing the core reads)."""
from __future__ import annotations

import time
from typing import Optional

from kutip.core.errors import KutipTimeoutError


class Budget:
    """``seconds`` of wall time from now; None is no limit."""

    __slots__ = ("seconds", "deadline")

    def __init__(self, seconds: Optional[float] = None) -> None:
        if seconds is not None and not seconds > 0:
            raise ValueError(f"time_budget={seconds!r}: give a positive number of seconds")
        self.seconds = seconds
        self.deadline = None if seconds is None else time.monotonic() + seconds

    def check(self, stage: str) -> None:
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise KutipTimeoutError(
                f"extraction stopped in the {stage} stage after its time budget of {self.seconds:g} s: "
                "the article is unusually long or unusual; split it, or give a larger time_budget")


UNLIMITED = Budget()
