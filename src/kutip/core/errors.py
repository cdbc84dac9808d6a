"""Errors a user can act on: each says what went wrong and what to do."""


class KutipError(Exception):
    """Base class: the CLI prints the message (no traceback) and exits non-zero."""

    exit_code = 1


class KutipInputError(KutipError):
    """The input cannot be read as an article (empty, binary, undecodable, no article body)."""

    exit_code = 2


class KutipTimeoutError(KutipInputError):
    """An extraction ran past its time budget (``extract(..., time_budget=)``)."""
